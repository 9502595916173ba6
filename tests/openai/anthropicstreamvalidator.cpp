// SPDX-License-Identifier: GPL-3.0-or-later
#include "anthropicstreamvalidator.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

bool AnthropicStreamValidator::fail(const QString &why)
{
    if (m_error.isEmpty())
        m_error = u"event %1: %2"_s.arg(m_events).arg(why);
    return false;
}

bool AnthropicStreamValidator::feed(const QList<SseEvent> &events)
{
    for (const SseEvent &e : events) {
        if (!feed(e))
            return false;
    }
    return true;
}

bool AnthropicStreamValidator::feed(const SseEvent &event)
{
    if (!m_error.isEmpty())
        return false;
    ++m_events;
    const QString name = QString::fromUtf8(event.event);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(event.data, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return fail(u"data is not a JSON object: "_s + QString::fromUtf8(event.data));
    if (event.data.contains('\n'))
        return fail(u"data is not compact JSON"_s);
    const QJsonObject data = doc.object();
    if (data.value(u"type"_s).toString() != name)
        return fail(u"type \"%1\" differs from the event name \"%2\""_s.arg(
            data.value(u"type"_s).toString(), name));
    if (m_state == State::Stopped)
        return fail(u"%1 after message_stop"_s.arg(name));
    if (name == u"ping")
        return true;
    if (m_state == State::Initial && name != u"message_start")
        return fail(u"%1 before message_start"_s.arg(name));

    if (name == u"message_start") {
        if (m_state != State::Initial)
            return fail(u"a second message_start"_s);
        m_message = data.value(u"message"_s).toObject();
        if (m_message.value(u"type"_s) != u"message"_s || !m_message.value(u"usage"_s).isObject()
            || !m_message.value(u"content"_s).toArray().isEmpty())
            return fail(u"message_start without an empty message"_s);
        m_state = State::Started;
        return true;
    }
    if (name == u"content_block_start") {
        if (m_state != State::Started || m_errorEvents > 0)
            return fail(u"content_block_start after message_delta or error"_s);
        if (m_blockOpen)
            return fail(u"content_block_start while block %1 is open"_s.arg(m_content.size()));
        if (data.value(u"index"_s).toInt(-1) != m_content.size())
            return fail(
                u"content_block_start index %1, expected %2"_s.arg(data.value(u"index"_s).toInt(-1))
                    .arg(m_content.size()));
        m_block = data.value(u"content_block"_s).toObject();
        const QString type = m_block.value(u"type"_s).toString();
        if (type == u"text" && m_block.value(u"text"_s) != u""_s)
            return fail(u"text block starts with text"_s);
        if (type == u"thinking" && m_block.value(u"thinking"_s) != u""_s)
            return fail(u"thinking block starts with thinking"_s);
        if (type == u"tool_use"
            && (m_block.value(u"id"_s).toString().isEmpty()
                || m_block.value(u"input"_s).toObject() != QJsonObject {}))
            return fail(u"tool_use block without id or with input"_s);
        if (type != u"text" && type != u"thinking" && type != u"tool_use")
            return fail(u"unexpected block type "_s + type);
        m_blockOpen = true;
        m_partialJson.clear();
        return true;
    }
    if (name == u"content_block_delta") {
        if (!m_blockOpen || data.value(u"index"_s).toInt(-1) != m_content.size())
            return fail(u"delta for a block that is not open"_s);
        const QJsonObject delta = data.value(u"delta"_s).toObject();
        const QString deltaType = delta.value(u"type"_s).toString();
        const QString type = m_block.value(u"type"_s).toString();
        if (type == u"text" && deltaType == u"text_delta") {
            m_block[u"text"_s]
                = QString(m_block.value(u"text"_s).toString() + delta.value(u"text"_s).toString());
        } else if (type == u"thinking" && deltaType == u"thinking_delta") {
            m_block[u"thinking"_s] = QString(m_block.value(u"thinking"_s).toString()
                                             + delta.value(u"thinking"_s).toString());
        } else if (type == u"thinking" && deltaType == u"signature_delta") {
            m_block[u"signature"_s] = delta.value(u"signature"_s);
        } else if (type == u"tool_use" && deltaType == u"input_json_delta") {
            m_partialJson += delta.value(u"partial_json"_s).toString();
        } else {
            return fail(u"%1 in a %2 block"_s.arg(deltaType, type));
        }
        return true;
    }
    if (name == u"content_block_stop") {
        if (!m_blockOpen || data.value(u"index"_s).toInt(-1) != m_content.size())
            return fail(u"content_block_stop for a block that is not open"_s);
        if (m_block.value(u"type"_s) == u"tool_use"_s) {
            QJsonObject input;
            if (!m_partialJson.trimmed().isEmpty()) {
                const QJsonDocument parsed
                    = QJsonDocument::fromJson(m_partialJson.toUtf8(), &parseError);
                if (parseError.error != QJsonParseError::NoError || !parsed.isObject())
                    return fail(u"tool input is not a JSON object: "_s + m_partialJson);
                input = parsed.object();
            }
            m_block[u"input"_s] = input;
        }
        m_content.append(m_block);
        m_blockOpen = false;
        return true;
    }
    if (name == u"error") {
        if (m_blockOpen)
            return fail(u"error while a block is open"_s);
        if (m_state != State::Started)
            return fail(u"error after message_delta"_s);
        if (data.value(u"error"_s)[u"type"_s].toString().isEmpty()
            || data.value(u"error"_s)[u"message"_s].toString().isEmpty())
            return fail(u"error event without type or message"_s);
        ++m_errorEvents;
        m_lastError = data;
        return true;
    }
    if (name == u"message_delta") {
        if (m_state != State::Started)
            return fail(u"a second message_delta"_s);
        if (m_blockOpen)
            return fail(u"message_delta while a block is open"_s);
        const QJsonObject delta = data.value(u"delta"_s).toObject();
        if (!delta.contains(u"stop_reason"_s))
            return fail(u"message_delta without stop_reason"_s);
        m_message[u"stop_reason"_s] = delta.value(u"stop_reason"_s);
        m_message[u"stop_sequence"_s] = delta.value(u"stop_sequence"_s);
        QJsonObject usage = m_message.value(u"usage"_s).toObject();
        const QJsonObject more = data.value(u"usage"_s).toObject();
        for (auto it = more.begin(); it != more.end(); ++it)
            usage.insert(it.key(), it.value());
        m_message[u"usage"_s] = usage;
        m_state = State::Delta;
        return true;
    }
    if (name == u"message_stop") {
        if (m_state != State::Delta)
            return fail(u"message_stop without message_delta before it"_s);
        m_state = State::Stopped;
        return true;
    }
    return fail(u"unknown event "_s + name);
}

bool AnthropicStreamValidator::done()
{
    if (m_state != State::Stopped)
        return fail(u"the stream ended without message_stop"_s);
    return m_error.isEmpty();
}

QJsonObject AnthropicStreamValidator::message() const
{
    QJsonObject message = m_message;
    message[u"content"_s] = m_content;
    return message;
}
