// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QUuid>

/// Tokens of one request, or summed over many.
struct TokenCounts
{
    qint64 input = 0;
    qint64 output = 0;
    qint64 cacheRead = 0; ///< prompt cache hits
    qint64 cacheWrite = 0; ///< prompt cache creation

    qint64 cache() const { return cacheRead + cacheWrite; }
    qint64 total() const { return input + output + cache(); }
    TokenCounts &operator+=(const TokenCounts &other)
    {
        input += other.input;
        output += other.output;
        cacheRead += other.cacheRead;
        cacheWrite += other.cacheWrite;
        return *this;
    }
    friend bool operator==(const TokenCounts &, const TokenCounts &) = default;
};

/// One client request as the usage log keeps it.
struct UsageRecord
{
    QDateTime time; ///< when the request arrived
    QUuid accessKeyId;
    QUuid accountId; ///< the account that answered (null if none did)
    QString accountName;
    QString model; ///< as the client asked
    QString upstreamModel; ///< after the account's mapping
    TokenCounts tokens;
    int latencyMs = 0; ///< until the last byte
    int firstTokenMs = -1; ///< until the first content reached the client; -1 if none
    int status = 0; ///< what the client got (499: the client went away)
    QString errorType;
    int attempts = 0;
    QString path; ///< the failover path, e.g. "work 429 → home 200"
    bool stream = false;
    /// Thinking blocks another account signed were left out of the answering attempt.
    bool thinkingDropped = false;
    QString note; ///< what the gateway changed, e.g. "thinking dropped: signed by work"

    /// Why the answering account served: the window's "serving now". Live only, not stored.
    enum class Route {
        None, ///< no account served
        Strategy, ///< the first the routing strategy offered
        Session, ///< the conversation's account (sticky sessions)
        Pinned, ///< the account the user pinned
        Failover, ///< the ones before it failed
    };
    Route route = Route::None;
    /// Set when the request was refused at admission (unknown key, foreign Host or Origin):
    /// who it was, e.g. "unknown key …3f9a"; no account was tried. Live only, not stored.
    QString refusedClient;
};
