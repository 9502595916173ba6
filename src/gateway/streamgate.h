// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/sse.h"
#include "gateway/upstreamoutcome.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <utility>

/// The hold-until-content rule of docs/protocol.md ("Streams") for one upstream stream:
/// message_start and ping wait for the first content event, so that until then a failure
/// can move on to the next account unseen; after it, an `error` event ends the client's
/// stream. Pure: events in, what to do with each out; the relay does the writing.
class StreamGate final
{
public:
    enum class Action {
        Hold, ///< kept back: nothing has reached the client yet
        Commit, ///< the first content: start the client's stream, write takeHeld(), then it
        Write, ///< relay it
        /// An error before content, or more held than AnswerPolicy::maxHeldBytes: the account
        /// failed and the client saw nothing.
        FailOver,
        End, ///< an error after content: relay it and the rest of its batch, then end
    };

    struct Decision
    {
        Action action = Action::Write;
        /// The `usage` object a message_start or message_delta carries, else empty.
        QJsonObject usage;
        /// FailOver and End: the error event as an upstream answer (status from its type).
        UpstreamOutcome outcome;
        QString errorType; ///< FailOver and End: the error event's type
    };

    /// Judges the next event. Only message_start, message_delta and error are parsed.
    Decision take(const SseEvent &event);
    /// The events held back; call once, on Commit.
    QList<SseEvent> takeHeld() { return std::exchange(m_held, {}); }
    bool isCommitted() const { return m_committed; }
    /// message_stop went by: the upstream finished its message.
    bool sawStop() const { return m_sawStop; }

private:
    QList<SseEvent> m_held;
    qsizetype m_heldBytes = 0;
    bool m_committed = false;
    bool m_sawStop = false;
};
