// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"

#include <QList>
#include <QMutex>

#include <atomic>
#include <chrono>

/// A clock that only moves when the test moves it. ClockTimers on it fire while it moves:
/// advance() steps from one due timer to the next in time order (so each sees now() at its
/// own time), on the calling thread, which must be the timers' thread. A timer armed for a
/// time already reached fires at the next advance() (advance(0ms) will do). now() may be
/// read from any thread.
class FakeClock final : public Clock
{
public:
    /// Starts at 2025-01-01 00:00:00.000 UTC unless told otherwise.
    explicit FakeClock(QDateTime start = defaultStart());
    ~FakeClock() override;

    QDateTime now() const override;

    /// Moves to `now`; later than now() fires the timers due by then, as advance() does.
    void setNow(const QDateTime &now);
    void advance(std::chrono::milliseconds step);
    void advanceSecs(qint64 secs) { advance(std::chrono::seconds(secs)); }
    /// Timers armed on this clock right now.
    qsizetype activeTimers() const;
    /// When the next armed timer fires; invalid when none is armed.
    QDateTime nextDue() const;

    static QDateTime defaultStart();

protected:
    bool isManual() const override { return true; }
    void arm(ClockTimer *timer) const override;
    void disarm(ClockTimer *timer) const override;

private:
    ClockTimer *nextTimer(qint64 untilMs) const;

    std::atomic<qint64> m_nowMs;
    mutable QMutex m_mutex;
    mutable QList<ClockTimer *> m_timers; ///< armed, in the order they were armed
};
