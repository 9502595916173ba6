// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <chrono>

class Clock;

/// A timer on a Clock: QTimer's API (interval, single shot, start/stop, timeout()), plus
/// startAt() for "when this cooldown ends". On the system clock it runs on a QTimer; on a
/// manual clock it fires when the test advances that clock past its time, on the thread
/// that advances it (which must be the timer's thread).
///
/// Use it for time the product measures (cooldowns, timeouts, deadlines, intervals,
/// countdowns). "At the next turn of the event loop" is QTimer::singleShot(0, …).
class ClockTimer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClockTimer)

public:
    explicit ClockTimer(const Clock &clock, QObject *parent = nullptr);
    ~ClockTimer() override;

    void setSingleShot(bool singleShot) { m_singleShot = singleShot; }
    bool isSingleShot() const { return m_singleShot; }
    void setInterval(std::chrono::milliseconds interval) { m_interval = interval; }
    std::chrono::milliseconds interval() const { return m_interval; }

    /// (Re)starts: fires after interval() (and every interval() unless single shot).
    void start();
    void start(std::chrono::milliseconds interval);
    /// Fires once when the clock reaches `at`, as soon as possible if it is past. Times
    /// beyond QTimer's range (~24 days) are fine: the timer waits again until `at`.
    void startAt(const QDateTime &at);
    void stop();
    bool isActive() const { return m_due.isValid(); }
    /// When it fires next, in the clock's time; invalid when stopped.
    QDateTime dueAt() const { return m_due; }
    const Clock &clock() const { return m_clock; }

    /// Calls `slot` once after `delay` on `clock`, unless `context` is destroyed first.
    template<typename Functor>
    static void singleShot(const Clock &clock, std::chrono::milliseconds delay, QObject *context,
                           Functor &&slot)
    {
        auto *timer = new ClockTimer(clock, context);
        timer->setSingleShot(true);
        connect(timer, &ClockTimer::timeout, context, std::forward<Functor>(slot));
        connect(timer, &ClockTimer::timeout, timer, &QObject::deleteLater);
        timer->start(delay);
    }

    /// For a manual clock: the clock reached dueAt(). Emits timeout() and re-arms a
    /// repeating timer.
    void fire();

Q_SIGNALS:
    void timeout();

private:
    void arm(const QDateTime &due);
    void onQTimer();

    const Clock &m_clock;
    std::chrono::milliseconds m_interval {0};
    bool m_singleShot = false;
    bool m_absolute = false; ///< started by startAt(): a single shot at m_due
    QDateTime m_due;
    QTimer m_qtimer; ///< real clocks only; a child, so moveToThread() takes it along
};
