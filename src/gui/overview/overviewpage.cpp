// SPDX-License-Identifier: GPL-3.0-or-later
#include "overviewpage.h"

#include "core/clock.h"
#include "gui/accounts/healthbadgedelegate.h"
#include "gui/common/backgroundtask.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "gui/common/tilerow.h"
#include "gui/logs/logformat.h"
#include "gui/overview/overviewaccountsmodel.h"
#include "gui/overview/overviewfigures.h"
#include "gui/settings/settingschoices.h"
#include "gui/usage/usagesummary.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QDateTimeAxis>
#include <QDir>
#include <QEvent>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QValueAxis>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

/// Today's records beyond these are left out of the figures (the tiles say so).
constexpr int recordLimit = 20000;

QLabel *heading(QWidget *parent)
{
    auto *label = new QLabel(parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

/// The step between the value axis's five labels: 1, 2 or 5 times a power of ten, so that
/// four steps reach `peak` (0, 50, 100, 150, 200 for a peak of 122).
qint64 labelStep(qint64 peak)
{
    for (qint64 power = 1;; power *= 10) {
        for (const qint64 step : {power, 2 * power, 5 * power}) {
            if (4 * step >= peak)
                return step;
        }
    }
}

} // namespace

OverviewPage::OverviewPage(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_model(new OverviewAccountsModel(runtime, this))
    , m_setup(new QWidget(this))
    , m_setupText(new QLabel(m_setup))
    , m_setupAction(new QPushButton(m_setup))
    , m_endpointState(heading(this))
    , m_address(new QLabel(this))
    , m_copy(new QPushButton(this))
    , m_endpointAction(new QPushButton(this))
    , m_servingTitle(new QLabel(this))
    , m_serving(new QLabel(this))
    , m_chartView(new QChartView(this))
    , m_line(new QLineSeries(this))
    , m_area(new QAreaSeries(m_line))
    , m_x(new QDateTimeAxis(this))
    , m_y(new QValueAxis(this))
    , m_failuresTitle(heading(this))
    , m_failures(new QVBoxLayout)
    , m_noFailures(new QLabel(this))
    , m_accountsTitle(heading(this))
    , m_accounts(new QTableView(this))
    , m_tick(runtime.clock(), this)
{
    setObjectName(u"overviewPage"_s);
    m_endpointState->setWordWrap(true); // a failed start's message is long
    m_address->setObjectName(u"endpointAddress"_s);
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copy->setObjectName(u"copyAddress"_s);
    m_endpointAction->setObjectName(u"endpointAction"_s);
    m_serving->setObjectName(u"servingNow"_s);
    m_serving->setTextInteractionFlags(Qt::TextSelectableByMouse);
    StatusPalette::paintText(m_servingTitle, StatusPalette::Role::Muted);

    m_setup->setObjectName(u"setupHint"_s);
    m_setupText->setWordWrap(true);
    StatusPalette::paintText(m_setupText, StatusPalette::Role::Warning);
    auto *setup = new QHBoxLayout(m_setup);
    setup->setContentsMargins(0, 0, 0, 0);
    setup->addWidget(m_setupText, 1);
    setup->addWidget(m_setupAction);
    connect(m_setupAction, &QPushButton::clicked, this, &OverviewPage::createKeyRequested);

    auto *endpoint = new QHBoxLayout;
    endpoint->addWidget(m_endpointState);
    endpoint->addWidget(m_address);
    endpoint->addWidget(m_copy);
    endpoint->addWidget(m_endpointAction);
    endpoint->addStretch(1);
    auto *serving = new QHBoxLayout;
    serving->addWidget(m_servingTitle);
    serving->addWidget(m_serving, 1);

    auto *tiles = new QWidget(this);
    m_tiles = new TileRow(tiles, {u"requests"_s, u"tokens"_s, u"cost"_s, u"errors"_s});

    // Requests per minute of the last hour: a filled line, no legend, few labels.
    auto *chart = new QChart;
    chart->legend()->hide();
    chart->setMargins(QMargins(0, 0, 0, 0));
    chart->setBackgroundRoundness(0);
    chart->addSeries(m_area);
    m_x->setTickCount(4);
    m_y->setLabelFormat(u"%d"_s);
    m_y->setTickCount(5);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_area->attachAxis(m_x);
    m_area->attachAxis(m_y);
    const StatusPalette palette(this->palette());
    QColor fill = palette.series(0);
    m_area->setPen(QPen(fill, 1.5));
    fill.setAlpha(90);
    m_area->setBrush(fill);
    chart->setBackgroundBrush(this->palette().base());
    chart->setTitleBrush(this->palette().text());
    m_x->setLabelsBrush(this->palette().text());
    m_y->setLabelsBrush(this->palette().text());
    // setChart() releases the view's own first chart without deleting it.
    QChart *placeholder = m_chartView->chart();
    m_chartView->setChart(chart);
    delete placeholder;
    m_chartView->setObjectName(u"requestsPerMinute"_s);
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(150);

    auto *failures = new QWidget(this);
    failures->setLayout(m_failures);
    m_failures->setContentsMargins(0, 0, 0, 0);
    m_failures->addWidget(m_failuresTitle);
    m_failures->addWidget(m_noFailures);
    m_failures->addStretch(1);
    StatusPalette::paintText(m_noFailures, StatusPalette::Role::Muted);
    m_noFailures->setWordWrap(true);

    m_accounts->setObjectName(u"overviewAccounts"_s);
    m_accounts->setModel(m_model);
    m_accounts->setItemDelegateForColumn(OverviewAccountsModel::Health,
                                         new HealthBadgeDelegate(m_accounts));
    m_accounts->setSelectionMode(QAbstractItemView::NoSelection);
    m_accounts->setFocusPolicy(Qt::NoFocus);
    m_accounts->verticalHeader()->hide();
    m_accounts->setShowGrid(false);
    m_accounts->setWordWrap(false);
    QHeaderView *header = m_accounts->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(OverviewAccountsModel::Name, QHeaderView::Stretch);
    header->setMinimumSectionSize(80);

    auto *middle = new QHBoxLayout;
    middle->addWidget(m_chartView, 3);
    middle->addWidget(failures, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_setup);
    layout->addLayout(endpoint);
    layout->addLayout(serving);
    layout->addWidget(tiles);
    layout->addLayout(middle, 2);
    layout->addWidget(m_accountsTitle);
    layout->addWidget(m_accounts, 3);

    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_runtime.endpointUrl());
        m_copy->setText(tr("Copied"));
        QTimer::singleShot(2s, m_copy, [this] { m_copy->setText(tr("Copy address")); });
    });
    connect(m_endpointAction, &QPushButton::clicked, this, [this] {
        if (m_runtime.gatewayState() == RuntimeFacade::GatewayState::Stopped)
            m_runtime.startGateway();
        else
            Q_EMIT settingsRequested();
    });
    connect(&runtime, &RuntimeFacade::gatewayStateChanged, this, &OverviewPage::updateEndpoint);
    connect(&runtime, &RuntimeFacade::accessKeysChanged, this, &OverviewPage::updateSetup);
    connect(&runtime, &RuntimeFacade::pinnedChanged, this, &OverviewPage::updateServing);
    connect(&runtime, &RuntimeFacade::settingsChanged, this, &OverviewPage::updateServing);
    // Today's counts come at load, after the accounts: the tiles follow them.
    connect(&runtime, &RuntimeFacade::accountsChanged, this, [this] {
        if (isVisible())
            updateFigures();
    });
    connect(&runtime, &RuntimeFacade::requestFinished, this, &OverviewPage::take);
    m_tick.setSingleShot(true);
    connect(&m_tick, &ClockTimer::timeout, this, &OverviewPage::tick);
    // A cooldown or a rate-limit reset that starts now needs the one-second pace.
    for (auto signal : {&RuntimeFacade::accountHealthChanged, &RuntimeFacade::rateLimitsChanged}) {
        connect(&runtime, signal, this, [this] {
            if (isVisible())
                tick();
        });
    }

    m_series.reset(UsageSeries::Range::Hour, runtime.clock().now());
    retranslate();
}

QString OverviewPage::endpointText() const
{
    const QString address = m_address->isVisible() ? u" "_s + m_address->text() : QString();
    return m_endpointState->text() + address;
}

QString OverviewPage::servingText() const
{
    return m_serving->text();
}

QString OverviewPage::setupText() const
{
    return m_setup->isHidden() ? QString() : m_setupText->text();
}

QString OverviewPage::tileText(const QString &tile) const
{
    return m_tiles->text(tile);
}

QString OverviewPage::tileNote(const QString &tile) const
{
    return m_tiles->note(tile);
}

QStringList OverviewPage::failureTexts() const
{
    QStringList texts;
    for (int i = 0; i < m_failures->count(); ++i) {
        auto *label = qobject_cast<QLabel *>(m_failures->itemAt(i)->widget());
        if (label && label->property("failure").toBool())
            texts.append(label->text());
    }
    return texts;
}

void OverviewPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void OverviewPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        reload();
    updateServing(); // requests came while another page was shown
    tick();
}

void OverviewPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_tick.stop(); // nothing moves while nobody looks
}

void OverviewPage::retranslate()
{
    m_copy->setText(tr("Copy address"));
    m_copy->setToolTip(tr("Copies the address clients use as their base URL"));
    m_servingTitle->setText(tr("Serving now:"));
    m_tiles->setTitle(u"requests"_s, tr("Requests today"));
    m_tiles->setTitle(u"tokens"_s, tr("Tokens today"));
    m_tiles->setTitle(u"cost"_s, tr("Estimated cost today"));
    m_tiles->setTitle(u"errors"_s, tr("Upstream error rate"));
    m_chartView->chart()->setTitle(tr("Requests per minute, last hour"));
    m_x->setFormat(u"HH:mm"_s); // like every other time on the page (and CLDR's "B" is not Qt's)
    m_failuresTitle->setText(tr("Recent failures"));
    m_noFailures->setText(tr("No failed request today."));
    m_accountsTitle->setText(tr("Accounts"));
    m_model->retranslate();
    m_setupText->setText(tr("Clients cannot use Switchboard yet: each needs an access key "
                            "(Claude Code too)."));
    m_setupAction->setText(tr("Create access key…"));
    updateSetup();
    updateEndpoint();
    updateServing();
    updateFigures();
}

void OverviewPage::reload()
{
    m_stale = false;
    m_loading = true;
    m_day = m_runtime.clock().now().toLocalTime().date();
    const QString path = m_runtime.dataDir().isEmpty()
        ? QString()
        : QDir(m_runtime.dataDir()).filePath(u"prices.json"_s);
    if (!path.isEmpty()) {
        // Edited on the usage page; read again each time, as the file is small.
        BackgroundTask::run<Result<PriceTable>>(
            this, [path] { return PriceTable::load(path); },
            [this](const Result<PriceTable> &table) {
                m_prices = table ? *table : PriceTable::defaults();
                updateFigures();
            });
    }
    m_runtime.loadRecent(this, recordLimit, [this](Result<QList<UsageRecord>> records) {
        m_loading = false;
        // What came live while storage answered and is newer than its newest record.
        const QList<UsageRecord> live = std::exchange(m_records, {});
        const QDateTime now = m_runtime.clock().now();
        m_series.reset(UsageSeries::Range::Hour, now);
        m_truncated = records && records->size() >= recordLimit;
        QDateTime newest;
        if (records) {
            for (const UsageRecord &r : *records) {
                if (r.time.toLocalTime().date() != m_day)
                    continue;
                m_records.append(r);
                m_series.add(r);
                newest = std::max(newest, r.time);
            }
            m_truncated = m_truncated && m_records.size() == records->size();
        }
        for (const UsageRecord &r : live) {
            if (!newest.isValid() || r.time > newest) {
                m_records.append(r);
                m_series.add(r);
            }
        }
        updateFigures();
        updateChart();
    });
}

void OverviewPage::take(const UsageRecord &record)
{
    if (!isVisible() && !m_loading) {
        m_stale = true; // caught up when shown
        return;
    }
    m_records.append(record);
    if (m_loading)
        return;
    if (m_series.add(record))
        updateChart();
    updateServing();
    updateFigures();
}

void OverviewPage::tick()
{
    const QDateTime now = m_runtime.clock().now();
    if (now.toLocalTime().date() != m_day)
        reload();
    if (m_series.advanceTo(now))
        updateChart();
    // Awake each second only while a countdown runs; else when the chart's minute turns.
    if (m_model->isCounting()) {
        m_model->refresh();
        m_tick.start(1s);
    } else {
        m_tick.startAt(now.addSecs(60 - now.time().second()).addMSecs(-now.time().msec()));
    }
}

void OverviewPage::updateEndpoint()
{
    using State = RuntimeFacade::GatewayState;
    const State state = m_runtime.gatewayState();
    const bool running = state == State::Running;
    m_address->setText(m_runtime.endpointUrl());
    m_address->setVisible(running);
    m_copy->setVisible(running);
    m_endpointAction->setVisible(state == State::Stopped || state == State::Failed);
    switch (state) {
    case State::Starting:
        m_endpointState->setText(tr("● Starting…"));
        StatusPalette::paintText(m_endpointState, StatusPalette::Role::Muted);
        break;
    case State::Running:
        m_endpointState->setText(tr("● Serving at"));
        StatusPalette::paintText(m_endpointState, StatusPalette::Role::Good);
        break;
    case State::Stopped:
        m_endpointState->setText(tr("● Stopped: clients cannot connect."));
        m_endpointAction->setText(tr("Start"));
        StatusPalette::paintText(m_endpointState, StatusPalette::Role::Warning);
        break;
    case State::Failed:
        m_endpointState->setText(tr("● Not running: %1").arg(m_runtime.gatewayError()));
        m_endpointAction->setText(tr("Change the port…"));
        StatusPalette::paintText(m_endpointState, StatusPalette::Role::Error);
        break;
    }
}

void OverviewPage::updateSetup()
{
    const QList<AccessKey> keys = m_runtime.accessKeys();
    const bool hasKey = std::any_of(keys.cbegin(), keys.cend(), [](const AccessKey &key) {
        return !key.isRevoked() && !key.admin;
    });
    m_setup->setHidden(hasKey || !m_runtime.isLoaded());
}

void OverviewPage::updateServing()
{
    const Account *pinned = m_runtime.account(m_runtime.pinned());
    m_serving->setText(
        OverviewFigures::serving(m_runtime.lastServed(), pinned ? pinned->name : QString(),
                                 SettingsChoices::strategyName(m_runtime.settings().strategy())));
}

void OverviewPage::updateFigures()
{
    using UsageSummary::compactNumber;
    const QLocale locale;
    const OverviewFigures::Day day = OverviewFigures::day(m_records, m_day, m_prices);
    // Requests and tokens are the runtime's exact counts; the rest is from the records.
    const RuntimeFacade::Today today = m_runtime.today();
    m_tiles->set(u"requests"_s, locale.toString(today.requests),
                 day.cancelled > 0 ? tr("%n cancelled by the client", nullptr, int(day.cancelled))
                                   : tr("since midnight"));
    m_tiles->set(u"tokens"_s, compactNumber(today.tokens), tr("input, output and cache"));
    QString costNote = tr("estimate from your price table");
    if (day.cost.unpricedRequests > 0)
        costNote = tr("%n request(s) with models not in the price table are not counted", nullptr,
                      int(day.cost.unpricedRequests));
    else if (m_truncated)
        costNote = tr("estimate from the latest %n request(s)", nullptr, int(day.requests));
    m_tiles->set(u"cost"_s, UsageSummary::dollars(day.cost.dollars), costNote);
    m_tiles->set(
        u"errors"_s,
        tr("%1 %").arg(locale.toString(day.faultRate() * 100.0, 'f', day.upstreamFaults ? 1 : 0)),
        day.clientErrors > 0 ? tr("%n client error(s) not counted", nullptr, int(day.clientErrors))
                             : tr("%n failed attempt(s) of %1", nullptr, int(day.upstreamFaults))
                                   .arg(locale.toString(day.attempts)));

    // The failure lines: rebuilt, as there are at most five.
    for (int i = m_failures->count() - 1; i >= 0; --i) {
        QWidget *widget = m_failures->itemAt(i)->widget();
        if (widget && widget->property("failure").toBool())
            delete widget;
    }
    m_noFailures->setVisible(day.failures.isEmpty());
    const QDateTime now = m_runtime.clock().now();
    for (qsizetype i = 0; i < day.failures.size(); ++i) {
        const UsageRecord &r = day.failures[i];
        auto *line = new QLabel(this);
        line->setProperty("failure", true);
        line->setWordWrap(true);
        line->setText(tr("%1 · %2 · %3")
                          .arg(LogFormat::time(r.time, now), LogFormat::account(r),
                               OverviewFigures::failure(r)));
        line->setToolTip(LogFormat::model(r));
        StatusPalette::paintText(line,
                                 OverviewFigures::outcome(r.status)
                                         == OverviewFigures::Outcome::Served
                                     ? StatusPalette::Role::Warning
                                     : LogFormat::statusRole(r.status));
        m_failures->insertWidget(int(2 + i), line);
    }
}

void OverviewPage::updateChart()
{
    const QList<UsageBucket> buckets = m_series.total();
    QList<QPointF> points;
    points.reserve(buckets.size());
    qint64 peak = 0;
    for (int i = 0; i < buckets.size(); ++i) {
        points.append(
            {double(m_series.bucketStart(i).toMSecsSinceEpoch()), double(buckets[i].requests)});
        peak = qMax(peak, buckets[i].requests);
    }
    m_line->replace(points);
    m_x->setRange(m_series.from(), m_series.to());
    m_y->setRange(0, 4 * labelStep(peak));
}
