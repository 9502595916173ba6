// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "gui/accounts/accountspage.h"
#include "gui/common/runtimefacade.h"
#include "gui/logs/logspage.h"
#include "gui/overview/overviewpage.h"
#include "gui/settings/settingspage.h"
#include "gui/shell/welcomepage.h"
#include "gui/usage/usagepage.h"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QStackedWidget>
#include <QStatusBar>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(RuntimeFacade &runtime, QWidget *parent)
    : QMainWindow(parent)
    , m_runtime(runtime)
    , m_nav(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_firstPage(new QStackedWidget(this))
    , m_welcome(new WelcomePage(runtime, this))
    , m_overview(new OverviewPage(runtime, this))
    , m_accounts(new AccountsPage(runtime, this))
    , m_usage(new UsagePage(runtime, this))
    , m_logs(new LogsPage(runtime, this))
    , m_settings(new SettingsPage(runtime, this))
    , m_status(new QLabel(this))
{
    setWindowIcon(QIcon(u":/icons/switchboard.svg"_s));
    m_firstPage->addWidget(m_welcome);
    m_firstPage->addWidget(m_overview);
    for (QWidget *page :
         std::initializer_list<QWidget *> {m_firstPage, m_accounts, m_usage, m_logs, m_settings}) {
        m_pages->addWidget(page);
        new QListWidgetItem(m_nav);
    }
    m_nav->setObjectName(u"navigation"_s);
    m_nav->setIconSize(QSize(20, 20));
    m_nav->setCurrentRow(0);
    connect(m_nav, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_nav);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // A long message (a failed start) is cut, never widens the window; the tooltip has it all.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    statusBar()->addWidget(m_status, 1);

    connect(m_welcome, &WelcomePage::addAccountRequested, this, [this] {
        showPage(Page::Accounts);
        m_accounts->addAccount();
    });
    connect(m_welcome, &WelcomePage::createKeyRequested, this, [this] {
        showPage(Page::Settings);
        m_settings->createAccessKey();
    });
    connect(m_welcome, &WelcomePage::connectRequested, this, [this] {
        showPage(Page::Settings);
        m_settings->showConnect();
    });
    connect(&m_runtime, &RuntimeFacade::gatewayStateChanged, this, &MainWindow::updateStatus);
    connect(m_overview, &OverviewPage::settingsRequested, this,
            [this] { showPage(Page::Settings); });
    connect(m_overview, &OverviewPage::createKeyRequested, this, [this] {
        showPage(Page::Settings);
        m_settings->createAccessKey();
    });
    connect(&m_runtime, &RuntimeFacade::accountsChanged, this, &MainWindow::updateFirstPage);

    resize(1080, 680);
    retranslate();
    updateFirstPage();
}

void MainWindow::showPage(Page page)
{
    m_nav->setCurrentRow(int(page));
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_nav->currentRow());
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_trayAvailable && m_runtime.settings().closeToTray()) {
        hide(); // the gateway keeps serving; the tray brings the window back
        event->ignore();
        Q_EMIT closedToTray();
        return;
    }
    event->accept();
    Q_EMIT quitRequested();
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Switchboard"));
    const QStringList names
        = {tr("Overview"), tr("Accounts"), tr("Usage"), tr("Logs"), tr("Settings")};
    const QStringList icons = {u"go-home"_s, u"system-users"_s, u"utilities-system-monitor"_s,
                               u"text-x-generic"_s, u"preferences-system"_s};
    for (int row = 0; row < names.size(); ++row) {
        QListWidgetItem *item = m_nav->item(row);
        item->setText(names[row]);
        item->setIcon(QIcon::fromTheme(icons[row]));
        item->setSizeHint(QSize(0, 40));
    }
    // As wide as the longest name needs, in every language.
    int widest = 0;
    for (const QString &name : names)
        widest = qMax(widest, m_nav->fontMetrics().horizontalAdvance(name));
    m_nav->setFixedWidth(qBound(96, widest + m_nav->iconSize().width() + 36, 180));
    updateStatus();
}

void MainWindow::updateStatus()
{
    switch (m_runtime.gatewayState()) {
    case RuntimeFacade::GatewayState::Starting:
        m_status->setText(tr("Starting the local endpoint…"));
        break;
    case RuntimeFacade::GatewayState::Running:
        m_status->setText(
            tr("Serving Claude-compatible clients at %1").arg(m_runtime.endpointUrl()));
        break;
    case RuntimeFacade::GatewayState::Stopped:
        m_status->setText(tr("The local endpoint is stopped. Start it from the tray menu."));
        break;
    case RuntimeFacade::GatewayState::Failed:
        // The error says what to do (for a busy port: choose another in the settings).
        m_status->setText(
            tr("The local endpoint is not running: %1").arg(m_runtime.gatewayError()));
        break;
    }
    m_status->setToolTip(m_status->text());
}

void MainWindow::updateFirstPage()
{
    // The welcome page stands in for the overview until the user has an account.
    const bool welcome = m_runtime.isLoaded() && m_runtime.accounts().isEmpty();
    m_firstPage->setCurrentWidget(welcome ? static_cast<QWidget *>(m_welcome) : m_overview);
}
