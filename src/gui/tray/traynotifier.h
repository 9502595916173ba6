// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/tray/notifier.h"

#include <QObject>

class Backend;
class Clock;
class QSystemTrayIcon;
class QTimer;

/// Feeds the Backend's events to a Notifier and shows what it lets through as tray
/// messages.
class TrayNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)

public:
    TrayNotifier(Backend &backend, const Clock &clock, QSystemTrayIcon *tray,
                 QObject *parent = nullptr);

Q_SIGNALS:
    /// A notification was shown (tests and logs).
    void notified(const Notification &notification);

private:
    void show(const std::optional<Notification> &notification);
    void checkHealth();

    Backend &m_backend;
    const Clock &m_clock;
    QSystemTrayIcon *m_tray;
    Notifier m_notifier;
    /// Looks at the health again when the next cooldown ends, so "every account is down"
    /// ends too and a later outage is news again.
    QTimer *m_cooldownTimer;
};
