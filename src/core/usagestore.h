// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/usagerecord.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>

class Database;

/// Per-account totals over a time range.
struct UsageTotals
{
    QUuid accountId; ///< null: requests no account answered
    QString accountName;
    qint64 requests = 0;
    qint64 errors = 0; ///< status >= 400 (client disconnects included)
    qint64 thinkingDropped = 0; ///< requests whose thinking from another account was left out
    TokenCounts tokens;
    int p50LatencyMs = 0;
    int p95LatencyMs = 0;
};

/// One minute of one account, for charts.
struct UsageMinute
{
    QDateTime minute;
    QUuid accountId;
    qint64 requests = 0;
    qint64 errors = 0;
    TokenCounts tokens;
    qint64 latencyMsSum = 0;
};

/// The usage log and its minute aggregates. Synchronous; used by the storage worker.
class UsageStore final
{
public:
    explicit UsageStore(Database &db);

    /// Writes the records and folds them into the minute aggregates, in one transaction.
    Status record(const QList<UsageRecord> &records);
    Result<QList<UsageTotals>> totals(const QDateTime &from, const QDateTime &to) const;
    Result<QList<UsageMinute>> minutes(const QDateTime &from, const QDateTime &to) const;
    /// The newest records first.
    Result<QList<UsageRecord>> recent(int limit) const;

    static QJsonObject toJson(const UsageTotals &totals);
    static QJsonArray toJson(const QList<UsageTotals> &totals);
    /// The nearest-rank percentile of sorted values (p in 0..100); 0 for none.
    static int percentile(const QList<int> &sorted, int p);

private:
    Database &m_db;
};
