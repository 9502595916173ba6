// SPDX-License-Identifier: GPL-3.0-or-later
#include "usagesummary.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace UsageSummary {

QList<AccountRow> accountRows(const QList<UsageTotals> &totals, const QList<UsageRecord> &records,
                              const PriceTable &prices, const QHash<QUuid, QString> &names)
{
    QHash<QUuid, QList<UsageRecord>> byAccount;
    for (const UsageRecord &r : records)
        byAccount[r.accountId].append(r);
    QList<AccountRow> rows;
    for (const UsageTotals &t : totals) {
        AccountRow row {t.accountId, names.value(t.accountId, t.accountName), t,
                        prices.estimate(byAccount.value(t.accountId))};
        if (t.accountId.isNull())
            row.name = QCoreApplication::translate("UsageSummary", "No account");
        rows.append(row);
    }
    std::stable_sort(rows.begin(), rows.end(), [](const AccountRow &a, const AccountRow &b) {
        if (a.accountId.isNull() != b.accountId.isNull())
            return b.accountId.isNull();
        return a.totals.requests > b.totals.requests;
    });
    return rows;
}

std::pair<int, int> latencyPercentiles(const QList<UsageRecord> &records)
{
    QList<int> latencies;
    latencies.reserve(records.size());
    for (const UsageRecord &r : records)
        latencies.append(r.latencyMs);
    std::sort(latencies.begin(), latencies.end());
    return {UsageStore::percentile(latencies, 50), UsageStore::percentile(latencies, 95)};
}

QString compactNumber(qint64 value)
{
    const QLocale locale;
    if (value < 10000)
        return locale.toString(value);
    if (value < 1000000) {
        return QCoreApplication::translate("UsageSummary", "%1 k")
            .arg(locale.toString(double(value) / 1e3, 'f', 1));
    }
    return QCoreApplication::translate("UsageSummary", "%1 M")
        .arg(locale.toString(double(value) / 1e6, 'f', 2));
}

QString dollars(double value)
{
    const QLocale locale;
    if (value > 0 && value < 0.01)
        return QCoreApplication::translate("UsageSummary", "<$0.01");
    return QCoreApplication::translate("UsageSummary", "$%1").arg(locale.toString(value, 'f', 2));
}

} // namespace UsageSummary
