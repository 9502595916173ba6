// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMainWindow>

class AccountsPage;
class RuntimeFacade;
class LogsPage;
class OverviewPage;
class QLabel;
class QListWidget;
class QStackedWidget;
class SettingsPage;
class UsagePage;
class WelcomePage;

/// The main window: a page list on the left (overview, accounts, usage, logs, settings), the
/// page on the right, and the local endpoint's state in the status bar. A new user without
/// accounts sees the welcome page instead of the overview.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class Page { Overview, Accounts, Usage, Logs, Settings };

    explicit MainWindow(RuntimeFacade &runtime, QWidget *parent = nullptr);

    void showPage(Page page);
    Page currentPage() const;
    /// Whether closing hides the window (the tray keeps the app running) or quits.
    void setTrayAvailable(bool available) { m_trayAvailable = available; }

    OverviewPage *overviewPage() const { return m_overview; }
    AccountsPage *accountsPage() const { return m_accounts; }
    UsagePage *usagePage() const { return m_usage; }
    LogsPage *logsPage() const { return m_logs; }
    SettingsPage *settingsPage() const { return m_settings; }
    WelcomePage *welcomePage() const { return m_welcome; }

Q_SIGNALS:
    /// The user closed the window and the tray does not keep the app: quit.
    void quitRequested();
    /// The user closed the window and the tray keeps the app serving.
    void closedToTray();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void retranslate();
    void updateStatus();
    void updateFirstPage();

    RuntimeFacade &m_runtime;
    QListWidget *m_nav;
    QStackedWidget *m_pages;
    QStackedWidget *m_firstPage; ///< welcome page or overview
    WelcomePage *m_welcome;
    OverviewPage *m_overview;
    AccountsPage *m_accounts;
    UsagePage *m_usage;
    LogsPage *m_logs;
    SettingsPage *m_settings;
    QLabel *m_status;
    bool m_trayAvailable = false;
};
