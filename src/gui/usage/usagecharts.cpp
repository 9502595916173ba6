// SPDX-License-Identifier: GPL-3.0-or-later
#include "usagecharts.h"

#include "gui/common/statuspalette.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace {

using Role = StatusPalette::Role;

QChartView *makeView(QChart *chart, QWidget *parent)
{
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setAnimationOptions(QChart::NoAnimation);
    auto *view = new QChartView(chart, parent);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumSize(260, 160); // four fit an 800 × 600 window
    return view;
}

/// A top for the value axis that gives round tick labels.
double niceTop(double max)
{
    if (max <= 4)
        return 4;
    double step = 1;
    while (max / step > 10)
        step *= 10;
    const double top = std::ceil(max / step) * step;
    return top;
}

} // namespace

UsageCharts::UsageCharts(QWidget *parent)
    : QObject(parent)
    , m_colors(parent->palette())
{
    // A dark window gets dark charts; the theme goes first, as it recolours every series.
    const QChart::ChartTheme theme
        = m_colors.isDark() ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    for (Stack *stack : {&m_requests, &m_tokens}) {
        stack->chart = new QChart;
        stack->chart->setTheme(theme);
        stack->x = new QDateTimeAxis(stack->chart);
        stack->y = new QValueAxis(stack->chart);
        stack->y->setLabelFormat(u"%.0f"_s);
        stack->y->setMin(0);
        stack->chart->addAxis(stack->x, Qt::AlignBottom);
        stack->chart->addAxis(stack->y, Qt::AlignLeft);
    }
    m_requestsTotal = new QLineSeries(m_requests.chart);
    m_tokensTotal = new QLineSeries(m_tokens.chart);
    for (auto [stack, total] :
         {std::pair {&m_requests, m_requestsTotal}, {&m_tokens, m_tokensTotal}}) {
        total->setPen(QPen(m_colors.seriesTotal(), 1.5));
        stack->chart->addSeries(total);
        total->attachAxis(stack->x);
        total->attachAxis(stack->y);
    }
    m_requestsView = makeView(m_requests.chart, parent);
    m_requestsView->setObjectName(u"requestsChart"_s);
    m_tokensView = makeView(m_tokens.chart, parent);
    m_tokensView->setObjectName(u"tokensChart"_s);

    m_quality = new QChart;
    m_quality->setTheme(theme);
    m_qualityX = new QDateTimeAxis(m_quality);
    m_errorAxis = new QValueAxis(m_quality);
    m_errorAxis->setRange(0, 100);
    m_errorAxis->setLabelFormat(u"%.0f %%"_s);
    m_latencyAxis = new QValueAxis(m_quality);
    m_latencyAxis->setLabelFormat(u"%.0f"_s);
    m_latencyAxis->setMin(0);
    m_quality->addAxis(m_qualityX, Qt::AlignBottom);
    m_quality->addAxis(m_errorAxis, Qt::AlignLeft);
    m_quality->addAxis(m_latencyAxis, Qt::AlignRight);
    m_errorRate = new QLineSeries(m_quality);
    m_errorRate->setPen(QPen(m_colors.color(Role::Error), 2));
    m_latency = new QLineSeries(m_quality);
    m_latency->setPen(QPen(m_colors.series(0), 2));
    m_errorAxis->setLinePenColor(m_errorRate->pen().color());
    m_latencyAxis->setLinePenColor(m_latency->pen().color());
    for (auto [line, axis] : {std::pair {m_errorRate, m_errorAxis}, {m_latency, m_latencyAxis}}) {
        m_quality->addSeries(line);
        line->attachAxis(m_qualityX);
        line->attachAxis(axis);
    }
    m_qualityView = makeView(m_quality, parent);
    m_qualityView->setObjectName(u"qualityChart"_s);
    retranslate();
}

QList<const QAreaSeries *> UsageCharts::accountAreas() const
{
    QList<const QAreaSeries *> areas;
    for (const QAreaSeries *a : m_requests.areas)
        areas.append(a);
    return areas;
}

void UsageCharts::retranslate()
{
    // The bucket goes in the title: Qt Charts elides short vertical CJK axis titles.
    m_requests.chart->setTitle(tr("Requests %1").arg(perBucketText()));
    m_tokens.chart->setTitle(tr("Tokens %1").arg(perBucketText()));
    m_quality->setTitle(tr("Errors and latency"));
    m_requestsTotal->setName(tr("All accounts"));
    m_tokensTotal->setName(tr("All tokens"));
    m_errorRate->setName(tr("Error rate"));
    m_latency->setName(tr("Average latency (ms)"));
    m_errorAxis->setTitleText(tr("Error rate"));
    m_latencyAxis->setTitleText(tr("Latency (ms)"));
}

QString UsageCharts::perBucketText() const
{
    switch (m_range) {
    case UsageSeries::Range::Hour:
        return tr("per minute");
    case UsageSeries::Range::Day:
        return tr("per 15 minutes");
    case UsageSeries::Range::Week:
        return tr("per hour");
    case UsageSeries::Range::Month:
        return tr("per day");
    }
    return {};
}

void UsageCharts::setTimeAxis(QDateTimeAxis *axis, const UsageSeries &series) const
{
    switch (series.range()) {
    case UsageSeries::Range::Hour:
    case UsageSeries::Range::Day:
        axis->setFormat(u"HH:mm"_s);
        break;
    case UsageSeries::Range::Week:
        axis->setFormat(u"ddd HH:mm"_s);
        break;
    case UsageSeries::Range::Month:
        axis->setFormat(u"MM-dd"_s);
        break;
    }
    axis->setTickCount(7);
    axis->setRange(series.from().toLocalTime(),
                   series.bucketStart(series.bucketCount() - 1).toLocalTime());
}

void UsageCharts::setStack(Stack &stack, const UsageSeries &series, const QStringList &names,
                           const QList<QColor> &colors, const QList<QList<double>> &values)
{
    // Reuse the areas that exist: rebuilding series on every request flickers the legend.
    while (stack.areas.size() > values.size()) {
        QAreaSeries *area = stack.areas.takeLast();
        stack.chart->removeSeries(area);
        delete area;
    }
    while (stack.areas.size() < values.size()) {
        auto *area = new QAreaSeries(new QLineSeries, new QLineSeries);
        area->upperSeries()->setParent(area);
        area->lowerSeries()->setParent(area);
        stack.chart->addSeries(area);
        area->attachAxis(stack.x);
        area->attachAxis(stack.y);
        stack.areas.append(area);
    }
    const int n = series.bucketCount();
    QList<double> base(n, 0.0);
    double top = 0;
    for (qsizetype s = 0; s < values.size(); ++s) {
        QList<QPointF> lower;
        QList<QPointF> upper;
        lower.reserve(n);
        upper.reserve(n);
        for (int i = 0; i < n; ++i) {
            const double x = double(series.bucketStart(i).toMSecsSinceEpoch());
            lower.append({x, base[i]});
            base[i] += values[s][i];
            upper.append({x, base[i]});
            top = std::max(top, base[i]);
        }
        QAreaSeries *area = stack.areas[s];
        area->setName(names[s]);
        QColor fill = colors[s];
        fill.setAlpha(170);
        area->setBrush(fill);
        area->setPen(QPen(colors[s], 1));
        area->lowerSeries()->replace(lower);
        area->upperSeries()->replace(upper);
    }
    stack.y->setRange(0, niceTop(top));
    setTimeAxis(stack.x, series);
}

void UsageCharts::update(const UsageSeries &series,
                         const QList<std::pair<QUuid, QString>> &configured)
{
    if (series.range() != m_range) {
        m_range = series.range();
        retranslate();
    }
    const int n = series.bucketCount();
    auto pointsOf = [&series, n](auto value) {
        QList<QPointF> points;
        points.reserve(n);
        for (int i = 0; i < n; ++i)
            points.append({double(series.bucketStart(i).toMSecsSinceEpoch()), value(i)});
        return points;
    };
    const QList<UsageBucket> total = series.total();

    // Requests, stacked by account in the configured order, so an account keeps its colour
    // and place whatever the range; then removed accounts; "No account" on top.
    const QList<QUuid> seen = series.accounts();
    QStringList accountNames;
    QList<QColor> colors;
    QList<QList<double>> requests;
    auto addAccount = [&](const QUuid &id, const QString &name, const QColor &color) {
        if (!seen.contains(id))
            return;
        accountNames.append(name);
        colors.append(color);
        QList<double> values;
        for (const UsageBucket &b : series.buckets(id))
            values.append(double(b.requests));
        requests.append(values);
    };
    QList<QUuid> known;
    for (qsizetype i = 0; i < configured.size(); ++i) {
        known.append(configured[i].first);
        addAccount(configured[i].first, configured[i].second, m_colors.series(int(i)));
    }
    for (const QUuid &id : seen) {
        if (!id.isNull() && !known.contains(id))
            addAccount(id, tr("Removed account"), m_colors.seriesTotal());
    }
    addAccount(QUuid(), tr("No account"), m_colors.color(Role::Muted));
    setStack(m_requests, series, accountNames, colors, requests);
    m_requestsTotal->replace(pointsOf([&total](int i) { return double(total[i].requests); }));

    // Tokens, stacked by kind.
    QList<QList<double>> tokens(4);
    for (const UsageBucket &b : total) {
        tokens[0].append(double(b.tokens.input));
        tokens[1].append(double(b.tokens.output));
        tokens[2].append(double(b.tokens.cacheRead));
        tokens[3].append(double(b.tokens.cacheWrite));
    }
    setStack(m_tokens, series, {tr("Input"), tr("Output"), tr("Cache read"), tr("Cache write")},
             {m_colors.series(0), m_colors.series(2), m_colors.series(7), m_colors.series(1)},
             tokens);
    m_tokensTotal->replace(pointsOf([&total](int i) { return double(total[i].tokens.total()); }));

    // Error rate and latency: buckets without requests have neither, so they show as 0.
    m_errorRate->replace(pointsOf([&total](int i) { return total[i].errorRate() * 100.0; }));
    double slowest = 0;
    m_latency->replace(pointsOf([&total, &slowest](int i) {
        slowest = std::max(slowest, double(total[i].averageLatencyMs()));
        return double(total[i].averageLatencyMs());
    }));
    m_latencyAxis->setRange(0, niceTop(slowest));
    setTimeAxis(m_qualityX, series);
}
