// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"
#include "gui/common/tablemodel.h"

/// The access keys as a table: name, prefix, created, last used, state.
class AccessKeyModel final : public TableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccessKeyModel)

public:
    enum Column { Name, Prefix, Created, LastUsed, State, ColumnCount };

    explicit AccessKeyModel(QObject *parent = nullptr);

    void setKeys(const QList<AccessKey> &keys);
    const AccessKey *key(int row) const;

    QVariant data(const QModelIndex &index, int role) const override;

private:
    int rows() const override { return int(m_keys.size()); }
    QString columnTitle(int column) const override;

    QList<AccessKey> m_keys;
};
