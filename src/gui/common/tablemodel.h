// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>

/// What the window's flat tables have in common: a fixed number of columns, header texts
/// (and tooltips) by column, and telling the views that texts changed, for a language
/// switch or a clock that moved. A subclass says how many rows there are and what the
/// cells and headers read.
class TableModel : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TableModel)

public:
    int rowCount(const QModelIndex &parent = {}) const final;
    int columnCount(const QModelIndex &parent = {}) const final;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const final;
    /// Headers and cell texts follow a language change.
    void retranslate();

protected:
    TableModel(int columns, QObject *parent);

    virtual int rows() const = 0;
    virtual QString columnTitle(int column) const = 0;
    virtual QString columnToolTip(int column) const;
    /// Every row's cells in the columns `first` to `last` changed.
    void refreshColumns(int first, int last);

private:
    const int m_columns;
};
