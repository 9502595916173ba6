// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "gateway/failureclassifier.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

class Router;

/// An attempt that failed over, as the final answer may have to tell it.
struct AttemptFailure
{
    QString account; ///< its name
    Verdict verdict;
};

/// What a client gets when no account served its request, following docs/protocol.md
/// ("What fails over"): after failed attempts the most telling failure; with no account to
/// try, why (none configured, none for the model, all resting, all refused the model, all
/// disabled or invalid); with retry-after when waiting is what helps (until the first
/// account is back). Pure: time comes in as `now`.
struct UnservedAnswer
{
    Q_DECLARE_TR_FUNCTIONS(UnservedAnswer)

public:
    int status = 0;
    QString errorType;
    QString message;
    qint64 retryAfterSeconds = 0; ///< until the first account is back; 0: no retry-after

    /// `router` tells which accounts are refused the model and which are being probed.
    static UnservedAnswer explain(const QList<Account> &accounts, const Router &router,
                                  const QString &model, const QList<AttemptFailure> &failures,
                                  const CooldownPolicy &cooldowns, const QDateTime &now);
};
