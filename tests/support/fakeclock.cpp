// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeclock.h"

#include <QTimeZone>

FakeClock::FakeClock(QDateTime start)
{
    setNow(start);
}

QDateTime FakeClock::defaultStart()
{
    return QDateTime(QDate(2025, 1, 1), QTime(0, 0), QTimeZone::utc());
}

void FakeClock::setNow(const QDateTime &now)
{
    Q_ASSERT(now.isValid());
    m_now = now.toUTC();
}

void FakeClock::advance(std::chrono::milliseconds step)
{
    m_now = m_now.addMSecs(step.count());
}
