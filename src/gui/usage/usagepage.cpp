// SPDX-License-Identifier: GPL-3.0-or-later
#include "usagepage.h"

#include "core/clock.h"
#include "gui/common/backgroundtask.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "gui/usage/pricetabledialog.h"
#include "gui/usage/usagecharts.h"
#include "gui/usage/usagesummary.h"
#include "gui/usage/usagetiles.h"
#include "ui_usagepage.h"

#include <QChartView>
#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QTableWidget>

using namespace Qt::StringLiterals;

namespace {

/// Cost and overall percentiles come from the latest requests; more is a long wait.
constexpr int recentLimit = 20000;

} // namespace

UsagePage::UsagePage(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , ui(std::make_unique<Ui::UsagePage>())
    , m_tickTimer(runtime.clock())
    , m_totalsTimer(runtime.clock())
{
    ui->setupUi(this);
    setObjectName(u"usagePage"_s);
    m_charts = new UsageCharts(ui->chartsPage);
    m_accountsTable = new QTableWidget(ui->chartsPage);
    m_accountsTable->setObjectName(u"accountsTable"_s);
    m_accountsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_accountsTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_accountsTable->verticalHeader()->hide();
    ui->chartsLayout->addWidget(m_charts->requestsView(), 0, 0);
    ui->chartsLayout->addWidget(m_charts->tokensView(), 0, 1);
    ui->chartsLayout->addWidget(m_charts->qualityView(), 1, 0);
    ui->chartsLayout->addWidget(m_accountsTable, 1, 1);
    ui->content->setCurrentWidget(ui->chartsPage);
    // The tiles take their height, the charts the rest.
    ui->tiles->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    ui->emptyLabel->setObjectName(u"usageEmptyState"_s);
    StatusPalette::paintText(ui->priceStatusLabel, StatusPalette::Role::Error);
    ui->priceStatusLabel->hide();
    m_tiles = new UsageTiles(ui->tiles);
    retranslate();
    m_series.reset(UsageSeries::Range::Hour, m_runtime.clock().now());

    connect(ui->rangeCombo, &QComboBox::activated, this, [this](int index) {
        setRange(UsageSeries::Range(ui->rangeCombo->itemData(index).toInt()));
    });
    connect(ui->editPricesButton, &QPushButton::clicked, this, &UsagePage::editPrices);
    connect(&m_runtime, &RuntimeFacade::requestFinished, this, &UsagePage::onRequestFinished);
    connect(&m_runtime, &RuntimeFacade::accountsChanged, this, [this] { m_redrawTimer.start(); });

    // Live requests can come in fast: draw at most a few times a second. (This and the save
    // timer only gather bursts of events, so they run on QTimer, not on the clock.)
    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(200);
    connect(&m_redrawTimer, &QTimer::timeout, this, &UsagePage::redraw);
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(500);
    connect(&m_saveTimer, &QTimer::timeout, this, &UsagePage::savePrices);
    // The axis slides each minute even when nothing happens.
    connect(&m_tickTimer, &ClockTimer::timeout, this, &UsagePage::tick);
    m_tickTimer.setInterval(std::chrono::seconds(5)); // while shown: it reloads when shown
    // Percentiles per account come from storage, which writes in batches each second.
    m_totalsTimer.setSingleShot(true);
    m_totalsTimer.setInterval(std::chrono::milliseconds(1500));
    connect(&m_totalsTimer, &ClockTimer::timeout, this, &UsagePage::reloadTotals);
}

UsagePage::~UsagePage() = default;

void UsagePage::retranslate()
{
    const int current = ui->rangeCombo->currentIndex();
    ui->rangeCombo->clear();
    ui->rangeCombo->addItem(tr("Last hour"), int(UsageSeries::Range::Hour));
    ui->rangeCombo->addItem(tr("Last 24 hours"), int(UsageSeries::Range::Day));
    ui->rangeCombo->addItem(tr("Last 7 days"), int(UsageSeries::Range::Week));
    ui->rangeCombo->addItem(tr("Last 30 days"), int(UsageSeries::Range::Month));
    ui->rangeCombo->setCurrentIndex(std::max(current, 0));
    m_tiles->retranslate();
    m_accountsTable->setColumnCount(8);
    m_accountsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_accountsTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_accountsTable->horizontalHeader()->setStretchLastSection(false);
    m_accountsTable->setHorizontalHeaderLabels({tr("Account"), tr("Requests"), tr("Errors"),
                                                tr("Input"), tr("Output"), tr("Cache"),
                                                tr("p50 / p95"), tr("Est. cost")});
    m_charts->retranslate();
    updateTiles();
    updateAccountsTable();
}

void UsagePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        ui->retranslateUi(this);
        retranslate();
    }
    QWidget::changeEvent(event);
}

void UsagePage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    reload();
    m_tickTimer.start();
}

void UsagePage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_tickTimer.stop();
}

void UsagePage::setRange(UsageSeries::Range range)
{
    const int index = ui->rangeCombo->findData(int(range));
    if (index >= 0)
        ui->rangeCombo->setCurrentIndex(index);
    if (range == m_series.range() && !m_loading && m_generation > 0)
        return;
    m_series.reset(range, m_runtime.clock().now());
    reload();
}

void UsagePage::reload()
{
    loadPrices();
    const int generation = ++m_generation;
    m_loading = true;
    m_waiting = 3;
    m_pendingLive.clear();
    m_error.clear();
    m_series.reset(m_series.range(), m_runtime.clock().now());
    const QDateTime from = m_series.from();
    const QDateTime to = m_series.to();
    auto failed = [this](const Error &error) {
        m_error
            = tr("Cannot load usage: %1. Switch pages or ranges to try again.").arg(error.message);
    };
    m_runtime.loadMinutes(this, from, to,
                          [this, generation, failed](Result<QList<UsageMinute>> minutes) {
                              if (generation != m_generation)
                                  return;
                              if (!minutes)
                                  failed(minutes.error());
                              else
                                  for (const UsageMinute &m : *minutes)
                                      m_series.add(m);
                              finishLoading();
                          });
    m_runtime.loadRecent(this, recentLimit,
                         [this, generation, from, failed](Result<QList<UsageRecord>> records) {
                             if (generation != m_generation)
                                 return;
                             m_recent.clear();
                             if (!records) {
                                 failed(records.error());
                             } else {
                                 m_everUsed = m_everUsed || !records->isEmpty();
                                 for (const UsageRecord &r : *records) {
                                     if (r.time >= from)
                                         m_recent.append(r);
                                 }
                                 m_recentTruncated = records->size() >= recentLimit
                                     && m_recent.size() == records->size();
                             }
                             finishLoading();
                         });
    m_runtime.loadTotals(this, from, to,
                         [this, generation, failed](Result<QList<UsageTotals>> totals) {
                             if (generation != m_generation)
                                 return;
                             if (!totals)
                                 failed(totals.error());
                             else
                                 m_totals = *totals;
                             finishLoading();
                         });
}

void UsagePage::finishLoading()
{
    if (--m_waiting > 0)
        return;
    m_loading = false;
    // Requests that finished while storage answered: may rarely count twice if storage had
    // already written one of them, which only nudges a live chart.
    for (const UsageRecord &r : std::exchange(m_pendingLive, {}))
        onRequestFinished(r);
    redraw();
    Q_EMIT loaded();
}

void UsagePage::onRequestFinished(const UsageRecord &record)
{
    m_everUsed = true;
    if (m_loading) {
        m_pendingLive.append(record);
        return;
    }
    m_series.advanceTo(m_runtime.clock().now());
    if (!m_series.add(record))
        return;
    m_recent.prepend(record);
    m_totalsTimer.start();
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void UsagePage::tick()
{
    if (m_loading || !m_series.advanceTo(m_runtime.clock().now()))
        return;
    const QDateTime from = m_series.from();
    while (!m_recent.isEmpty() && m_recent.constLast().time < from)
        m_recent.removeLast();
    if (isVisible())
        redraw();
}

void UsagePage::reloadTotals()
{
    const int generation = m_generation;
    m_runtime.loadTotals(this, m_series.from(), m_series.to(),
                         [this, generation](Result<QList<UsageTotals>> totals) {
                             if (generation != m_generation || m_loading || !totals)
                                 return;
                             m_totals = *totals;
                             updateTiles();
                             updateAccountsTable();
                         });
}

QHash<QUuid, QString> UsagePage::accountNames() const
{
    QHash<QUuid, QString> names;
    for (const Account &a : m_runtime.accounts())
        names.insert(a.id, a.name);
    return names;
}

bool UsagePage::isShowingEmptyState() const
{
    return ui->content->currentWidget() == ui->emptyPage;
}

const QLineSeries *UsagePage::requestsSeries() const
{
    return m_charts->requestsTotal();
}

CostEstimate UsagePage::cost() const
{
    return m_prices.estimate(m_recent);
}

QString UsagePage::tileText(const QString &tile) const
{
    return m_tiles->text(tile);
}

QString UsagePage::tileNote(const QString &tile) const
{
    return m_tiles->note(tile);
}

void UsagePage::redraw()
{
    m_redrawTimer.stop();
    if (!m_error.isEmpty()) {
        ui->priceStatusLabel->setText(m_error);
        ui->priceStatusLabel->show();
    }
    ui->content->setCurrentWidget(!m_everUsed && !m_loading ? ui->emptyPage : ui->chartsPage);
    QList<std::pair<QUuid, QString>> accounts;
    for (const Account &a : m_runtime.accounts())
        accounts.append({a.id, a.name});
    m_charts->update(m_series, accounts);
    updateTiles();
    updateAccountsTable();
}

void UsagePage::updateTiles()
{
    qint64 thinkingDropped = 0;
    for (const UsageTotals &t : std::as_const(m_totals))
        thinkingDropped += t.thinkingDropped;
    m_tiles->show(m_series.overall(), m_recent, m_recentTruncated, cost(), thinkingDropped);
}

void UsagePage::updateAccountsTable()
{
    const QList<UsageSummary::AccountRow> rows
        = UsageSummary::accountRows(m_totals, m_recent, m_prices, accountNames());
    const QLocale locale;
    m_accountsTable->setRowCount(int(rows.size()));
    for (int i = 0; i < rows.size(); ++i) {
        const UsageSummary::AccountRow &row = rows.at(i);
        const UsageTotals &t = row.totals;
        const double rate = t.requests ? 100.0 * double(t.errors) / double(t.requests) : 0.0;
        const QStringList cells = {
            row.name,
            locale.toString(t.requests),
            tr("%1 (%2 %)").arg(locale.toString(t.errors), locale.toString(rate, 'f', 1)),
            UsageSummary::compactNumber(t.tokens.input),
            UsageSummary::compactNumber(t.tokens.output),
            UsageSummary::compactNumber(t.tokens.cache()),
            tr("%1 / %2 s")
                .arg(locale.toString(t.p50LatencyMs / 1000.0, 'f', 1),
                     locale.toString(t.p95LatencyMs / 1000.0, 'f', 1)),
            UsageSummary::dollars(row.cost.dollars),
        };
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells.at(c));
            if (c > 0)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_accountsTable->setItem(i, c, item);
        }
    }
}

QString UsagePage::pricesPath() const
{
    return m_runtime.dataDir().isEmpty() ? QString()
                                         : QDir(m_runtime.dataDir()).filePath(u"prices.json"_s);
}

void UsagePage::loadPrices()
{
    const QString path = pricesPath();
    if (m_pricesLoaded || path.isEmpty())
        return;
    m_pricesLoaded = true;
    BackgroundTask::run<Result<PriceTable>>(
        this, [path] { return PriceTable::load(path); },
        [this](const Result<PriceTable> &table) {
            if (!table) {
                ui->priceStatusLabel->setText(
                    tr("Using default prices: %1. Edit prices to write a new file.")
                        .arg(table.error().message));
                ui->priceStatusLabel->show();
                return;
            }
            // Prices edited while the file was read are newer than the file.
            if (m_pricesEdited)
                return;
            m_prices = *table;
            updateTiles();
            updateAccountsTable();
        });
}

PriceTableDialog *UsagePage::editPrices()
{
    auto *dialog = new PriceTableDialog(m_prices, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &PriceTableDialog::pricesEdited, this, [this](const PriceTable &prices) {
        m_prices = prices;
        m_pricesEdited = true;
        updateTiles();
        updateAccountsTable();
        m_saveTimer.start();
    });
    dialog->open();
    return dialog;
}

void UsagePage::savePrices()
{
    const QString path = pricesPath();
    if (path.isEmpty())
        return;
    // One write at a time, so an older table can never land after a newer one; edits made
    // meanwhile are written when it finishes.
    if (m_saving) {
        m_savePending = true;
        return;
    }
    m_saving = true;
    m_savePending = false;
    const PriceTable table = m_prices;
    BackgroundTask::run<Status>(
        this, [path, table] { return table.save(path); },
        [this](const Status &saved) {
            m_saving = false;
            ui->priceStatusLabel->setVisible(!saved);
            if (!saved) {
                ui->priceStatusLabel->setText(
                    tr("Prices not saved: %1. Check that the data folder is writable, then "
                       "edit a price to try again.")
                        .arg(saved.error().message));
            }
            if (m_savePending)
                savePrices();
            else
                Q_EMIT pricesSaved();
        });
}
