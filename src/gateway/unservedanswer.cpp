// SPDX-License-Identifier: GPL-3.0-or-later
#include "unservedanswer.h"

#include "gateway/healthpolicy.h"
#include "gateway/router.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

UnservedAnswer UnservedAnswer::explain(const QList<Account> &accounts, const Router &router,
                                       const QString &model, const QList<AttemptFailure> &failures,
                                       const CooldownPolicy &cooldowns, const QDateTime &now)
{
    // Why the accounts that could serve this model are out, and when the first is back:
    // clients that honour retry-after then wait exactly that long.
    QDateTime soonest, deniedUntil;
    bool anyServes = false, soonestAfterErrors = false, probing = false;
    for (const Account &a : accounts) {
        if (!a.enabled || !Router::servesModel(a, model))
            continue;
        anyServes = true;
        probing = probing || router.isProbing(a.id);
        const QDateTime denied = router.deniedUntil(a.id, model);
        if (denied > now && (!deniedUntil.isValid() || denied < deniedUntil))
            deniedUntil = denied;
        const QDateTime at = HealthPolicy::availableAt(a, now);
        if (at.isValid() && at > now && (!soonest.isValid() || at < soonest)) {
            soonest = at;
            soonestAfterErrors = a.health.errorCount >= cooldowns.errorThreshold;
        }
    }
    if (probing && (!soonest.isValid() || now.secsTo(soonest) > 1)) {
        soonest = now.addSecs(1); // a probe decides within its timeout; ask to retry soon
        soonestAfterErrors = true;
    }
    auto answer = [&now](int status, const QString &type, const QString &message,
                         const QDateTime &retryAt = {}) {
        UnservedAnswer a;
        a.status = status;
        a.errorType = type;
        a.message = message;
        if (retryAt.isValid())
            a.retryAfterSeconds = std::max<qint64>(1, std::llround(now.msecsTo(retryAt) / 1000.0));
        return a;
    };

    if (failures.isEmpty()) {
        if (accounts.isEmpty()) {
            return answer(503, u"api_error"_s,
                          tr("Switchboard has no upstream accounts yet: add one in the window or "
                             "with: switchboard accounts add --name NAME < key.txt"));
        }
        if (!anyServes) {
            return answer(404, u"not_found_error"_s,
                          tr("No enabled account may serve the model \"%1\". Check the accounts' "
                             "allowed models.")
                              .arg(model));
        }
        if (soonest.isValid()) {
            const QString at = soonest.toString(Qt::ISODate);
            if (soonestAfterErrors) {
                return answer(503, u"api_error"_s,
                              tr("Every account that serves this model is resting after "
                                 "repeated upstream errors; the first is tried again at %1.")
                                  .arg(at),
                              soonest);
            }
            return answer(429, u"rate_limit_error"_s,
                          tr("Every account that serves this model is resting; the first is "
                             "available again at %1.")
                              .arg(at),
                          soonest);
        }
        if (deniedUntil.isValid()) {
            return answer(403, u"permission_error"_s,
                          tr("Every account that serves the model \"%1\" was refused access to "
                             "it by its provider; they are tried again at %2.")
                              .arg(model, deniedUntil.toString(Qt::ISODate)),
                          deniedUntil);
        }
        return answer(503, u"api_error"_s,
                      tr("No account is available: every account is disabled, parked or has an "
                         "invalid key. Open Switchboard to fix them."));
    }

    const auto best = std::max_element(failures.cbegin(), failures.cend(),
                                       [](const AttemptFailure &a, const AttemptFailure &b) {
                                           return a.verdict.weight < b.verdict.weight;
                                       });
    QStringList reasons;
    for (const AttemptFailure &f : failures)
        reasons << u"%1: %2"_s.arg(f.account, f.verdict.reason);
    const QString message = failures.size() == 1
        ? tr("The upstream account failed. %1").arg(reasons.first())
        : tr("All %1 upstream attempts failed. %2").arg(failures.size()).arg(reasons.join(u"; "));
    // Only a rate limit or an overload makes "come back then" the actionable part.
    const int status = best->verdict.clientStatus;
    return answer(status, best->verdict.errorType, message,
                  status == 429 || status == 529 ? soonest : QDateTime());
}
