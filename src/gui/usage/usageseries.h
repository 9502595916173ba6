// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "core/usagestore.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QUuid>

/// One time bucket of one account (or of all accounts).
struct UsageBucket
{
    qint64 requests = 0;
    qint64 errors = 0;
    TokenCounts tokens;
    qint64 latencyMsSum = 0;

    /// errors / requests, 0 without requests.
    double errorRate() const { return requests > 0 ? double(errors) / double(requests) : 0.0; }
    int averageLatencyMs() const { return requests > 0 ? int(latencyMsSum / requests) : 0; }
    UsageBucket &operator+=(const UsageBucket &other);
};

/// The charts' data: usage over a time range, per account, in fixed buckets aligned to local
/// time (1 h → minutes, 24 h → 15 minutes, 7 d → hours, 30 d → days). Fed from the stored
/// minute aggregates and then from live requests; slides as time passes. Pure.
class UsageSeries final
{
public:
    enum class Range { Hour, Day, Week, Month };

    static qint64 spanSeconds(Range range);
    static qint64 bucketSeconds(Range range);

    /// Empties the series and places its window so that the bucket holding `now` is last.
    void reset(Range range, const QDateTime &now);
    Range range() const { return m_range; }
    /// The window: [from, to), `to` being the end of the bucket that holds "now".
    QDateTime from() const { return m_from; }
    QDateTime to() const { return m_to; }
    int bucketCount() const { return m_count; }
    QDateTime bucketStart(int index) const;
    /// The bucket holding `time`, or -1 outside the window.
    int bucketIndex(const QDateTime &time) const;

    /// False if the minute or record lies outside the window.
    bool add(const UsageMinute &minute);
    bool add(const UsageRecord &record);
    /// Slides the window so the bucket holding `now` is last: old buckets drop off, new ones
    /// start empty. True if it moved.
    bool advanceTo(const QDateTime &now);

    /// The accounts seen, in the order they first appeared (null: no account answered).
    QList<QUuid> accounts() const { return m_accounts; }
    /// One bucket per index of the account; empty buckets for an unknown account.
    QList<UsageBucket> buckets(const QUuid &account) const;
    /// All accounts summed, per bucket.
    QList<UsageBucket> total() const;
    /// The whole window of the account (null QUuid with `all`: every account).
    UsageBucket overall() const;
    UsageBucket overall(const QUuid &account) const;

private:
    bool add(const QDateTime &time, const QUuid &account, const UsageBucket &value);
    /// The start of the local-time-aligned bucket holding `time`.
    QDateTime alignedStart(const QDateTime &time) const;

    Range m_range = Range::Hour;
    QDateTime m_from;
    QDateTime m_to;
    int m_count = 0;
    QList<QUuid> m_accounts;
    QHash<QUuid, QList<UsageBucket>> m_buckets;
};
