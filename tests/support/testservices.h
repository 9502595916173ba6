// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QTest>

/// Tests that need an outside service (PostgreSQL, a Secret Service) skip when it is not
/// there, unless SWITCHBOARD_REQUIRE_SERVICES=1 (set by scripts/test and CI), where a missing
/// service is a failure: CI must never pass by skipping.
namespace TestServices {

/// SWITCHBOARD_REQUIRE_SERVICES=1
bool required();
/// Why a test cannot run, with how to run it; starts with the marker CTest looks for when
/// skipping.
QString skipMessage(const QString &reason);
QString failMessage(const QString &reason);

} // namespace TestServices

/// Use in a test function, init() or initTestCase(): when `reason` is not empty the service
/// is missing, and the test skips or fails (see TestServices::required()).
#define SWITCHBOARD_REQUIRE_SERVICE(reason)                                                        \
    do {                                                                                           \
        const QString sbMissingReason_ = (reason);                                                 \
        if (!sbMissingReason_.isEmpty()) {                                                         \
            if (TestServices::required())                                                          \
                QFAIL(qPrintable(TestServices::failMessage(sbMissingReason_)));                    \
            QSKIP(qPrintable(TestServices::skipMessage(sbMissingReason_)));                        \
        }                                                                                          \
    } while (false)
