// SPDX-License-Identifier: GPL-3.0-or-later
#include "usagetiles.h"

#include "gui/common/statuspalette.h"
#include "gui/usage/usagesummary.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

UsageTiles::UsageTiles(QWidget *container)
    : QObject(container)
{
    auto *layout = new QHBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const QString &key : {u"requests"_s, u"tokens"_s, u"errors"_s, u"latency"_s, u"cost"_s}) {
        auto *frame = new QFrame(container);
        frame->setObjectName(key + u"Tile"_s);
        frame->setFrameShape(QFrame::StyledPanel);
        auto *box = new QVBoxLayout(frame);
        box->setSpacing(2);
        Tile tile {new QLabel(frame), new QLabel(frame), new QLabel(frame)};
        QFont big = tile.value->font();
        big.setPointSizeF(big.pointSizeF() * 1.6);
        big.setBold(true);
        tile.value->setFont(big);
        tile.value->setObjectName(key + u"Value"_s);
        StatusPalette::paintText(tile.note, StatusPalette::Role::Muted);
        StatusPalette::paintText(tile.title, StatusPalette::Role::Muted);
        // Notes take up to two lines; every tile keeps room for two so they line up.
        tile.note->setWordWrap(true);
        tile.note->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        tile.note->setMinimumHeight(2 * tile.note->fontMetrics().lineSpacing());
        box->addWidget(tile.title);
        box->addWidget(tile.value);
        box->addWidget(tile.note);
        layout->addWidget(frame, 1);
        m_tiles.insert(key, tile);
    }
    retranslate();
}

void UsageTiles::retranslate()
{
    m_tiles[u"requests"_s].title->setText(tr("Requests"));
    m_tiles[u"tokens"_s].title->setText(tr("Tokens"));
    m_tiles[u"errors"_s].title->setText(tr("Error rate"));
    m_tiles[u"latency"_s].title->setText(tr("Latency p50 / p95"));
    m_tiles[u"cost"_s].title->setText(tr("Estimated cost"));
}

QString UsageTiles::text(const QString &tile) const
{
    const auto it = m_tiles.constFind(tile);
    return it == m_tiles.cend() ? QString() : it->value->text();
}

QString UsageTiles::note(const QString &tile) const
{
    const auto it = m_tiles.constFind(tile);
    return it == m_tiles.cend() ? QString() : it->note->text();
}

void UsageTiles::set(const QString &tile, const QString &value, const QString &note)
{
    m_tiles[tile].value->setText(value);
    m_tiles[tile].note->setText(note);
}

void UsageTiles::show(const UsageBucket &all, const QList<UsageRecord> &recent, bool truncated,
                      const CostEstimate &cost, qint64 thinkingDropped)
{
    using UsageSummary::compactNumber;
    const QLocale locale;
    // Two lines in every tile, so they line up.
    set(u"requests"_s, locale.toString(all.requests),
        thinkingDropped > 0
            ? tr("%n with thinking dropped after failover", nullptr, int(thinkingDropped))
            : tr("in the range"));
    set(u"tokens"_s, compactNumber(all.tokens.total()),
        tr("%1 in · %2 out · %3 cache")
            .arg(compactNumber(all.tokens.input), compactNumber(all.tokens.output),
                 compactNumber(all.tokens.cache())));
    set(u"errors"_s,
        tr("%1 %").arg(locale.toString(all.errorRate() * 100.0, 'f', all.errors ? 1 : 0)),
        tr("%n failed request(s)", nullptr, int(all.errors)));
    const auto [p50, p95] = UsageSummary::latencyPercentiles(recent);
    set(u"latency"_s,
        recent.isEmpty() ? u"—"_s
                         : tr("%1 / %2 s")
                               .arg(locale.toString(p50 / 1000.0, 'f', 1),
                                    locale.toString(p95 / 1000.0, 'f', 1)),
        truncated ? tr("of the latest %n request(s)", nullptr, int(recent.size()))
                  : tr("until the last byte"));
    QString costNote = tr("estimate from your price table");
    if (cost.unpricedRequests > 0) {
        costNote = tr("%n request(s) with models not in the price table are not counted", nullptr,
                      int(cost.unpricedRequests));
    } else if (truncated) {
        costNote = tr("estimate from the latest %n request(s)", nullptr, int(recent.size()));
    }
    set(u"cost"_s, UsageSummary::dollars(cost.dollars), costNote);
}
