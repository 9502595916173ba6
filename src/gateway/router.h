// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"

#include <QDateTime>
#include <QHash>
#include <QSet>

#include <functional>
#include <optional>

class Clock;

/// How to order accounts of one tier.
enum class Strategy { Priority, RoundRobin, LeastUsed, Weighted };
std::optional<Strategy> strategyFromString(QStringView text);

/// What the router needs to know about a request.
struct RouteRequest
{
    QString model;
    QString stickyKey; ///< empty: no session stickiness
};

/// Decides which accounts a request tries, in order. Pure logic with its own small state
/// (round-robin cursors, sticky sessions, per-model denials, half-open probes); it lives on
/// the gateway thread and is never shared.
class Router final
{
public:
    /// `random` returns uniformly distributed 32-bit values (weighted strategy); tests pass
    /// a seeded one.
    explicit Router(const Clock &clock, std::function<quint32()> random = {});

    void setStrategy(Strategy strategy) { m_strategy = strategy; }
    Strategy strategy() const { return m_strategy; }
    void setStickyTtl(qint64 seconds) { m_stickyTtlSecs = seconds; }
    void setErrorThreshold(int threshold) { m_errorThreshold = threshold; }
    /// A pinned account is tried first whatever the strategy (the manual switch); null
    /// unpins.
    void setPinned(const QUuid &id) { m_pinned = id; }
    QUuid pinned() const { return m_pinned; }

    /// The accounts to try, each at most once, best first: the pinned account, then the
    /// session's account, then tier by tier in strategy order. Unavailable accounts,
    /// accounts that may not serve the model, and half-open accounts whose probe is
    /// already running are left out.
    QList<QUuid> plan(const QList<Account> &accounts, const RouteRequest &request);

    /// Call before sending to an account; false means another request just took its
    /// half-open probe slot, so skip it.
    bool beginAttempt(const Account &account);
    void endAttempt(const QUuid &id);

    /// The session succeeded on `id`: keep it there while it stays available.
    void bindSession(const QString &stickyKey, const QUuid &id);
    /// The account the session is bound to; null when none (or stickiness is off).
    QUuid sessionAccount(const QString &stickyKey) const;
    void denyModel(const QUuid &id, const QString &model, const QDateTime &until);
    /// Forgets denials and bindings of an account (the user edited or re-enabled it).
    void forget(const QUuid &id);

    static bool servesModel(const Account &account, const QString &model);
    /// Until when the account is refused for the model (a 403); null if it is not.
    QDateTime deniedUntil(const QUuid &id, const QString &model) const;
    /// True while a half-open account's probe request is running.
    bool isProbing(const QUuid &id) const { return m_probes.contains(id); }

private:
    bool isCandidate(const Account &account, const QString &model, const QDateTime &now) const;
    void orderTier(QList<const Account *> &tier);
    void pruneSessions(const QDateTime &now);

    struct Session
    {
        QUuid account;
        QDateTime lastSeen;
    };

    const Clock &m_clock;
    std::function<quint32()> m_random;
    Strategy m_strategy = Strategy::Priority;
    qint64 m_stickyTtlSecs = 3600;
    int m_errorThreshold = 3;
    QUuid m_pinned;
    QHash<QList<QUuid>, quint64> m_cursors; ///< round robin, per set of candidates
    QHash<QString, Session> m_sessions;
    QHash<QUuid, QHash<QString, QDateTime>> m_deniedModels;
    QSet<QUuid> m_probes; ///< half-open accounts with a probe in flight
};
