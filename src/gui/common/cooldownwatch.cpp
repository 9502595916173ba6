// SPDX-License-Identifier: GPL-3.0-or-later
#include "cooldownwatch.h"

#include "core/clock.h"
#include "gui/common/runtimefacade.h"

CooldownWatch::CooldownWatch(RuntimeFacade &runtime, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_timer(runtime.clock())
{
    connect(&m_timer, &ClockTimer::timeout, this, [this] {
        rearm();
        Q_EMIT cooldownEnded();
    });
    connect(&runtime, &RuntimeFacade::accountsChanged, this, &CooldownWatch::rearm);
    connect(&runtime, &RuntimeFacade::accountHealthChanged, this, &CooldownWatch::rearm);
    rearm();
}

void CooldownWatch::rearm()
{
    const QDateTime next = nextEnd(m_runtime.accounts(), m_runtime.clock().now());
    if (next.isValid())
        m_timer.startAt(next);
    else
        m_timer.stop();
}

QDateTime CooldownWatch::nextEnd(const QList<Account> &accounts, const QDateTime &now)
{
    QDateTime next;
    for (const Account &a : accounts) {
        const QDateTime until = a.health.cooldownUntil;
        if (a.enabled && until.isValid() && until > now && (!next.isValid() || until < next))
            next = until;
    }
    return next;
}
