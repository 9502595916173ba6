// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/tray/notifier.h"

#include <QObject>

class RuntimeFacade;
class Clock;
class QSystemTrayIcon;
class QTimer;

/// Feeds the RuntimeFacade's events to a Notifier and shows what it lets through as tray
/// messages.
class TrayNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)

public:
    TrayNotifier(RuntimeFacade &runtime, const Clock &clock, QSystemTrayIcon *tray,
                 QObject *parent = nullptr);

Q_SIGNALS:
    /// A notification was shown (tests and logs).
    void notified(const Notification &notification);

private:
    void show(const std::optional<Notification> &notification);
    void checkHealth();

    RuntimeFacade &m_runtime;
    const Clock &m_clock;
    QSystemTrayIcon *m_tray;
    Notifier m_notifier;
    /// Looks at the health again when the next cooldown ends, so "every account is down"
    /// ends too and a later outage is news again.
    QTimer *m_cooldownTimer;
};
