// SPDX-License-Identifier: GPL-3.0-or-later
#include "overviewaccountsmodel.h"

#include "core/clock.h"
#include "gui/accounts/accountstablemodel.h"
#include "gui/accounts/accountstatus.h"
#include "gui/common/runtimefacade.h"
#include "gui/overview/overviewfigures.h"

#include <QLocale>

OverviewAccountsModel::OverviewAccountsModel(RuntimeFacade &runtime, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_runtime(runtime)
{
    connect(&runtime, &RuntimeFacade::accountsChanged, this, &OverviewAccountsModel::reset);
    auto rowChanged = [this](const QUuid &id) {
        if (const int row = rowOf(id); row >= 0)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    };
    connect(&runtime, &RuntimeFacade::accountHealthChanged, this, rowChanged);
    connect(&runtime, &RuntimeFacade::rateLimitsChanged, this, rowChanged);
    connect(&runtime, &RuntimeFacade::pinnedChanged, this, [this] { refreshColumns(Name, Name); });
    connect(&runtime, &RuntimeFacade::requestFinished, this,
            [rowChanged](const UsageRecord &record) { rowChanged(record.accountId); });
    reset();
}

void OverviewAccountsModel::reset()
{
    beginResetModel();
    m_ids.clear();
    for (const Account &a : m_runtime.accounts())
        m_ids.append(a.id);
    endResetModel();
}

int OverviewAccountsModel::rows() const
{
    return int(m_ids.size());
}

int OverviewAccountsModel::rowOf(const QUuid &id) const
{
    return id.isNull() ? -1 : int(m_ids.indexOf(id));
}

QString OverviewAccountsModel::columnTitle(int column) const
{
    switch (Column(column)) {
    case Name:
        return tr("Account");
    case Health:
        return tr("Health");
    case RequestsLeft:
        return tr("Requests left");
    case TokensLeft:
        return tr("Tokens left");
    case Today:
        return tr("Today");
    case ColumnCount:
        break;
    }
    return {};
}

QString OverviewAccountsModel::columnToolTip(int column) const
{
    switch (Column(column)) {
    case RequestsLeft:
    case TokensLeft:
        return tr("What the provider's last answer said is left of its rate limit, and when "
                  "the limit fills up again. Not every provider says.");
    case Today:
        return tr("Requests this account served today.");
    default:
        return {};
    }
}

QVariant OverviewAccountsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_ids.size())
        return {};
    const Account *account = m_runtime.account(m_ids[index.row()]);
    if (!account)
        return {};
    const QDateTime now = m_runtime.clock().now();
    const HealthBadge badge = AccountStatus::badge(*account, now);
    if (role == AccountsTableModel::IdRole)
        return account->id;
    if (role == AccountsTableModel::StatusRole)
        return int(HealthBadge::role(badge.kind));
    if (role == Qt::ToolTipRole && index.column() == Health)
        return badge.reason.isEmpty() ? QVariant() : badge.reason;
    if (role == Qt::TextAlignmentRole && index.column() == Today)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const RateLimits limits = m_runtime.rateLimits(account->id);
    switch (Column(index.column())) {
    case Name:
        return m_runtime.pinned() == account->id ? tr("%1 (pinned)").arg(account->name)
                                                 : account->name;
    case Health:
        return badge.text;
    case RequestsLeft:
        return OverviewFigures::headroom(limits.requests, now);
    case TokensLeft:
        return OverviewFigures::headroom(limits.scarcestTokens(), now);
    case Today:
        return QLocale().toString(m_runtime.today(account->id).requests);
    case ColumnCount:
        break;
    }
    return {};
}

void OverviewAccountsModel::refresh()
{
    refreshColumns(Health, TokensLeft);
}

bool OverviewAccountsModel::isCounting() const
{
    const QDateTime now = m_runtime.clock().now();
    for (const QUuid &id : m_ids) {
        const Account *account = m_runtime.account(id);
        if (account && AccountStatus::badge(*account, now).cooling)
            return true;
        for (const RateLimit &limit : m_runtime.rateLimits(id).all()) {
            if (limit.isKnown() && limit.reset > now)
                return true;
        }
    }
    return false;
}
