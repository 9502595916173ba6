// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "gateway/failureclassifier.h"

#include <QObject>

#include <functional>

class Clock;
class UpstreamPool;

/// What checking one account found.
struct ValidationResult
{
    QUuid accountId;
    bool ok = false;
    int latencyMs = 0;
    QString message;
    QDateTime time;
    Verdict verdict; ///< apply it to the account's health as a request's would be
};

/// Checks an account without spending tokens: `GET /v1/models`, and for providers without
/// that endpoint `POST /v1/messages/count_tokens`. The outcome is judged exactly like a
/// request's, so a failed check changes health the same way.
class UpstreamValidator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamValidator)

public:
    UpstreamValidator(UpstreamPool &pool, const Clock &clock, QObject *parent = nullptr);

    void setPolicy(const CooldownPolicy &policy) { m_policy = policy; }
    void setTimeoutSeconds(int seconds) { m_timeoutSeconds = seconds; }

    void validate(const Account &account, const QString &secret,
                  std::function<void(const ValidationResult &)> done);

    /// The health after a validation (verdict applied, time, latency and message kept).
    static AccountHealth applyResult(AccountHealth health, const ValidationResult &result,
                                     const CooldownPolicy &policy);

private:
    void attempt(const Account &account, const QString &secret, bool countTokens,
                 std::function<void(const ValidationResult &)> done);

    UpstreamPool &m_pool;
    const Clock &m_clock;
    CooldownPolicy m_policy;
    int m_timeoutSeconds = 30;
};
