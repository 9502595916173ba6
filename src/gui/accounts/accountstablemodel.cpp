// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountstablemodel.h"

#include "core/clock.h"
#include "core/providerpreset.h"
#include "gui/common/cooldownwatch.h"

#include <QColor>
#include <QFont>
#include <QLocale>

using namespace Qt::StringLiterals;

AccountsTableModel::AccountsTableModel(RuntimeFacade &runtime, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_runtime(runtime)
    , m_ticker(runtime.clock())
    , m_pinIcon(u":/icons/accounts-pin.svg"_s)
{
    connect(&runtime, &RuntimeFacade::accountsChanged, this, &AccountsTableModel::syncAccounts);
    connect(&runtime, &RuntimeFacade::accountHealthChanged, this, &AccountsTableModel::refreshRow);
    connect(&runtime, &RuntimeFacade::validated, this,
            [this](const ValidationResult &r) { refreshRow(r.accountId); });
    connect(&runtime, &RuntimeFacade::requestFinished, this,
            [this](const UsageRecord &r) { refreshRow(r.accountId); });
    connect(&runtime, &RuntimeFacade::pinnedChanged, this, [this] { refreshColumns(Name, Name); });
    // A badge that stops cooling turns back at once, not at the next tick.
    connect(new CooldownWatch(runtime, this), &CooldownWatch::cooldownEnded, this,
            [this] { refreshColumns(Health, Health); });
    m_ticker.setSingleShot(true);
    connect(&m_ticker, &ClockTimer::timeout, this, &AccountsTableModel::tick);
    syncAccounts();
    tick();
}

int AccountsTableModel::rowOf(const QUuid &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == id)
            return i;
    }
    return -1;
}

QUuid AccountsTableModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : QUuid();
}

const Account *AccountsTableModel::accountAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

HealthBadge AccountsTableModel::badgeAt(int row) const
{
    const Account *a = accountAt(row);
    return a ? AccountStatus::badge(*a, m_runtime.clock().now()) : HealthBadge();
}

QVariant AccountsTableModel::data(const QModelIndex &index, int role) const
{
    const Account *a = index.isValid() ? accountAt(index.row()) : nullptr;
    if (!a)
        return {};
    const QDateTime now = m_runtime.clock().now();
    const bool pinned = m_runtime.pinned() == a->id;
    const RuntimeFacade::Today today = m_runtime.today(a->id);
    const QLocale locale;

    switch (role) {
    case IdRole:
        return a->id;
    case KindRole:
        return int(AccountStatus::badge(*a, now).kind);
    case StatusRole:
        return int(HealthBadge::role(AccountStatus::badge(*a, now).kind));
    case PinnedRole:
        return pinned;
    case FilterTextRole:
        return QString(a->name + u"\n"_s + ProviderPreset::forAccount(*a).displayName());
    default:
        break;
    }

    switch (index.column()) {
    case Name:
        if (role == Qt::DisplayRole)
            return pinned ? tr("%1 · Pinned").arg(a->name) : a->name;
        if (role == Qt::DecorationRole && pinned)
            return m_pinIcon;
        if (role == Qt::FontRole && pinned) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        if (role == Qt::ToolTipRole) {
            QString tip = pinned ? tr("Pinned: every request goes to this account until you "
                                      "unpin it.")
                                 : QString();
            if (!a->notes.isEmpty())
                tip += (tip.isEmpty() ? QString() : u"\n\n"_s) + a->notes;
            return tip.isEmpty() ? QVariant() : tip;
        }
        if (role == SortRole)
            return a->name.toLower();
        break;
    case Provider:
        if (role == Qt::DisplayRole || role == SortRole)
            return ProviderPreset::forAccount(*a).displayName();
        if (role == Qt::ToolTipRole)
            return a->baseUrl.toString();
        break;
    case Tier:
    case Priority:
        if (role == Qt::DisplayRole || role == SortRole)
            return index.column() == Tier ? a->tier : a->priority;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
        break;
    case Health: {
        const HealthBadge badge = AccountStatus::badge(*a, now);
        if (role == Qt::DisplayRole)
            return badge.text;
        if (role == SortRole)
            return int(badge.kind);
        if (role == Qt::ToolTipRole) {
            QString tip = badge.text;
            if (!badge.reason.isEmpty() && !badge.text.contains(badge.reason))
                tip += u"\n"_s + badge.reason;
            if (badge.cooling) {
                tip += u"\n"_s
                    + tr("Back in use at %1.")
                          .arg(locale.toString(a->health.cooldownUntil.toLocalTime().time(),
                                               QLocale::ShortFormat));
            }
            return tip;
        }
        break;
    }
    case LastValidated: {
        const AccountHealth &h = a->health;
        if (role == Qt::DisplayRole)
            return AccountStatus::relativeTime(h.lastValidated, now);
        if (role == SortRole)
            return h.lastValidated.isValid() ? h.lastValidated.toMSecsSinceEpoch() : 0;
        if (role == Qt::ToolTipRole) {
            if (!h.lastValidated.isValid())
                return tr("Not validated yet.");
            QString tip = locale.toString(h.lastValidated.toLocalTime(), QLocale::LongFormat);
            if (!h.validationMessage.isEmpty())
                tip += u"\n"_s + h.validationMessage;
            if (h.validationLatencyMs >= 0)
                tip += u"\n"_s + tr("Answered in %1 ms.").arg(h.validationLatencyMs);
            return tip;
        }
        break;
    }
    case Requests:
    case Tokens: {
        const qint64 count = index.column() == Requests ? today.requests : today.tokens;
        if (role == Qt::DisplayRole)
            return locale.toString(count);
        if (role == SortRole)
            return count;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    case Errors:
        if (role == Qt::DisplayRole || role == SortRole)
            return a->health.errorCount;
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ForegroundRole && a->health.errorCount > 0)
            return StatusPalette().color(StatusPalette::Role::Error);
        if (role == Qt::ToolTipRole)
            return tr("Errors in a row since the last success.");
        break;
    default:
        break;
    }
    return {};
}

QString AccountsTableModel::columnToolTip(int column) const
{
    switch (column) {
    case Tier:
        return tr("Tier 1 is tried first; tier 2 only when tier 1 has no healthy account.");
    case Priority:
        return tr("Higher priority first, within a tier.");
    case Requests:
    case Tokens:
        return tr("Today, since local midnight.");
    default:
        return {};
    }
}

QString AccountsTableModel::columnTitle(int column) const
{
    switch (column) {
    case Name:
        return tr("Name");
    case Provider:
        return tr("Provider");
    case Tier:
        return tr("Tier");
    case Priority:
        return tr("Priority");
    case Health:
        return tr("Health");
    case LastValidated:
        return tr("Last validated");
    case Requests:
        return tr("Requests");
    case Tokens:
        return tr("Tokens");
    case Errors:
        return tr("Errors");
    default:
        return {};
    }
}

void AccountsTableModel::syncAccounts()
{
    const QList<Account> &current = m_runtime.accounts();
    // Remove rows that are gone, from the bottom so indexes stay right.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (!m_runtime.account(m_rows[row].id)) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (const Account &a : current) {
        const int row = rowOf(a.id);
        if (row < 0) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
            m_rows.append(a);
            endInsertRows();
        } else if (!(m_rows[row] == a)) {
            m_rows[row] = a;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

void AccountsTableModel::refreshRow(const QUuid &id)
{
    const int row = rowOf(id);
    const Account *a = m_runtime.account(id);
    if (row < 0 || !a)
        return;
    m_rows[row] = *a;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (isCooling(*a) && m_ticker.dueAt() > m_runtime.clock().now().addSecs(1))
        m_ticker.start(std::chrono::seconds(1)); // a countdown began
}

bool AccountsTableModel::isCooling(const Account &account) const
{
    const QDateTime until = account.health.cooldownUntil;
    return until.isValid() && until > m_runtime.clock().now();
}

void AccountsTableModel::tick()
{
    // Each second while a countdown runs, else every half minute for "5 min ago".
    bool cooling = false;
    for (int row = 0; row < m_rows.size(); ++row) {
        if (isCooling(m_rows[row])) {
            cooling = true;
            Q_EMIT dataChanged(index(row, Health), index(row, Health));
        }
    }
    if (!cooling || ++m_ticks % 30 == 0)
        refreshColumns(LastValidated, LastValidated);
    m_ticker.start(cooling ? std::chrono::seconds(1) : std::chrono::seconds(30));
}
