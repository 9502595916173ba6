// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/modelmapping.h"

#include <QObject>

class QAbstractButton;
class QTableWidget;

/// The account editor's model mapping table: one rule a row (a Claude model pattern and
/// the provider's model), with the buttons that add a row and remove the selected ones.
class ModelRulesEditor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ModelRulesEditor)

public:
    /// Lives as long as `table`.
    ModelRulesEditor(QTableWidget *table, QAbstractButton *add, QAbstractButton *remove);

    /// The rows with anything in them, trimmed.
    QList<ModelRule> rules() const;
    /// Replaces the rows; not an edit().
    void setRules(const QList<ModelRule> &rules);

Q_SIGNALS:
    /// The user changed or removed a rule.
    void edited();

private:
    void addRow(const QString &pattern = {}, const QString &target = {});
    void removeSelectedRows();

    QTableWidget *m_table;
};
