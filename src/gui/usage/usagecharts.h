// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/common/statuspalette.h"
#include "gui/usage/usageseries.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUuid>

class QAreaSeries;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
class QWidget;

/// The usage page's three charts, drawn from a UsageSeries: requests stacked by account
/// (with a total line), tokens stacked by kind, and error rate with average latency.
class UsageCharts final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsageCharts)

public:
    explicit UsageCharts(QWidget *parent);

    QChartView *requestsView() const { return m_requestsView; }
    QChartView *tokensView() const { return m_tokensView; }
    QChartView *qualityView() const { return m_qualityView; }

    /// Redraws everything. `accounts`: the configured accounts' ids and names, in the order
    /// (and so the colours) the stack uses; others seen in the series follow.
    void update(const UsageSeries &series, const QList<std::pair<QUuid, QString>> &accounts);
    void retranslate();

    /// For tests: one point per bucket, y = requests of all accounts.
    const QLineSeries *requestsTotal() const { return m_requestsTotal; }
    const QLineSeries *tokensTotal() const { return m_tokensTotal; }
    /// Stacked areas, one per account, in legend order.
    QList<const QAreaSeries *> accountAreas() const;

private:
    struct Stack
    {
        QChart *chart = nullptr;
        QDateTimeAxis *x = nullptr;
        QValueAxis *y = nullptr;
        QList<QAreaSeries *> areas;
    };
    void setStack(Stack &stack, const UsageSeries &series, const QStringList &names,
                  const QList<QColor> &colors, const QList<QList<double>> &values);
    void setTimeAxis(QDateTimeAxis *axis, const UsageSeries &series) const;
    QString perBucketText() const;

    QChartView *m_requestsView;
    QChartView *m_tokensView;
    QChartView *m_qualityView;
    Stack m_requests;
    Stack m_tokens;
    QLineSeries *m_requestsTotal;
    QLineSeries *m_tokensTotal;
    QChart *m_quality;
    QDateTimeAxis *m_qualityX;
    QValueAxis *m_errorAxis;
    QValueAxis *m_latencyAxis;
    QLineSeries *m_errorRate;
    QLineSeries *m_latency;
    StatusPalette m_colors;
    UsageSeries::Range m_range = UsageSeries::Range::Hour;
};
