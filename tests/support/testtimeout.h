// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <chrono>

/// How long a test waits for something that must come (an answer, a signal, a state) before
/// it fails, in milliseconds as QTest::qWaitFor, QSignalSpy::wait and QTRY_*_WITH_TIMEOUT take
/// them: `base` times SWITCHBOARD_TEST_TIMEOUT_SCALE (a positive number, default 1), so a slow
/// machine, a sanitizer or valgrind raises every wait of the suite at once. A wait ends as
/// soon as what it waits for holds; only a failing test waits the whole time.
int testTimeout(std::chrono::milliseconds base = std::chrono::seconds(15));
