// SPDX-License-Identifier: GPL-3.0-or-later
#include "traynotifier.h"

#include "core/clock.h"
#include "gui/common/cooldownwatch.h"
#include "gui/common/runtimefacade.h"
#include "gui/tray/traystate.h"

#include <QSystemTrayIcon>

TrayNotifier::TrayNotifier(RuntimeFacade &runtime, QSystemTrayIcon *tray, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_tray(tray)
    , m_notifier(runtime.clock())
{
    // Looks at the health again when a cooldown ends, so "every account is down" ends too
    // and a later outage is news again.
    connect(new CooldownWatch(runtime, this), &CooldownWatch::cooldownEnded, this,
            &TrayNotifier::checkHealth);
    connect(&m_runtime, &RuntimeFacade::accountInvalidated, this,
            [this](const QUuid &id, const QString &name, const QString &reason) {
                show(m_notifier.accountInvalidated(id, name, reason));
            });
    connect(&m_runtime, &RuntimeFacade::clientRefused, this,
            [this](const UsageRecord &, const AdmissionRefusal &refusal) {
                show(m_notifier.clientRefused(refusal.client, refusal.reason, refusal.count));
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
    const TrayState state = TrayState::compute(m_runtime.accounts(), m_runtime.gatewayState(),
                                               m_runtime.clock().now());
    show(m_notifier.healthChanged(state.usable, state.enabled));
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
