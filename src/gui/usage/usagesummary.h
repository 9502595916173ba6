// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "core/usagestore.h"
#include "gui/usage/pricetable.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QUuid>

/// The usage page's figures for a range, computed from what storage gave and what the
/// gateway reported since. Pure.
namespace UsageSummary {

/// One row of the per-account table.
struct AccountRow
{
    QUuid accountId;
    QString name;
    UsageTotals totals;
    CostEstimate cost;
};

/// The per-account table: storage totals (exact percentiles) joined with the cost of the
/// records of each account. Busiest account first; "No account" last.
QList<AccountRow> accountRows(const QList<UsageTotals> &totals, const QList<UsageRecord> &records,
                              const PriceTable &prices, const QHash<QUuid, QString> &names);
/// Nearest-rank p50 and p95 of the records' latencies.
std::pair<int, int> latencyPercentiles(const QList<UsageRecord> &records);
/// "950", "12.3 k", "4.56 M".
QString compactNumber(qint64 value);
/// "$0.42", "$12.30", "<$0.01".
QString dollars(double value);

} // namespace UsageSummary
