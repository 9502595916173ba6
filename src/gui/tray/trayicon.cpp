// SPDX-License-Identifier: GPL-3.0-or-later
#include "trayicon.h"

#include "core/clock.h"
#include "gui/accounts/accountstatus.h"
#include "gui/common/cooldownwatch.h"
#include "gui/common/runtimefacade.h"
#include "gui/overview/overviewfigures.h"
#include "gui/settings/settingschoices.h"

#include <QAction>
#include <QActionGroup>
#include <QClipboard>
#include <QEvent>
#include <QGuiApplication>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QSystemTrayIcon>
#include <QTimer>

using namespace Qt::StringLiterals;

TrayIcon::TrayIcon(RuntimeFacade &runtime, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(new QMenu)
    , m_cooldowns(new CooldownWatch(runtime, this))
{
    m_menu->setObjectName(u"trayMenu"_s);
    m_menu->installEventFilter(this);
    // Countdowns in the pin menu are read when the menu opens.
    connect(m_menu, &QMenu::aboutToShow, this, &TrayIcon::updateMenu);
    m_tray->setContextMenu(m_menu);
    connect(m_cooldowns, &CooldownWatch::cooldownEnded, this, &TrayIcon::update);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
            Q_EMIT showWindowRequested();
    });
    for (auto signal : {&RuntimeFacade::accountsChanged, &RuntimeFacade::gatewayStateChanged,
                        &RuntimeFacade::settingsChanged, &RuntimeFacade::pinnedChanged}) {
        connect(&m_runtime, signal, this, &TrayIcon::update);
    }
    connect(&m_runtime, &RuntimeFacade::accountHealthChanged, this, &TrayIcon::update);
    connect(&m_runtime, &RuntimeFacade::requestFinished, this, &TrayIcon::update);
    rebuildMenu();
    update();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

void TrayIcon::show()
{
    m_tray->show();
}

void TrayIcon::hide()
{
    m_tray->hide();
}

QIcon TrayIcon::iconFor(TrayState::Level level)
{
    // Drawn, not loaded: no SVG plugin is needed, and the colour is exact at every size.
    // The tile and wires are the app icon's own colours; only the endpoints show status.
    const QColor tile(0x2b, 0x3a, 0x55);
    const QColor wire(0xe8, 0xed, 0xf5);
    QIcon icon;
    const QColor colour = TrayState::colour(level);
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 64.0, size / 64.0);
        p.setPen(Qt::NoPen);
        p.setBrush(tile);
        p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);
        QPainterPath wires;
        wires.moveTo(20, 32);
        wires.cubicTo(32, 32, 32, 16, 42, 16);
        wires.moveTo(20, 32);
        wires.lineTo(42, 32);
        wires.moveTo(20, 32);
        wires.cubicTo(32, 32, 32, 48, 42, 48);
        p.setPen(QPen(wire, 4, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawPath(wires);
        p.setPen(Qt::NoPen);
        p.setBrush(wire);
        p.drawEllipse(QPointF(16, 32), 6, 6);
        p.setBrush(colour);
        for (int y : {16, 32, 48})
            p.drawEllipse(QPointF(47, y), 7, 7);
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

QString TrayIcon::statusLine() const
{
    const Account *pinned = m_runtime.account(m_runtime.pinned());
    const QString serving
        = OverviewFigures::serving(m_runtime.lastServed(), pinned ? pinned->name : QString(),
                                   SettingsChoices::strategyName(m_runtime.settings().strategy()));
    return tr("%1 — %n request(s) today", "", int(m_runtime.today().requests)).arg(serving);
}

QString TrayIcon::toolTip() const
{
    return tr("Switchboard: %1").arg(statusLine()) + u'\n'
        + m_state.summary(m_runtime.gatewayState(), m_runtime.gatewayError());
}

void TrayIcon::windowClosedToTray()
{
    UiState &state = m_runtime.uiState();
    if (state.value(UiKeys::toldKeepsServing).toBool())
        return;
    state.setValue(UiKeys::toldKeepsServing, true);
    m_tray->showMessage(tr("Switchboard keeps serving"),
                        tr("The window is closed, the local endpoint still serves your "
                           "clients. Open Switchboard or quit it from this icon's menu."),
                        QSystemTrayIcon::Information);
}

void TrayIcon::update()
{
    const TrayState state = TrayState::compute(m_runtime.accounts(), m_runtime.gatewayState(),
                                               m_runtime.clock().now());
    if (!m_hasState || state.level != m_state.level)
        m_tray->setIcon(iconFor(state.level));
    m_state = state;
    m_hasState = true;
    m_tray->setToolTip(toolTip());
    updateMenu();
}

void TrayIcon::rebuildMenu()
{
    delete m_strategyMenu;
    delete m_pinMenu;
    m_pinned.clear();
    m_menu->clear();
    m_status = m_menu->addAction(QString());
    m_status->setObjectName(u"trayStatus"_s);
    m_status->setEnabled(false); // a line to read, not to click
    m_menu->addSeparator();
    m_open = m_menu->addAction(tr("Open Switchboard"), this, &TrayIcon::showWindowRequested);
    m_open->setObjectName(u"trayOpen"_s);
    m_menu->addSeparator();
    m_startStop = m_menu->addAction(QString(), this, [this] {
        if (m_runtime.gatewayState() == RuntimeFacade::GatewayState::Running)
            m_runtime.stopGateway();
        else
            m_runtime.startGateway();
    });
    m_startStop->setObjectName(u"trayStartStop"_s);
    m_copyUrl = m_menu->addAction(tr("Copy base URL"), this, [this] {
        QGuiApplication::clipboard()->setText(m_runtime.endpointUrl());
    });
    m_copyUrl->setObjectName(u"trayCopyUrl"_s);
    m_menu->addSeparator();

    m_strategyMenu = m_menu->addMenu(tr("Strategy"));
    m_strategyMenu->setObjectName(u"trayStrategy"_s);
    delete m_strategies;
    m_strategies = new QActionGroup(this);
    for (const QString &strategy : SettingsChoices::strategies()) {
        QAction *action = m_strategyMenu->addAction(SettingsChoices::strategyName(strategy));
        action->setCheckable(true);
        action->setData(strategy);
        action->setToolTip(SettingsChoices::strategyExplanation(strategy));
        m_strategies->addAction(action);
        connect(action, &QAction::triggered, this, [this, strategy] {
            m_runtime.setSetting(this, SettingKeys::strategy, strategy, nullptr);
        });
    }
    m_pinMenu = m_menu->addMenu(tr("Pin account"));
    m_pinMenu->setObjectName(u"trayPin"_s);
    delete m_pins;
    m_pins = new QActionGroup(this);
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("Quit Switchboard"), this, &TrayIcon::quitRequested);
    m_quit->setObjectName(u"trayQuit"_s);
    updateMenu();
}

void TrayIcon::updateMenu()
{
    const RuntimeFacade::GatewayState gateway = m_runtime.gatewayState();
    m_startStop->setText(gateway == RuntimeFacade::GatewayState::Running
                             ? tr("Stop the local endpoint")
                             : tr("Start the local endpoint"));
    m_startStop->setEnabled(gateway != RuntimeFacade::GatewayState::Starting);
    m_copyUrl->setEnabled(!m_runtime.endpointUrl().isEmpty());
    m_status->setText(statusLine());
    const QString strategy = m_runtime.settings().strategy();
    for (QAction *action : m_strategies->actions())
        action->setChecked(action->data().toString() == strategy);

    // Pin menu: None + each account, rebuilt only when the accounts change (a pin change
    // comes from one of these actions, which must outlive its own signal).
    QList<QPair<QUuid, QString>> pinnable;
    for (const Account &a : m_runtime.accounts()) {
        if (a.enabled)
            pinnable.append({a.id, a.name});
    }
    if (pinnable == m_pinned && !m_pins->actions().isEmpty()) {
        for (QAction *action : m_pins->actions()) {
            const QUuid id = action->data().toUuid();
            action->setChecked(id == m_runtime.pinned());
            if (!id.isNull())
                action->setText(pinText(id));
        }
        return;
    }
    m_pinned = pinnable;
    for (QAction *action : m_pinMenu->actions()) {
        m_pinMenu->removeAction(action);
        m_pins->removeAction(action);
        action->deleteLater();
    }
    auto addPin = [this](const QString &text, const QUuid &id) {
        QAction *action = m_pinMenu->addAction(text);
        action->setCheckable(true);
        action->setChecked(m_runtime.pinned() == id);
        action->setData(id);
        m_pins->addAction(action);
        connect(action, &QAction::triggered, this, [this, id] { m_runtime.setPinned(id); });
    };
    addPin(tr("None (automatic routing)"), QUuid());
    m_pinMenu->addSeparator();
    for (const auto &[id, name] : std::as_const(pinnable))
        addPin(pinText(id), id);
}

QString TrayIcon::pinText(const QUuid &id) const
{
    // The account with its health, unless it is simply fine.
    const Account *account = m_runtime.account(id);
    if (!account)
        return {};
    const HealthBadge badge = AccountStatus::badge(*account, m_runtime.clock().now());
    return badge.kind == HealthBadge::Kind::Valid ? account->name
                                                  : tr("%1 — %2").arg(account->name, badge.text);
}

bool TrayIcon::eventFilter(QObject *watched, QEvent *event)
{
    // The menu is a top-level widget, so it is the one told about a language switch.
    if (watched == m_menu && event->type() == QEvent::LanguageChange) {
        QTimer::singleShot(0, this, [this] {
            rebuildMenu();
            m_tray->setToolTip(toolTip());
        });
    }
    return QObject::eventFilter(watched, event);
}
