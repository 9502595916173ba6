// SPDX-License-Identifier: GPL-3.0-or-later
#include "healthbook.h"

#include "core/clock.h"
#include "gateway/healthpolicy.h"

HealthBook::HealthBook(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{ }

const Account *HealthBook::find(const QUuid &id) const
{
    for (const Account &a : m_accounts) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

Account *HealthBook::findMutable(const QUuid &id)
{
    for (Account &a : m_accounts) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

void HealthBook::setAccounts(const QList<Account> &accounts)
{
    QList<Account> merged = accounts;
    for (Account &incoming : merged) {
        const Account *live = find(incoming.id);
        if (live && live->updatedAt == incoming.updatedAt)
            incoming.health = live->health;
    }
    m_accounts = merged;
    m_rateLimits.removeIf([this](const auto &entry) { return !find(entry.key()); });
}

void HealthBook::apply(const QUuid &id, const Verdict &verdict, const CooldownPolicy &policy)
{
    Account *account = findMutable(id);
    if (!account)
        return;
    const AccountHealth before = account->health;
    account->health = HealthPolicy::apply(before, verdict, policy, m_clock.now());
    if (verdict.effect == Verdict::Effect::Invalid && before.state != HealthState::Invalid)
        Q_EMIT accountInvalidated(id, account->name, verdict.reason);
    if (account->health != before)
        Q_EMIT healthChanged(id, account->health);
}

void HealthBook::markUsed(const QUuid &id)
{
    if (Account *account = findMutable(id)) {
        account->health.lastUsed = m_clock.now();
        ++account->health.usageCount;
        Q_EMIT healthChanged(id, account->health);
    }
}

void HealthBook::setHealth(const QUuid &id, const AccountHealth &health)
{
    if (Account *account = findMutable(id); account && account->health != health) {
        if (health.state == HealthState::Invalid && account->health.state != HealthState::Invalid)
            Q_EMIT accountInvalidated(id, account->name, health.reason);
        account->health = health;
        Q_EMIT healthChanged(id, health);
    }
}

void HealthBook::noteRateLimits(const QUuid &id, const RateLimits::Headers &headers)
{
    const RateLimits reported = RateLimits::fromHeaders(headers, m_clock.now());
    if (reported.isEmpty() || !find(id))
        return;
    RateLimits &limits = m_rateLimits[id];
    limits.merge(reported);
    Q_EMIT rateLimitsChanged(id, limits);
}
