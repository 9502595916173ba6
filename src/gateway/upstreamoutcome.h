// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

/// What one attempt against an upstream account produced, before any judgement.
struct UpstreamOutcome
{
    enum class Transport {
        Ok, ///< an HTTP answer arrived (see status)
        Timeout, ///< no answer within the deadline
        Refused, ///< connection refused
        Reset, ///< connection closed or reset before a complete answer
        Other, ///< DNS, TLS or any other network failure
        Unusable, ///< an answer came that cannot be relayed (AnswerPolicy; see networkError)
    };

    Transport transport = Transport::Ok;
    int status = 0; ///< HTTP status when transport is Ok
    QList<QPair<QByteArray, QByteArray>> headers; ///< names lowercased
    QByteArray body; ///< the error body (the success body is not needed here)
    QString networkError; ///< the network layer's text, for logs and messages

    QByteArray header(const QByteArray &lowercaseName) const;
};

/// The judgement on an outcome: what the client gets and what happens to the account.
struct Verdict
{
    /// Whether the request goes on to the next account.
    enum class Route {
        Done, ///< success: relay it
        ReturnToClient, ///< the request itself is wrong (400, 404, 413): relay the error
        Failover, ///< the account failed: try the next one
    };
    /// The change to the account's health.
    enum class Effect {
        None,
        Success, ///< reset errors, mark valid
        Invalid, ///< the key was rejected: auto-disabled until the user acts
        Park, ///< out of credit / spend limit: disabled until `until` (or the user acts if null)
        Cooldown, ///< rate limited or overloaded: skip until `until`
        ModelDenied, ///< skip this account for the requested model until `until`
        CountError, ///< transient failure: counts toward the circuit breaker
    };

    Route route = Route::Done;
    Effect effect = Effect::None;
    QDateTime until;
    QString reason; ///< person-readable, shown in the window and the logs

    /// For the client, if this turns out to be the final answer.
    int clientStatus = 200;
    QString errorType; ///< Anthropic error type
    QString errorMessage;
    /// How telling this error is when every account failed (higher wins).
    int weight = 0;

    /// On to the next account; `reason` is also the client's message if this is the last.
    static Verdict failover(Effect effect, const QString &reason, int clientStatus,
                            const QString &errorType, int weight = 0, const QDateTime &until = {});
};
