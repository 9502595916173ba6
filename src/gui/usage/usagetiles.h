// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "gui/usage/pricetable.h"
#include "gui/usage/usageseries.h"

#include <QObject>

class QWidget;
class TileRow;

/// The usage page's summary tiles, side by side in their container: requests, tokens, error
/// rate, latency p50/p95 and estimated cost of the range, each with a muted title and note.
class UsageTiles final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageTiles)

public:
    /// Fills `container` (and lives as long as it does).
    explicit UsageTiles(QWidget *container);

    /// `overall`: the range's totals; `recent`: its latest requests (`truncated`: not all of
    /// them), for the latency percentiles; `cost`: their estimate; `thinkingDropped`: the
    /// requests that moved to an account without the thinking it could not verify.
    void show(const UsageBucket &overall, const QList<UsageRecord> &recent, bool truncated,
              const CostEstimate &cost, qint64 thinkingDropped);
    void retranslate();
    /// The value of a tile: "requests", "tokens", "errors", "latency", "cost".
    QString text(const QString &tile) const;
    /// The line under a tile's value.
    QString note(const QString &tile) const;

private:
    TileRow *m_row;
};
