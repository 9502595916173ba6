// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Lets QCOMPARE compare and print core types. Include it before the test code.
//
// The enums need qCompare overloads: QCOMPARE's printer calls toString() unqualified, and
// argument-dependent lookup finds core's `QString toString(ProviderKind)`, which does not
// compile there (QTest wants a char*).

#include "core/account.h"
#include "core/result.h"
#include "core/secretstore.h"

#include <QTest>

/// The error message of a failed result, empty for a good one: for QVERIFY2, whose
/// message is evaluated even when the check passes.
template<typename T> QString errorMessage(const Result<T> &result)
{
    return result.ok() ? QString() : result.error().message;
}

char *toString(const Account &account);
char *toString(const AccountHealth &health);
char *toString(const ModelMapping &mapping);

namespace QTest {

bool qCompare(ProviderKind t1, ProviderKind t2, const char *actual, const char *expected,
              const char *file, int line);
bool qCompare(AuthStyle t1, AuthStyle t2, const char *actual, const char *expected,
              const char *file, int line);
bool qCompare(HealthState t1, HealthState t2, const char *actual, const char *expected,
              const char *file, int line);
bool qCompare(Error::Kind t1, Error::Kind t2, const char *actual, const char *expected,
              const char *file, int line);
bool qCompare(SecretResult::Status t1, SecretResult::Status t2, const char *actual,
              const char *expected, const char *file, int line);

} // namespace QTest
