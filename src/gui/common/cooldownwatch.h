// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/clocktimer.h"

#include <QObject>

class RuntimeFacade;

/// Says when a cooldown of the runtime's enabled accounts ends. A cooldown ends without any
/// event from the runtime, so whatever shows health (tray, notifier, accounts table) looks
/// again when this fires. Follows the accounts by itself: each change re-arms it for the
/// next end, on the facade's clock.
class CooldownWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CooldownWatch)

public:
    explicit CooldownWatch(RuntimeFacade &runtime, QObject *parent = nullptr);

    /// When the next cooldown of an enabled account ends after `now`; null when none does.
    static QDateTime nextEnd(const QList<Account> &accounts, const QDateTime &now);

Q_SIGNALS:
    void cooldownEnded();

private:
    void rearm();

    RuntimeFacade &m_runtime;
    ClockTimer m_timer;
};
