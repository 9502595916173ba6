// SPDX-License-Identifier: GPL-3.0-or-later
#include "traynotifier.h"

#include "core/clock.h"
#include "gui/common/runtimefacade.h"
#include "gui/tray/traystate.h"

#include <QSystemTrayIcon>
#include <QTimer>

TrayNotifier::TrayNotifier(RuntimeFacade &runtime, const Clock &clock, QSystemTrayIcon *tray,
                           QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_clock(clock)
    , m_tray(tray)
    , m_notifier(clock)
    , m_cooldownTimer(new QTimer(this))
{
    m_cooldownTimer->setSingleShot(true);
    connect(m_cooldownTimer, &QTimer::timeout, this, &TrayNotifier::checkHealth);
    connect(&m_runtime, &RuntimeFacade::accountInvalidated, this,
            [this](const QUuid &id, const QString &name, const QString &reason) {
                show(m_notifier.accountInvalidated(id, name, reason));
            });
    connect(&m_runtime, &RuntimeFacade::accountHealthChanged, this, &TrayNotifier::checkHealth);
    connect(&m_runtime, &RuntimeFacade::accountsChanged, this, &TrayNotifier::checkHealth);
    connect(&m_runtime, &RuntimeFacade::gatewayStateChanged, this, [this] {
        switch (m_runtime.gatewayState()) {
        case RuntimeFacade::GatewayState::Failed:
            show(m_notifier.gatewayFailed(m_runtime.gatewayError()));
            break;
        case RuntimeFacade::GatewayState::Running:
            show(m_notifier.gatewayRunning(m_runtime.endpointUrl()));
            break;
        default:
            break;
        }
    });
}

void TrayNotifier::checkHealth()
{
    const QDateTime now = m_clock.now();
    const TrayState state = TrayState::compute(m_runtime.accounts(), m_runtime.gatewayState(), now);
    show(m_notifier.healthChanged(state.usable, state.enabled));
    const QDateTime next = TrayState::nextCooldownEnd(m_runtime.accounts(), now);
    if (!next.isValid())
        m_cooldownTimer->stop();
    else
        m_cooldownTimer->start(int(qMin<qint64>(now.msecsTo(next) + 50, 24 * 3600 * 1000)));
}

void TrayNotifier::show(const std::optional<Notification> &notification)
{
    if (!notification)
        return;
    QSystemTrayIcon::MessageIcon icon = QSystemTrayIcon::Information;
    if (notification->severity == Notification::Severity::Warning)
        icon = QSystemTrayIcon::Warning;
    else if (notification->severity == Notification::Severity::Critical)
        icon = QSystemTrayIcon::Critical;
    if (m_tray && m_tray->isVisible())
        m_tray->showMessage(notification->title, notification->text, icon);
    Q_EMIT notified(*notification);
}
