// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreamoutcome.h"

QByteArray UpstreamOutcome::header(const QByteArray &lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

Verdict Verdict::failover(Effect effect, const QString &reason, int clientStatus,
                          const QString &errorType, int weight, const QDateTime &until)
{
    Verdict v;
    v.route = Route::Failover;
    v.effect = effect;
    v.until = until;
    v.reason = v.errorMessage = reason;
    v.clientStatus = clientStatus;
    v.errorType = errorType;
    v.weight = weight;
    return v;
}
