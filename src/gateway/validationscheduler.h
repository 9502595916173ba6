// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clocktimer.h"
#include "gateway/upstreamvalidator.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

class Clock;
class HealthBook;
class SecretCache;

/// Decides when accounts are validated: on demand, when a new account appears, on a
/// jittered periodic timer, and when an account's rest ends. Results go into the
/// HealthBook like a request's outcome would. Lives on the gateway thread.
class ValidationScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ValidationScheduler)

public:
    ValidationScheduler(UpstreamValidator &validator, HealthBook &health, SecretCache &secrets,
                        const Clock &clock, std::function<quint32()> random = {},
                        QObject *parent = nullptr);

    /// 0 turns the periodic check off.
    void setInterval(int minutes);
    /// The wait before the next periodic check: the interval ±10 %, by `random`.
    static qint64 periodicDelayMs(int minutes, quint32 random);
    void setPolicy(const CooldownPolicy &policy) { m_policy = policy; }

    void validate(const QUuid &id);
    void validateAll();
    /// Accounts seen for the first time are validated once their key is readable.
    void accountsChanged();
    /// Schedules a check for when an account's rest ends.
    void healthChanged(const QUuid &id, const AccountHealth &health);
    /// Checks queued or running.
    qsizetype pending() const { return m_queue.size() + m_running.size(); }

Q_SIGNALS:
    void validated(const ValidationResult &result);

private:
    void runQueue();
    void armPeriodic();

    UpstreamValidator &m_validator;
    HealthBook &m_health;
    SecretCache &m_secrets;
    const Clock &m_clock;
    std::function<quint32()> m_random;
    CooldownPolicy m_policy;
    ClockTimer m_periodic;
    int m_intervalMinutes = 0;
    QSet<QUuid> m_known;
    QList<QUuid> m_queue;
    QSet<QUuid> m_running;
    QHash<QUuid, ClockTimer *> m_restTimers;
};
