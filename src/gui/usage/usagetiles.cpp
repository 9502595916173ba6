// SPDX-License-Identifier: GPL-3.0-or-later
#include "usagetiles.h"

#include "gui/common/tilerow.h"
#include "gui/logs/logformat.h"
#include "gui/usage/usagesummary.h"

#include <QLocale>
#include <QWidget>

using namespace Qt::StringLiterals;

UsageTiles::UsageTiles(QWidget *container)
    : QObject(container)
    , m_row(new TileRow(container,
                        {u"requests"_s, u"tokens"_s, u"errors"_s, u"latency"_s, u"cost"_s}))
{
    retranslate();
}

void UsageTiles::retranslate()
{
    m_row->setTitle(u"requests"_s, tr("Requests"));
    m_row->setTitle(u"tokens"_s, tr("Tokens"));
    // Not the overview's upstream error rate: every failed request counts here.
    m_row->setTitle(u"errors"_s, tr("Failed requests"));
    m_row->setTitle(u"latency"_s, tr("Latency p50 / p95"));
    m_row->setTitle(u"cost"_s, tr("Estimated cost"));
}

QString UsageTiles::text(const QString &tile) const
{
    return m_row->text(tile);
}

QString UsageTiles::note(const QString &tile) const
{
    return m_row->note(tile);
}

void UsageTiles::show(const UsageBucket &all, const QList<UsageRecord> &recent, bool truncated,
                      const CostEstimate &cost, qint64 thinkingDropped)
{
    using UsageSummary::compactNumber;
    const QLocale locale;
    // Two lines in every tile, so they line up.
    m_row->set(u"requests"_s, locale.toString(all.requests),
               thinkingDropped > 0
                   ? tr("%n with thinking dropped after failover", nullptr, int(thinkingDropped))
                   : tr("in the range"));
    m_row->set(u"tokens"_s, compactNumber(all.tokens.total()),
               tr("%1 in · %2 out · %3 cache")
                   .arg(compactNumber(all.tokens.input), compactNumber(all.tokens.output),
                        compactNumber(all.tokens.cache())));
    m_row->set(u"errors"_s,
               tr("%1 %").arg(locale.toString(all.errorRate() * 100.0, 'f', all.errors ? 1 : 0)),
               tr("%n failed, client errors included", nullptr, int(all.errors)));
    const auto [p50, p95] = UsageSummary::latencyPercentiles(recent);
    m_row->set(u"latency"_s,
               recent.isEmpty()
                   ? u"—"_s
                   : tr("%1 / %2").arg(LogFormat::duration(p50), LogFormat::duration(p95)),
               truncated ? tr("of the latest %n request(s)", nullptr, int(recent.size()))
                         : tr("until the last byte"));
    QString costNote = tr("estimate from your price table");
    if (cost.unpricedRequests > 0) {
        costNote = tr("%n request(s) with models not in the price table are not counted", nullptr,
                      int(cost.unpricedRequests));
    } else if (truncated) {
        costNote = tr("estimate from the latest %n request(s)", nullptr, int(recent.size()));
    }
    m_row->set(u"cost"_s, UsageSummary::dollars(cost.dollars), costNote);
}
