// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "gateway/ratelimits.h"
#include "gui/usage/pricetable.h"

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QString>

/// The overview's figures and texts, computed from usage records, rate limits and "now".
/// Pure.
class OverviewFigures
{
    Q_DECLARE_TR_FUNCTIONS(OverviewFigures)

public:
    /// Whose fault a finished request's status is. The error rate counts upstream faults
    /// only: a client's invalid request or cancellation says nothing of the accounts.
    enum class Outcome {
        Served, ///< 2xx
        UpstreamFault, ///< 5xx, or 429: no account could take it
        ClientError, ///< another 4xx: the request was wrong
        Cancelled, ///< 499: the client went away
    };
    static Outcome outcome(int status);

    /// What the requests of one day came to.
    struct Day
    {
        qint64 requests = 0;
        qint64 attempts = 0; ///< sent to accounts, failed over ones included
        qint64 upstreamFaults = 0; ///< attempts an account failed (5xx, 429, broken)
        qint64 clientErrors = 0;
        qint64 cancelled = 0;
        CostEstimate cost;
        /// The newest requests that failed or failed over, newest first.
        QList<UsageRecord> failures;

        /// The share of attempts an account failed, 0 to 1: a failover the client never
        /// saw counts, a client's invalid request does not.
        double faultRate() const { return attempts ? double(upstreamFaults) / attempts : 0; }
    };
    static constexpr int failuresShown = 5;
    /// Attempts of `record` an account failed: every one before the last, and the last too
    /// when it was the upstream's fault.
    static qint64 failedAttempts(const UsageRecord &record);
    /// The figures of the records that arrived on `day` (local time); `records` in any order.
    static Day day(const QList<UsageRecord> &records, const QDate &day, const PriceTable &prices);

    /// Which account serves and why: "work · pinned" while one is pinned, else what the
    /// last served request says: "home · same conversation", "home · after another account
    /// failed", "work · chosen by the Priority strategy"; "No request served yet" before any.
    static QString serving(const UsageRecord &last, const QString &pinnedName,
                           const QString &strategyName);
    /// "412 of 1,000 left · resets 14:03:20"; "full again" once the window reset passed;
    /// "—" when the upstream never said.
    static QString headroom(const RateLimit &limit, const QDateTime &now);
    /// Why a failed request failed, in a few words: its status and error type, then the
    /// path its attempts took when there was more than one.
    static QString failure(const UsageRecord &record);
};
