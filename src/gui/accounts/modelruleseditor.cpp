// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelruleseditor.h"

#include <QAbstractButton>
#include <QHeaderView>
#include <QTableWidget>

ModelRulesEditor::ModelRulesEditor(QTableWidget *table, QAbstractButton *add,
                                   QAbstractButton *remove)
    : QObject(table)
    , m_table(table)
{
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    connect(m_table, &QTableWidget::itemChanged, this, &ModelRulesEditor::edited);
    connect(add, &QAbstractButton::clicked, this, [this] {
        addRow();
        m_table->setCurrentCell(m_table->rowCount() - 1, 0);
        m_table->editItem(m_table->currentItem());
    });
    connect(remove, &QAbstractButton::clicked, this, &ModelRulesEditor::removeSelectedRows);
}

QList<ModelRule> ModelRulesEditor::rules() const
{
    QList<ModelRule> rules;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        auto text = [&](int column) {
            const QTableWidgetItem *item = m_table->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        if (!text(0).isEmpty() || !text(1).isEmpty())
            rules.append({text(0), text(1)});
    }
    return rules;
}

void ModelRulesEditor::setRules(const QList<ModelRule> &rules)
{
    const QSignalBlocker blocker(m_table);
    m_table->setRowCount(0);
    for (const ModelRule &rule : rules)
        addRow(rule.pattern, rule.target);
}

void ModelRulesEditor::addRow(const QString &pattern, const QString &target)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(pattern));
    m_table->setItem(row, 1, new QTableWidgetItem(target));
}

void ModelRulesEditor::removeSelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty() && m_table->currentRow() >= 0)
        rows << m_table->currentRow();
    std::sort(rows.rbegin(), rows.rend());
    for (int row : rows)
        m_table->removeRow(row);
    Q_EMIT edited();
}
