// SPDX-License-Identifier: GPL-3.0-or-later
#include "overviewfigures.h"

#include "gui/logs/logformat.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

OverviewFigures::Outcome OverviewFigures::outcome(int status)
{
    if (status == 499)
        return Outcome::Cancelled;
    if (status >= 500 || status == 429)
        return Outcome::UpstreamFault;
    if (status >= 400)
        return Outcome::ClientError;
    return Outcome::Served;
}

OverviewFigures::Day OverviewFigures::day(const QList<UsageRecord> &records, const QDate &day,
                                          const PriceTable &prices)
{
    Day figures;
    QList<UsageRecord> ofDay;
    for (const UsageRecord &r : records) {
        if (r.time.toLocalTime().date() != day)
            continue;
        ofDay.append(r);
        ++figures.requests;
        figures.attempts += std::max(1, r.attempts);
        const qint64 failed = failedAttempts(r);
        figures.upstreamFaults += failed;
        const Outcome result = outcome(r.status);
        if (result == Outcome::ClientError)
            ++figures.clientErrors;
        else if (result == Outcome::Cancelled)
            ++figures.cancelled;
        if (failed > 0 || result == Outcome::ClientError)
            figures.failures.append(r);
    }
    figures.cost = prices.estimate(ofDay);
    std::stable_sort(figures.failures.begin(), figures.failures.end(),
                     [](const UsageRecord &a, const UsageRecord &b) { return a.time > b.time; });
    figures.failures = figures.failures.first(qMin(figures.failures.size(), failuresShown));
    return figures;
}

qint64 OverviewFigures::failedAttempts(const UsageRecord &record)
{
    const int attempts = std::max(1, record.attempts);
    return outcome(record.status) == Outcome::UpstreamFault ? attempts : attempts - 1;
}

QString OverviewFigures::serving(const UsageRecord &last, const QString &pinnedName,
                                 const QString &strategyName)
{
    using Route = UsageRecord::Route;
    if (!pinnedName.isEmpty())
        return tr("%1 · pinned").arg(pinnedName);
    switch (last.route) {
    case Route::None:
    case Route::Pinned: // since unpinned: nothing says what serves next
        break;
    case Route::Session:
        return tr("%1 · same conversation").arg(last.accountName);
    case Route::Failover:
        return tr("%1 · after another account failed").arg(last.accountName);
    case Route::Strategy:
        return tr("%1 · chosen by the %2 strategy").arg(last.accountName, strategyName);
    }
    if (last.accountId.isNull() && outcome(last.status) == Outcome::UpstreamFault)
        return tr("no account could serve the last request (%1)").arg(LogFormat::status(last));
    return last.accountId.isNull() ? tr("No request served yet") : last.accountName;
}

QString OverviewFigures::headroom(const RateLimit &limit, const QDateTime &now)
{
    if (!limit.isKnown())
        return u"—"_s;
    if (limit.reset.isValid() && limit.reset <= now)
        return tr("full again");
    const QLocale locale;
    const QString left = tr("%1 of %2 left")
                             .arg(locale.toString(qMin(limit.remaining, limit.limit)),
                                  locale.toString(limit.limit));
    if (!limit.reset.isValid())
        return left;
    return tr("%1 · resets %2").arg(left, LogFormat::time(limit.reset, now));
}

QString OverviewFigures::failure(const UsageRecord &record)
{
    if (outcome(record.status) == Outcome::Served) // served, after another account failed
        return tr("failed over: %1").arg(record.path);
    const QString status = LogFormat::status(record);
    return record.attempts > 1 ? tr("%1 · %2").arg(status, LogFormat::attempts(record)) : status;
}
