// SPDX-License-Identifier: GPL-3.0-or-later
#include "pricetabledialog.h"

#include "gui/common/statuspalette.h"
#include "ui_pricetabledialog.h"

#include <QEvent>
#include <QHeaderView>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace {

enum Column { Pattern, Input, Output, CacheRead, CacheWrite, ColumnCount };

} // namespace

PriceTableDialog::PriceTableDialog(const PriceTable &prices, QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::PriceTableDialog>())
{
    ui->setupUi(this);
    setObjectName(u"priceTableDialog"_s);
    ui->table->setColumnCount(ColumnCount);
    ui->table->horizontalHeader()->setSectionResizeMode(Pattern, QHeaderView::Stretch);
    ui->table->horizontalHeader()->setStretchLastSection(false);
    StatusPalette::paintText(ui->errorLabel, StatusPalette::Role::Error);
    ui->errorLabel->hide();
    retranslate();
    setRows(prices.rows());

    connect(ui->table, &QTableWidget::itemChanged, this, &PriceTableDialog::onEdited);
    connect(ui->addButton, &QPushButton::clicked, this, &PriceTableDialog::addRow);
    connect(ui->removeButton, &QPushButton::clicked, this, &PriceTableDialog::removeSelectedRows);
    connect(ui->defaultsButton, &QPushButton::clicked, this, &PriceTableDialog::restoreDefaults);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(ui->table, &QTableWidget::itemSelectionChanged, this,
            [this] { ui->removeButton->setEnabled(!ui->table->selectedItems().isEmpty()); });
    ui->removeButton->setEnabled(false);
}

PriceTableDialog::~PriceTableDialog() = default;

void PriceTableDialog::setRows(const QList<ModelPrice> &rows)
{
    m_filling = true;
    ui->table->setRowCount(0);
    ui->table->setRowCount(int(rows.size()));
    for (int row = 0; row < rows.size(); ++row) {
        const ModelPrice &p = rows.at(row);
        ui->table->setItem(row, Pattern, new QTableWidgetItem(p.pattern));
        const double values[] = {p.input, p.output, p.cacheRead, p.cacheWrite};
        for (int c = Input; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem;
            // A double in the edit role gives a spin box editor and locale-aware display.
            item->setData(Qt::EditRole, values[c - Input]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            ui->table->setItem(row, c, item);
        }
    }
    m_filling = false;
    ui->table->resizeColumnsToContents();
    ui->table->horizontalHeader()->setSectionResizeMode(Pattern, QHeaderView::Stretch);
}

PriceTable PriceTableDialog::prices() const
{
    QList<ModelPrice> rows;
    for (int row = 0; row < ui->table->rowCount(); ++row) {
        auto value = [this, row](int column) {
            const QTableWidgetItem *item = ui->table->item(row, column);
            return item ? std::max(0.0, item->data(Qt::EditRole).toDouble()) : 0.0;
        };
        const QTableWidgetItem *pattern = ui->table->item(row, Pattern);
        rows.append({pattern ? pattern->text().trimmed() : QString(), value(Input), value(Output),
                     value(CacheRead), value(CacheWrite)});
    }
    return PriceTable(rows);
}

void PriceTableDialog::addRow()
{
    QList<ModelPrice> rows = prices().rows();
    rows.append(ModelPrice());
    setRows(rows);
    const int row = ui->table->rowCount() - 1;
    ui->table->setCurrentCell(row, Pattern);
    ui->table->editItem(ui->table->item(row, Pattern));
    onEdited();
}

void PriceTableDialog::removeSelectedRows()
{
    QList<int> selected;
    for (const QModelIndex &index : ui->table->selectionModel()->selectedRows())
        selected.append(index.row());
    std::sort(selected.begin(), selected.end(), std::greater<>());
    QList<ModelPrice> rows = prices().rows();
    for (int row : selected)
        rows.removeAt(row);
    setRows(rows);
    onEdited();
}

void PriceTableDialog::restoreDefaults()
{
    setRows(PriceTable::defaults().rows());
    onEdited();
}

void PriceTableDialog::onEdited()
{
    if (m_filling)
        return;
    const PriceTable table = prices();
    int unnamed = 0;
    for (const ModelPrice &p : table.rows())
        unnamed += p.pattern.isEmpty() ? 1 : 0;
    ui->errorLabel->setVisible(unnamed > 0);
    ui->errorLabel->setText(tr("%n row(s) have no model pattern and match nothing: type one, "
                               "e.g. claude-sonnet-4*, or remove the row.",
                               nullptr, unnamed));
    Q_EMIT pricesEdited(table);
}

void PriceTableDialog::retranslate()
{
    ui->table->setHorizontalHeaderLabels({tr("Model pattern"), tr("Input $/M"), tr("Output $/M"),
                                          tr("Cache read $/M"), tr("Cache write $/M")});
}

void PriceTableDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        ui->retranslateUi(this);
        retranslate();
        onEdited();
    }
    QDialog::changeEvent(event);
}
