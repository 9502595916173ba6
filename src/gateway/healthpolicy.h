// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "gateway/failureclassifier.h"

#include <QCoreApplication>

/// How a Verdict changes an account's health, and when an account may take requests.
/// Pure: the same rules serve live requests and validation.
class HealthPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(HealthPolicy)

public:
    static AccountHealth apply(AccountHealth health, const Verdict &verdict,
                               const CooldownPolicy &policy, const QDateTime &now);

    /// True when the account may be tried now (model-specific denials aside).
    static bool isAvailable(const Account &account, const QDateTime &now);
    /// True when the account's circuit was opened by errors and its rest is over: the
    /// next request is a probe that decides whether it closes again.
    static bool isHalfOpen(const Account &account, int errorThreshold, const QDateTime &now);
    /// When an unavailable account becomes available by itself; null if only the user can
    /// bring it back (invalid key, out of credit, disabled).
    static QDateTime availableAt(const Account &account, const QDateTime &now);
};
