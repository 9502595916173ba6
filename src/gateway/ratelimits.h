// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>

/// One limit as an upstream last reported it: how much of the window is left and when it
/// fills up again. -1: not reported.
struct RateLimit
{
    qint64 limit = -1;
    qint64 remaining = -1;
    QDateTime reset; ///< UTC; null when not reported

    bool isKnown() const { return remaining >= 0 && limit > 0; }
    /// The share left, 0 to 1; -1 when unknown.
    double left() const { return isKnown() ? double(qMin(remaining, limit)) / limit : -1; }
    friend bool operator==(const RateLimit &, const RateLimit &) = default;
};

/// The rate-limit headroom an upstream's answer announced for its account: Anthropic's
/// `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
/// OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` (reset as "6m0s"), and
/// OpenRouter's plain `x-ratelimit-{limit,remaining,reset}` (reset in epoch milliseconds) for
/// requests. Pure.
struct RateLimits
{
    RateLimit requests;
    RateLimit tokens; ///< all tokens; Anthropic reports input and output apart as well
    RateLimit inputTokens;
    RateLimit outputTokens;
    QDateTime seen; ///< when the answer came

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    /// The limits `headers` (any case) report, read at `now`; isEmpty() when none.
    static RateLimits fromHeaders(const Headers &headers, const QDateTime &now);

    bool isEmpty() const;
    /// Takes what `newer` reports; a limit it left out keeps its value here.
    void merge(const RateLimits &newer);
    /// Every limit, for what applies to each alike.
    QList<RateLimit> all() const { return {requests, tokens, inputTokens, outputTokens}; }
    /// The scarcest reported token limit (all, input or output).
    RateLimit scarcestTokens() const;
    friend bool operator==(const RateLimits &, const RateLimits &) = default;
};

Q_DECLARE_METATYPE(RateLimits)
