// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clocktimer.h"
#include "gui/usage/pricetable.h"
#include "gui/usage/usageseries.h"

#include <QTimer>
#include <QWidget>

#include <memory>

class RuntimeFacade;
class PriceTableDialog;
class QLabel;
class QLineSeries;
class QTableWidget;
class UsageCharts;
class UsageTiles;
namespace Ui {
class UsagePage;
}

/// Live usage charts: requests, tokens, errors and latency over the chosen range, per
/// account, with summary tiles and an estimated cost from an editable price table. Loads the
/// stored minute aggregates when shown or when the range changes, then follows each
/// finished request live; the time axis slides as minutes pass.
class UsagePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsagePage)

public:
    explicit UsagePage(RuntimeFacade &runtime, QWidget *parent = nullptr);
    ~UsagePage() override;

    UsageSeries::Range range() const { return m_series.range(); }
    void setRange(UsageSeries::Range range);
    /// Loads the range again from storage.
    void reload();
    /// Opens the price editor (non-modal, deleted on close).
    PriceTableDialog *editPrices();

    // Read-only views, for tests and screenshots.
    bool isLoading() const { return m_loading; }
    bool isShowingEmptyState() const;
    const UsageSeries &series() const { return m_series; }
    const PriceTable &prices() const { return m_prices; }
    /// The estimated cost of the range's requests.
    CostEstimate cost() const;
    /// One point per bucket; y: requests of all accounts.
    const QLineSeries *requestsSeries() const;
    UsageCharts *charts() const { return m_charts; }
    QTableWidget *accountsTable() const { return m_accountsTable; }
    /// The text of a tile: "requests", "tokens", "errors", "latency", "cost".
    QString tileText(const QString &tile) const;
    QString tileNote(const QString &tile) const;

Q_SIGNALS:
    /// A reload finished and the charts show it.
    void loaded();
    /// The price table on disk is up to date with the last edit (or could not be written).
    void pricesSaved();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void retranslate();
    void onRequestFinished(const UsageRecord &record);
    void finishLoading();
    void tick();
    void redraw();
    void updateTiles();
    void updateAccountsTable();
    void reloadTotals();
    void loadPrices();
    void savePrices();
    QHash<QUuid, QString> accountNames() const;
    QString pricesPath() const;

    RuntimeFacade &m_runtime;
    std::unique_ptr<Ui::UsagePage> ui;
    UsageCharts *m_charts;
    QTableWidget *m_accountsTable;
    UsageTiles *m_tiles;
    UsageSeries m_series;
    /// The range's requests, newest first, for cost and overall percentiles.
    QList<UsageRecord> m_recent;
    bool m_recentTruncated = false;
    QList<UsageTotals> m_totals;
    PriceTable m_prices = PriceTable::defaults();
    bool m_pricesLoaded = false;
    bool m_pricesEdited = false;
    bool m_saving = false; ///< a write of the price file is in flight
    bool m_savePending = false; ///< the prices changed during it: write again after
    bool m_everUsed = false;
    bool m_loading = false;
    int m_waiting = 0;
    int m_generation = 0;
    QList<UsageRecord> m_pendingLive;
    QString m_error;
    QTimer m_redrawTimer;
    QTimer m_saveTimer;
    ClockTimer m_tickTimer;
    ClockTimer m_totalsTimer;
};
