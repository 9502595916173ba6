// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeclock.h"

#include "core/clocktimer.h"

#include <QThread>
#include <QTimeZone>

FakeClock::FakeClock(QDateTime start)
    : m_nowMs(start.toMSecsSinceEpoch())
{
    Q_ASSERT(start.isValid());
}

FakeClock::~FakeClock()
{
    QMutexLocker lock(&m_mutex);
    if (!m_timers.isEmpty())
        qFatal("FakeClock destroyed while %lld timers are armed on it", qlonglong(m_timers.size()));
}

QDateTime FakeClock::defaultStart()
{
    return QDateTime(QDate(2025, 1, 1), QTime(0, 0), QTimeZone::utc());
}

QDateTime FakeClock::now() const
{
    return QDateTime::fromMSecsSinceEpoch(m_nowMs, QTimeZone::utc());
}

void FakeClock::setNow(const QDateTime &now)
{
    Q_ASSERT(now.isValid());
    const qint64 target = now.toMSecsSinceEpoch();
    if (target > m_nowMs)
        advance(std::chrono::milliseconds(target - m_nowMs));
    else
        m_nowMs = target;
}

void FakeClock::advance(std::chrono::milliseconds step)
{
    const qint64 target = m_nowMs + step.count();
    while (ClockTimer *timer = nextTimer(target)) {
        if (timer->thread() != QThread::currentThread())
            qFatal("FakeClock::advance: advance the clock on the thread its timers live in");
        m_nowMs = std::max<qint64>(m_nowMs, timer->dueAt().toMSecsSinceEpoch());
        timer->fire();
    }
    m_nowMs = target;
}

ClockTimer *FakeClock::nextTimer(qint64 untilMs) const
{
    QMutexLocker lock(&m_mutex);
    ClockTimer *next = nullptr;
    for (ClockTimer *t : std::as_const(m_timers)) {
        const qint64 due = t->dueAt().toMSecsSinceEpoch();
        if (due <= untilMs && (!next || due < next->dueAt().toMSecsSinceEpoch()))
            next = t;
    }
    return next;
}

qsizetype FakeClock::activeTimers() const
{
    QMutexLocker lock(&m_mutex);
    return m_timers.size();
}

QDateTime FakeClock::nextDue() const
{
    QMutexLocker lock(&m_mutex);
    QDateTime next;
    for (const ClockTimer *t : std::as_const(m_timers)) {
        if (!next.isValid() || t->dueAt() < next)
            next = t->dueAt();
    }
    return next;
}

void FakeClock::arm(ClockTimer *timer) const
{
    QMutexLocker lock(&m_mutex);
    // Re-arming moves a timer to the end: of two timers due at once, the one armed first fires first.
    m_timers.removeOne(timer);
    m_timers.append(timer);
}

void FakeClock::disarm(ClockTimer *timer) const
{
    QMutexLocker lock(&m_mutex);
    m_timers.removeOne(timer);
}
