// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountsfiltermodel.h"

#include "gui/accounts/accountstablemodel.h"

AccountsFilterModel::AccountsFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(AccountsTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void AccountsFilterModel::setText(const QString &text)
{
    if (text.trimmed() == m_text)
        return;
    m_text = text.trimmed();
    invalidateRowsFilter();
}

void AccountsFilterModel::setKind(int kind)
{
    if (kind == m_kind)
        return;
    m_kind = kind;
    invalidateRowsFilter();
}

bool AccountsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_kind >= 0 && index.data(AccountsTableModel::KindRole).toInt() != m_kind)
        return false;
    return m_text.isEmpty()
        || index.data(AccountsTableModel::FilterTextRole)
               .toString()
               .contains(m_text, Qt::CaseInsensitive);
}
