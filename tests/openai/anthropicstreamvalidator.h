// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/sse.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

/// Checks a sequence of Anthropic stream events against the ordering rules a client relies
/// on, and accumulates them into the message a client SDK would build.
///
/// Rules: exactly one message_start, first; content_block_start indexes 0, 1, 2… with no
/// block open; deltas only for the open block and of its type (text_delta, thinking_delta or
/// signature_delta, input_json_delta); a tool_use block's partial_json concatenates to a JSON
/// object (or nothing); every block stopped before the next starts; an `error` event only
/// with no block open; message_delta exactly once, with no block open; message_stop last;
/// nothing after it. Each event's data is JSON whose `type` is the event name.
class AnthropicStreamValidator
{
public:
    /// Takes one event; false (and error() set) at the first rule broken.
    bool feed(const SseEvent &event);
    bool feed(const QList<SseEvent> &events);
    /// The stream is over: false unless message_stop was seen.
    bool done();

    QString error() const { return m_error; }
    bool sawError() const { return m_errorEvents > 0; }
    QJsonObject errorEvent() const { return m_lastError; }
    /// The message as accumulated so far (tool inputs parsed at content_block_stop).
    QJsonObject message() const;

private:
    bool fail(const QString &why);

    enum class State { Initial, Started, Delta, Stopped };
    State m_state = State::Initial;
    QString m_error;
    int m_events = 0;
    int m_errorEvents = 0;
    QJsonObject m_lastError;
    QJsonObject m_message;
    QJsonArray m_content;
    QJsonObject m_block; ///< the open block
    bool m_blockOpen = false;
    QString m_partialJson;
};
