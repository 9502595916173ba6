// SPDX-License-Identifier: GPL-3.0-or-later
#include "tablemodel.h"

TableModel::TableModel(int columns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_columns(columns)
{ }

int TableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : rows();
}

int TableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_columns;
}

QVariant TableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= m_columns)
        return {};
    if (role == Qt::DisplayRole)
        return columnTitle(section);
    if (role == Qt::ToolTipRole) {
        const QString tip = columnToolTip(section);
        return tip.isEmpty() ? QVariant() : tip;
    }
    return {};
}

QString TableModel::columnToolTip(int) const
{
    return {};
}

void TableModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, m_columns - 1);
    refreshColumns(0, m_columns - 1);
}

void TableModel::refreshColumns(int first, int last)
{
    if (rows() > 0)
        Q_EMIT dataChanged(index(0, first), index(rows() - 1, last));
}
