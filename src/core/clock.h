// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>

/// The source of "now" for everything that uses time, so tests can move time by hand.
class Clock
{
public:
    virtual ~Clock() = default;
    /// Current time in UTC.
    virtual QDateTime now() const = 0;
    qint64 nowMs() const { return now().toMSecsSinceEpoch(); }

    /// The real clock, shared by the whole process.
    static const Clock &system();
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};
