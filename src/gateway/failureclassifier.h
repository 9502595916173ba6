// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/upstreamoutcome.h"

#include <QCoreApplication>

#include <optional>

class Settings;

/// How long accounts rest after each kind of trouble (from the settings).
struct CooldownPolicy
{
    int rateLimitSeconds = 60;
    int overloadedSeconds = 15;
    int permissionSeconds = 3600;
    int circuitSeconds = 120;
    int errorThreshold = 3;

    static CooldownPolicy from(const Settings &settings);
};

/// Turns an upstream outcome into a Verdict, following the failover table of docs/protocol.md.
/// Pure: no I/O, time comes in as `now`.
class FailureClassifier final
{
    Q_DECLARE_TR_FUNCTIONS(FailureClassifier)

public:
    static Verdict classify(const UpstreamOutcome &outcome, const CooldownPolicy &policy,
                            const QDateTime &now);

    /// When the upstream says to try again: `retry-after` (seconds or an HTTP date), else
    /// the reset time of an exhausted `anthropic-ratelimit-*` limit.
    static std::optional<QDateTime> retryAt(const UpstreamOutcome &outcome, const QDateTime &now);
    /// The first instant of the next calendar month, UTC (spend limits reset then).
    static QDateTime startOfNextMonth(const QDateTime &now);
    /// The upstream's own error message (UpstreamMessage::describe(): bounded, key-shaped
    /// tokens masked).
    static QString upstreamMessage(const UpstreamOutcome &outcome);
};
