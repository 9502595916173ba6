// SPDX-License-Identifier: GPL-3.0-or-later
#include "testservices.h"

using namespace Qt::StringLiterals;

namespace TestServices {

bool required()
{
    return qEnvironmentVariable("SWITCHBOARD_REQUIRE_SERVICES") == u"1";
}

QString skipMessage(const QString &reason)
{
    return QStringLiteral(SWITCHBOARD_TEST_SKIP_MARKER)
        + u": %1. Run the tests with scripts/test (or a command under "
          "scripts/with-test-services) to start the services."_s.arg(reason);
}

QString failMessage(const QString &reason)
{
    // Must not contain the skip marker, or CTest would report the failure as a skip.
    return u"SWITCHBOARD_REQUIRE_SERVICES=1 but a service is missing: %1."_s.arg(reason);
}

} // namespace TestServices
