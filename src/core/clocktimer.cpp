// SPDX-License-Identifier: GPL-3.0-or-later
#include "clocktimer.h"

#include "core/clock.h"

#include <limits>

namespace {

// QTimer takes int milliseconds.
constexpr qint64 longestQTimerMs = std::numeric_limits<int>::max();

} // namespace

ClockTimer::ClockTimer(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_qtimer(this) // a child, so it follows the timer into another thread
{
    m_qtimer.setSingleShot(true);
    m_qtimer.setTimerType(Qt::PreciseTimer);
    connect(&m_qtimer, &QTimer::timeout, this, &ClockTimer::onQTimer);
}

ClockTimer::~ClockTimer()
{
    stop();
}

void ClockTimer::start()
{
    m_absolute = false;
    arm(m_clock.now().addMSecs(m_interval.count()));
}

void ClockTimer::start(std::chrono::milliseconds interval)
{
    m_interval = interval;
    start();
}

void ClockTimer::startAt(const QDateTime &at)
{
    m_absolute = true;
    arm(at.isValid() ? at : m_clock.now());
}

void ClockTimer::stop()
{
    if (!m_due.isValid())
        return;
    m_due = {};
    m_qtimer.stop();
    if (m_clock.isManual())
        m_clock.disarm(this);
}

void ClockTimer::arm(const QDateTime &due)
{
    m_due = due;
    if (m_clock.isManual()) {
        m_clock.arm(this);
        return;
    }
    const qint64 wait = std::clamp<qint64>(m_clock.now().msecsTo(due), 0, longestQTimerMs);
    m_qtimer.start(std::chrono::milliseconds(wait));
}

void ClockTimer::onQTimer()
{
    // A far-away time takes several QTimer rounds.
    if (m_absolute && m_clock.now() < m_due)
        return arm(m_due);
    fire();
}

void ClockTimer::fire()
{
    if (m_singleShot || m_absolute) {
        stop();
    } else if (m_clock.isManual()) {
        arm(m_due.addMSecs(std::max<qint64>(1, m_interval.count())));
    } else {
        arm(m_clock.now().addMSecs(m_interval.count()));
    }
    Q_EMIT timeout();
}
