// SPDX-License-Identifier: GPL-3.0-or-later
#include "accesskeymodel.h"

#include <QBrush>
#include <QLocale>
#include <QPalette>

using namespace Qt::StringLiterals;

AccessKeyModel::AccessKeyModel(QObject *parent)
    : TableModel(ColumnCount, parent)
{ }

void AccessKeyModel::setKeys(const QList<AccessKey> &keys)
{
    beginResetModel();
    m_keys = keys;
    endResetModel();
}

const AccessKey *AccessKeyModel::key(int row) const
{
    return row >= 0 && row < m_keys.size() ? &m_keys[row] : nullptr;
}

QVariant AccessKeyModel::data(const QModelIndex &index, int role) const
{
    const AccessKey *k = key(index.row());
    if (!k)
        return {};
    auto when = [](const QDateTime &time) {
        return QLocale().toString(time.toLocalTime(), QLocale::ShortFormat);
    };
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Name:
            return k->name;
        case Prefix:
            return QString(k->prefix + u'…');
        case Created:
            return when(k->createdAt);
        case LastUsed:
            return k->lastUsedAt.isValid() ? when(k->lastUsedAt) : tr("Never");
        case State:
            if (k->isRevoked())
                return tr("Revoked %1").arg(when(k->revokedAt));
            return k->admin ? tr("Active (admin API)") : tr("Active");
        }
    }
    if (role == Qt::ForegroundRole && k->isRevoked())
        return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
    if (role == Qt::ToolTipRole && index.column() == Prefix)
        return tr("The first characters of the key, to recognise it. The full key is never "
                  "stored.");
    return {};
}

QString AccessKeyModel::columnTitle(int column) const
{
    switch (column) {
    case Name:
        return tr("Name");
    case Prefix:
        return tr("Key starts with");
    case Created:
        return tr("Created");
    case LastUsed:
        return tr("Last used");
    case State:
        return tr("State");
    }
    return {};
}
