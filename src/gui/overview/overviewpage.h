// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clocktimer.h"
#include "core/usagerecord.h"
#include "gui/usage/pricetable.h"
#include "gui/usage/usageseries.h"

#include <QWidget>

class OverviewAccountsModel;
class QAreaSeries;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QPushButton;
class QTableView;
class QValueAxis;
class QVBoxLayout;
class RuntimeFacade;
class TileRow;

/// What is going on, at a glance: whether the local endpoint serves and where (with a copy
/// button), which account serves and why, today's requests, tokens, estimated cost and
/// upstream error rate, requests per minute over the last hour, every account's health,
/// cooldown and rate-limit headroom, and the last failures. Live while shown; while hidden
/// it only notes that it is out of date, and catches up when shown again.
class OverviewPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewPage)

public:
    explicit OverviewPage(RuntimeFacade &runtime, QWidget *parent = nullptr);

    // For tests
    QString endpointText() const;
    QString servingText() const;
    /// The setup hint ("…need an access key"); empty when nothing is missing.
    QString setupText() const;
    /// The value of a tile: "requests", "tokens", "cost", "errors".
    QString tileText(const QString &tile) const;
    QString tileNote(const QString &tile) const;
    /// The failures as listed, newest first.
    QStringList failureTexts() const;
    const OverviewAccountsModel *accountsModel() const { return m_model; }
    const QLineSeries *requestsPerMinute() const { return m_line; }
    /// Whether the page caught up with everything since it was last shown.
    bool isCurrent() const { return !m_stale && !m_loading; }

Q_SIGNALS:
    /// "Change the port…" after the endpoint failed to start.
    void settingsRequested();
    /// "Create access key…" while no client could get in.
    void createKeyRequested();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void retranslate();
    void reload();
    void take(const UsageRecord &record);
    void tick();
    void updateEndpoint();
    void updateSetup();
    void updateServing();
    void updateFigures();
    void updateChart();

    RuntimeFacade &m_runtime;
    OverviewAccountsModel *m_model;
    QWidget *m_setup; ///< what is still missing before clients can connect
    QLabel *m_setupText;
    QPushButton *m_setupAction;
    QLabel *m_endpointState;
    QLabel *m_address;
    QPushButton *m_copy;
    QPushButton *m_endpointAction;
    QLabel *m_servingTitle;
    QLabel *m_serving;
    TileRow *m_tiles;
    QChartView *m_chartView;
    QLineSeries *m_line;
    QAreaSeries *m_area;
    QDateTimeAxis *m_x;
    QValueAxis *m_y;
    QLabel *m_failuresTitle;
    QVBoxLayout *m_failures;
    QLabel *m_noFailures;
    QLabel *m_accountsTitle;
    QTableView *m_accounts;
    ClockTimer m_tick;

    PriceTable m_prices;
    QList<UsageRecord> m_records; ///< today's, as loaded and since
    bool m_truncated = false; ///< today had more records than were loaded
    UsageSeries m_series; ///< the last hour, per minute
    QDate m_day;
    bool m_stale = true; ///< something happened while hidden
    bool m_loading = false;
};
