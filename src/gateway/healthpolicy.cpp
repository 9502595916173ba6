// SPDX-License-Identifier: GPL-3.0-or-later
#include "healthpolicy.h"

using Effect = Verdict::Effect;

AccountHealth HealthPolicy::apply(AccountHealth h, const Verdict &verdict,
                                  const CooldownPolicy &policy, const QDateTime &now)
{
    switch (verdict.effect) {
    case Effect::None:
    case Effect::ModelDenied: // per model: kept by the router, not in the account's health
        break;
    case Effect::Success:
        h.state = HealthState::Valid;
        h.reason.clear();
        h.errorCount = 0;
        h.cooldownUntil = {};
        break;
    case Effect::Invalid:
        h.state = HealthState::Invalid;
        h.reason = verdict.reason;
        h.cooldownUntil = {};
        break;
    case Effect::Park:
        h.state = HealthState::Disabled;
        h.reason = verdict.reason;
        h.cooldownUntil = verdict.until;
        break;
    case Effect::Cooldown:
        if (!h.cooldownUntil.isValid() || verdict.until > h.cooldownUntil)
            h.cooldownUntil = verdict.until;
        h.reason = verdict.reason;
        break;
    case Effect::CountError:
        ++h.errorCount;
        h.reason = verdict.reason;
        if (h.errorCount >= policy.errorThreshold) {
            // Like two cooldowns, keep the later rest: a rate limit may outlast the circuit.
            const QDateTime rest = now.addSecs(policy.circuitSeconds);
            if (!h.cooldownUntil.isValid() || rest > h.cooldownUntil)
                h.cooldownUntil = rest;
            h.reason
                = tr("%n error(s) in a row, resting until %1. Last: %2", nullptr, h.errorCount)
                      .arg(h.cooldownUntil.toLocalTime().toString(u"HH:mm:ss"), verdict.reason);
        }
        break;
    }
    return h;
}

bool HealthPolicy::isAvailable(const Account &a, const QDateTime &now)
{
    if (!a.enabled || a.health.state == HealthState::Invalid)
        return false;
    if (a.health.state == HealthState::Disabled)
        return a.health.cooldownUntil.isValid() && a.health.cooldownUntil <= now;
    return !a.health.cooldownUntil.isValid() || a.health.cooldownUntil <= now;
}

bool HealthPolicy::isHalfOpen(const Account &a, int errorThreshold, const QDateTime &now)
{
    return a.health.errorCount >= errorThreshold && isAvailable(a, now);
}

QDateTime HealthPolicy::availableAt(const Account &a, const QDateTime &now)
{
    if (isAvailable(a, now))
        return now;
    if (!a.enabled || a.health.state == HealthState::Invalid)
        return {};
    return a.health.cooldownUntil; // null for an account parked until the user acts
}
