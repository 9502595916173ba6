// SPDX-License-Identifier: GPL-3.0-or-later
#include "clock.h"

const Clock &Clock::system()
{
    static const SystemClock clock;
    return clock;
}
