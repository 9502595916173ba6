// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"

#include <chrono>

/// A clock that only moves when the test moves it.
class FakeClock final : public Clock
{
public:
    /// Starts at 2025-01-01 00:00:00.000 UTC unless told otherwise.
    explicit FakeClock(QDateTime start = defaultStart());

    QDateTime now() const override { return m_now; }

    void setNow(const QDateTime &now);
    void advance(std::chrono::milliseconds step);
    void advanceSecs(qint64 secs) { advance(std::chrono::seconds(secs)); }

    static QDateTime defaultStart();

private:
    QDateTime m_now;
};
