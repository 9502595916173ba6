// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/sse.h"
#include "gateway/upstreamoutcome.h"

#include <QCoreApplication>

#include <optional>

/// Which upstream answers the relay passes on, and how much of one it holds
/// (docs/protocol.md, "What clients get"): a success in the form the client asked for, an
/// event stream for `"stream": true` and one JSON message otherwise, of bounded size, so
/// that a broken or hostile upstream can neither hand a client what it cannot read nor make
/// the gateway hold unbounded memory. Anything else is the upstream's fault: the attempt
/// fails over as a transient error (Transport::Unusable). Pure.
class AnswerPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(AnswerPolicy)

public:
    /// The largest answer that is not a stream (as large as a request body may be).
    static constexpr qsizetype maxBodyBytes = 32 * 1024 * 1024;
    /// The largest SSE event (SseParser); real ones are far smaller.
    static constexpr qsizetype maxEventBytes = 8 * 1024 * 1024;
    /// The most a stream may hold back before its first content (StreamGate): message_start
    /// and pings.
    static constexpr qsizetype maxHeldBytes = 1024 * 1024;

    /// Why the answer begun so far cannot be relayed, as the outcome to judge; nothing when
    /// it can. `status` is 0 until the status line arrived; `eventStream`: a 200 of type
    /// text/event-stream; `bodyBytes`: how much of an answer that is not a stream arrived.
    static std::optional<UpstreamOutcome> refusal(int status, bool eventStream, bool clientStreams,
                                                  qsizetype bodyBytes);
    /// A stream held back more than maxHeldBytes before its first content.
    static UpstreamOutcome heldTooMuch();
    /// What SseParser emits for an event over maxEventBytes: an `error` event (api_error),
    /// so that the stream ends as if the upstream had failed there.
    static SseEvent eventTooLarge();
};
