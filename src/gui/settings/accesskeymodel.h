// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"

#include <QAbstractTableModel>

/// The access keys as a table: name, prefix, created, last used, state.
class AccessKeyModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccessKeyModel)

public:
    enum Column { Name, Prefix, Created, LastUsed, State, ColumnCount };

    explicit AccessKeyModel(QObject *parent = nullptr);

    void setKeys(const QList<AccessKey> &keys);
    const AccessKey *key(int row) const;
    /// Header texts changed language.
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<AccessKey> m_keys;
};
