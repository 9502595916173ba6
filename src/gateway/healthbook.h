// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "gateway/failureclassifier.h"
#include "gateway/ratelimits.h"

#include <QHash>
#include <QObject>

class Clock;

/// The gateway's live view of the accounts and their health. Requests and validation
/// change health here first (the router reads it without waiting for the database);
/// every change is announced so the storage worker can persist it and the window show it.
class HealthBook final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HealthBook)

public:
    explicit HealthBook(const Clock &clock, QObject *parent = nullptr);

    const QList<Account> &accounts() const { return m_accounts; }
    const Account *find(const QUuid &id) const;

    /// Takes accounts loaded from storage. An account the user changed since (its
    /// updatedAt differs) is taken whole; otherwise the live health is kept, being newer.
    void setAccounts(const QList<Account> &accounts);
    /// Applies a verdict to one account; `used` marks a request served by it.
    void apply(const QUuid &id, const Verdict &verdict, const CooldownPolicy &policy);
    void markUsed(const QUuid &id);
    /// Sets an account's health directly (validation results that carry no verdict).
    void setHealth(const QUuid &id, const AccountHealth &health);
    /// Takes the rate limits an answer of the account reported (RateLimits::fromHeaders);
    /// a limit the answer left out keeps its last value.
    void noteRateLimits(const QUuid &id, const RateLimits::Headers &headers);
    /// What the account's answers last said of its limits; empty when they said nothing.
    RateLimits rateLimits(const QUuid &id) const { return m_rateLimits.value(id); }

Q_SIGNALS:
    void healthChanged(const QUuid &id, const AccountHealth &health);
    void accountInvalidated(const QUuid &id, const QString &name, const QString &reason);
    void rateLimitsChanged(const QUuid &id, const RateLimits &limits);

private:
    Account *findMutable(const QUuid &id);

    const Clock &m_clock;
    QList<Account> m_accounts;
    QHash<QUuid, RateLimits> m_rateLimits;
};
