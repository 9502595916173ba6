// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/tray/notifier.h"

#include <QObject>

class RuntimeFacade;
class QSystemTrayIcon;

/// Feeds the RuntimeFacade's events to a Notifier and shows what it lets through as tray
/// messages.
class TrayNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayNotifier)

public:
    TrayNotifier(RuntimeFacade &runtime, QSystemTrayIcon *tray, QObject *parent = nullptr);

Q_SIGNALS:
    /// A notification was shown (tests and logs).
    void notified(const Notification &notification);

private:
    void show(const std::optional<Notification> &notification);
    void checkHealth();

    RuntimeFacade &m_runtime;
    QSystemTrayIcon *m_tray;
    Notifier m_notifier;
};
