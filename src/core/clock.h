// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

class ClockTimer;

/// The source of "now" and of every timer that waits for it, so tests can move time by
/// hand: ClockTimer runs on the clock it is given, and a manual clock (tests/support's
/// FakeClock) fires those timers itself when it is moved past their time.
///
/// One clock is made in the composition root (src/app) and passed down to whatever
/// needs time; nothing fetches a clock of its own.
class Clock
{
public:
    Clock() = default;
    virtual ~Clock() = default;
    Q_DISABLE_COPY_MOVE(Clock)

    /// Current time in UTC.
    virtual QDateTime now() const = 0;
    qint64 nowMs() const { return now().toMSecsSinceEpoch(); }

protected:
    friend class ClockTimer;
    /// False for a real clock: its timers run on QTimer (monotonic time). A manual clock
    /// returns true, and is told of each timer armed on it and each disarmed (both may
    /// come from any thread).
    virtual bool isManual() const { return false; }
    virtual void arm(ClockTimer *) const { }
    virtual void disarm(ClockTimer *) const { }
};

/// The computer's clock.
class SystemClock final : public Clock
{
public:
    SystemClock() = default;
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};
