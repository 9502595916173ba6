// SPDX-License-Identifier: GPL-3.0-or-later
#include "router.h"

#include "core/clock.h"
#include "gateway/healthpolicy.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>
#include <map>

using namespace Qt::StringLiterals;

namespace {

// Session bindings are pruned when there are more than this many.
constexpr qsizetype maxSessions = 10000;
// Round-robin cursors are dropped when there are more than this many.
constexpr qsizetype maxCursors = 1000;

bool lessRecentlyUsed(const Account *a, const Account *b)
{
    // Never used counts as least recently used.
    const qint64 ta = a->health.lastUsed.isValid() ? a->health.lastUsed.toMSecsSinceEpoch() : 0;
    const qint64 tb = b->health.lastUsed.isValid() ? b->health.lastUsed.toMSecsSinceEpoch() : 0;
    if (ta != tb)
        return ta < tb;
    return a->id < b->id;
}

} // namespace

std::optional<Strategy> strategyFromString(QStringView text)
{
    if (text == u"priority")
        return Strategy::Priority;
    if (text == u"round_robin")
        return Strategy::RoundRobin;
    if (text == u"least_used")
        return Strategy::LeastUsed;
    if (text == u"weighted")
        return Strategy::Weighted;
    return std::nullopt;
}

Router::Router(const Clock &clock, std::function<quint32()> random)
    : m_clock(clock)
    , m_random(random ? std::move(random) : [] { return QRandomGenerator::global()->generate(); })
{ }

bool Router::servesModel(const Account &account, const QString &model)
{
    if (account.allowedModels.isEmpty() || model.isEmpty())
        return true;
    return std::any_of(account.allowedModels.cbegin(), account.allowedModels.cend(),
                       [&](const QString &allowed) { return globMatch(allowed, model); });
}

bool Router::isCandidate(const Account &account, const QString &model, const QDateTime &now) const
{
    if (!HealthPolicy::isAvailable(account, now) || !servesModel(account, model))
        return false;
    if (const auto denied = m_deniedModels.constFind(account.id); denied != m_deniedModels.cend()) {
        const QDateTime until = denied->value(model);
        if (until.isValid() && until > now)
            return false;
    }
    return !(HealthPolicy::isHalfOpen(account, m_errorThreshold, now)
             && m_probes.contains(account.id));
}

void Router::orderTier(QList<const Account *> &tier)
{
    switch (m_strategy) {
    case Strategy::Priority:
        std::sort(tier.begin(), tier.end(), [](const Account *a, const Account *b) {
            return a->priority != b->priority ? a->priority > b->priority : lessRecentlyUsed(a, b);
        });
        break;
    case Strategy::LeastUsed:
        std::sort(tier.begin(), tier.end(), [](const Account *a, const Account *b) {
            return a->health.usageCount != b->health.usageCount
                ? a->health.usageCount < b->health.usageCount
                : lessRecentlyUsed(a, b);
        });
        break;
    case Strategy::RoundRobin: {
        // A stable order (by id), rotated one step per request. Each set of candidates has
        // its own cursor: with one per tier, requests for another model or of a sticky
        // session (which leave accounts out) would decide who is first, and could starve one.
        std::sort(tier.begin(), tier.end(),
                  [](const Account *a, const Account *b) { return a->id < b->id; });
        QList<QUuid> candidates;
        for (const Account *a : std::as_const(tier))
            candidates.append(a->id);
        if (m_cursors.size() >= maxCursors && !m_cursors.contains(candidates))
            m_cursors.clear();
        quint64 &cursor = m_cursors[candidates];
        std::rotate(tier.begin(), tier.begin() + qsizetype(cursor % quint64(tier.size())),
                    tier.end());
        ++cursor;
        break;
    }
    case Strategy::Weighted: {
        // Weighted random order without replacement (Efraimidis–Spirakis): key u^(1/w).
        std::multimap<double, const Account *, std::greater<>> keyed;
        for (const Account *a : tier) {
            const double u = (double(m_random()) + 1.0) / 4294967297.0; // in (0, 1)
            keyed.emplace(std::pow(u, 1.0 / std::max(1, a->weight)), a);
        }
        tier.clear();
        for (const auto &entry : keyed)
            tier.append(entry.second);
        break;
    }
    }
}

QList<QUuid> Router::plan(const QList<Account> &accounts, const RouteRequest &request)
{
    const QDateTime now = m_clock.now();
    QList<QUuid> order;
    auto take = [&](const QUuid &id) {
        if (id.isNull() || order.contains(id))
            return;
        const auto it = std::find_if(accounts.cbegin(), accounts.cend(),
                                     [&](const Account &a) { return a.id == id; });
        if (it != accounts.cend() && isCandidate(*it, request.model, now))
            order.append(id);
    };

    take(m_pinned);
    if (!request.stickyKey.isEmpty() && m_stickyTtlSecs > 0) {
        auto session = m_sessions.find(request.stickyKey);
        if (session != m_sessions.end()) {
            if (session->lastSeen.addSecs(m_stickyTtlSecs) <= now) {
                m_sessions.erase(session);
            } else {
                session->lastSeen = now; // sliding expiry
                take(session->account);
            }
        }
    }

    std::map<int, QList<const Account *>> tiers;
    for (const Account &a : accounts) {
        if (!order.contains(a.id) && isCandidate(a, request.model, now))
            tiers[a.tier].append(&a);
    }
    for (auto &[number, tier] : tiers) {
        orderTier(tier);
        for (const Account *a : tier)
            order.append(a->id);
    }
    return order;
}

bool Router::beginAttempt(const Account &account)
{
    if (!HealthPolicy::isHalfOpen(account, m_errorThreshold, m_clock.now()))
        return true;
    if (m_probes.contains(account.id))
        return false;
    m_probes.insert(account.id);
    return true;
}

void Router::endAttempt(const QUuid &id)
{
    m_probes.remove(id);
}

void Router::bindSession(const QString &stickyKey, const QUuid &id)
{
    if (stickyKey.isEmpty() || m_stickyTtlSecs <= 0)
        return;
    const QDateTime now = m_clock.now();
    if (m_sessions.size() >= maxSessions)
        pruneSessions(now);
    m_sessions.insert(stickyKey, {id, now});
}

QUuid Router::sessionAccount(const QString &stickyKey) const
{
    return stickyKey.isEmpty() ? QUuid() : m_sessions.value(stickyKey).account;
}

QDateTime Router::deniedUntil(const QUuid &id, const QString &model) const
{
    return m_deniedModels.value(id).value(model);
}

void Router::denyModel(const QUuid &id, const QString &model, const QDateTime &until)
{
    auto &denied = m_deniedModels[id];
    const QDateTime now = m_clock.now();
    denied.removeIf([&](const auto &it) { return it.value() <= now; }); // expired ones
    denied.insert(model, until);
}

void Router::forget(const QUuid &id)
{
    m_deniedModels.remove(id);
    m_probes.remove(id);
    m_sessions.removeIf([&](const auto &it) { return it.value().account == id; });
}

void Router::pruneSessions(const QDateTime &now)
{
    m_sessions.removeIf(
        [&](const auto &it) { return it.value().lastSeen.addSecs(m_stickyTtlSecs) <= now; });
    // Still full of live sessions: drop the oldest half rather than grow without bound.
    if (m_sessions.size() >= maxSessions) {
        QList<QDateTime> seen;
        for (const Session &s : std::as_const(m_sessions))
            seen.append(s.lastSeen);
        std::nth_element(seen.begin(), seen.begin() + seen.size() / 2, seen.end());
        const QDateTime median = seen[seen.size() / 2];
        m_sessions.removeIf([&](const auto &it) { return it.value().lastSeen <= median; });
    }
}
