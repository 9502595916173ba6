// SPDX-License-Identifier: GPL-3.0-or-later
#include "testtimeout.h"

#include <QString>

#include <limits>

int testTimeout(std::chrono::milliseconds base)
{
    static const double scale = [] {
        bool ok = false;
        const double value = qEnvironmentVariable("SWITCHBOARD_TEST_TIMEOUT_SCALE").toDouble(&ok);
        return ok && value > 0 ? value : 1.0;
    }();
    return int(std::min<double>(double(base.count()) * scale, std::numeric_limits<int>::max()));
}
