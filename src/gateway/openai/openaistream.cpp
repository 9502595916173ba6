// SPDX-License-Identifier: GPL-3.0-or-later
#include "openaistream.h"

#include "gateway/openai/openaierror.h"
#include "gateway/openai/openaimapping.h"
#include "gateway/openai/openairesponse.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

using namespace Qt::StringLiterals;

OpenAIStreamTranslator::OpenAIStreamTranslator(QString model, QStringList stopSequences,
                                               qsizetype maxHeldChars)
    : m_model(std::move(model))
    , m_stopSequences(std::move(stopSequences))
    , m_maxHeld(maxHeldChars)
{ }

bool OpenAIStreamTranslator::hold(qsizetype chars, QList<SseEvent> &out)
{
    m_held += chars;
    if (m_held <= m_maxHeld)
        return true;
    abort(u"api_error"_s,
          tr("The provider sent more than %1 of unfinished tool-call arguments and text held "
             "back behind them; the answer was cut off there.")
              .arg(QLocale::c().formattedDataSize(m_maxHeld)),
          out);
    return false;
}

QJsonObject OpenAIStreamTranslator::usage() const
{
    return m_haveUsage ? m_usage : OpenAIMapping::emptyUsage();
}

void OpenAIStreamTranslator::emitEvent(QList<SseEvent> &out, const QByteArray &name,
                                       const QJsonObject &data)
{
    out.append(SseEvent {name, QJsonDocument(data).toJson(QJsonDocument::Compact)});
}

QList<SseEvent> OpenAIStreamTranslator::feed(const QByteArray &data)
{
    QList<SseEvent> out;
    if (m_finished)
        return out;
    const QByteArray payload = data.trimmed();
    if (payload.isEmpty())
        return out;
    if (payload == "[DONE]") {
        start({}, out);
        complete(out);
        return out;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        start({}, out);
        abort(u"api_error"_s, tr("The provider sent a stream chunk that is not JSON."), out);
        return out;
    }
    const QJsonObject chunk = doc.object();
    start(chunk, out);
    if (chunk.contains(u"error"_s)) {
        const OpenAIError::Mapped error = OpenAIError::fromStreamError(chunk.value(u"error"_s));
        abort(error.type, error.message, out);
        return out;
    }
    if (const QJsonValue usage = chunk.value(u"usage"_s); usage.isObject()) {
        m_usage = OpenAIMapping::usage(usage.toObject());
        m_haveUsage = true;
    }
    for (const QJsonValue &c : chunk.value(u"choices"_s).toArray()) {
        if (c[u"index"_s].toInt() == 0)
            choice(c.toObject(), out);
    }
    // Usage after (or with) the finish reason is the last thing a provider sends.
    if (m_sawFinishReason && m_haveUsage)
        complete(out);
    return out;
}

QList<SseEvent> OpenAIStreamTranslator::finish()
{
    QList<SseEvent> out;
    if (m_finished)
        return out;
    start({}, out);
    if (m_sawFinishReason)
        complete(out);
    else
        abort(u"api_error"_s, tr("The provider ended the stream before the answer was complete."),
              out);
    return out;
}

QList<SseEvent> OpenAIStreamTranslator::fail(const QString &errorType, const QString &message)
{
    QList<SseEvent> out;
    if (m_finished)
        return out;
    start({}, out);
    abort(errorType, message, out);
    return out;
}

void OpenAIStreamTranslator::start(const QJsonObject &chunk, QList<SseEvent> &out)
{
    if (m_started)
        return;
    m_started = true;
    m_messageId = OpenAIMapping::messageId(chunk.value(u"id"_s).toString());
    QJsonObject usage = OpenAIMapping::emptyUsage();
    if (const QJsonValue u = chunk.value(u"usage"_s); u.isObject()) {
        usage = OpenAIMapping::usage(u.toObject());
        usage.insert(u"output_tokens"_s, 0);
    }
    emitEvent(out, "message_start",
              {{u"type"_s, u"message_start"_s},
               {u"message"_s,
                QJsonObject {{u"id"_s, m_messageId},
                             {u"type"_s, u"message"_s},
                             {u"role"_s, u"assistant"_s},
                             {u"model"_s, m_model},
                             {u"content"_s, QJsonArray {}},
                             {u"stop_reason"_s, QJsonValue::Null},
                             {u"stop_sequence"_s, QJsonValue::Null},
                             {u"usage"_s, usage}}}});
}

void OpenAIStreamTranslator::choice(const QJsonObject &choice, QList<SseEvent> &out)
{
    const QJsonObject delta = choice.value(u"delta"_s).toObject();
    // DeepSeek, Qwen, vLLM: reasoning_content; OpenRouter: reasoning. Never both at once.
    QString reasoning = delta.value(u"reasoning_content"_s).toString();
    if (reasoning.isEmpty())
        reasoning = delta.value(u"reasoning"_s).toString();
    text(Block::Thinking, reasoning, out);
    // llama.cpp sends content: null, others "": neither may open a block.
    text(Block::Text, OpenAIResponse::contentText(delta.value(u"content"_s)), out);
    const QJsonArray calls = delta.value(u"tool_calls"_s).toArray();
    for (int i = 0; i < calls.size(); ++i)
        toolPiece(calls[i].toObject(), i, out);

    const QString finish = choice.value(u"finish_reason"_s).toString();
    if (!finish.isEmpty()) {
        m_sawFinishReason = true;
        m_finishReason = finish;
        m_stopSequence
            = finish == u"stop" ? OpenAIMapping::matchedStop(choice, m_stopSequences) : QString();
    }
}

void OpenAIStreamTranslator::text(Block kind, const QString &piece, QList<SseEvent> &out)
{
    if (piece.isEmpty())
        return;
    if ((m_open == Block::Tool && !canLeaveOpenTool()) || !m_deferred.isEmpty()) {
        // Would cut an unfinished tool call short: keep the text for after the tool calls
        // (and keep later pieces behind it, in order).
        if (!hold(piece.size(), out))
            return;
        if (!m_deferred.isEmpty() && m_deferred.last().kind == kind)
            m_deferred.last().text += piece;
        else
            m_deferred.append({kind, piece});
        return;
    }
    if (m_open != kind) {
        closeBlock(out);
        if (kind == Block::Text)
            openBlock(kind, {{u"type"_s, u"text"_s}, {u"text"_s, u""_s}}, out);
        else
            openBlock(kind,
                      {{u"type"_s, u"thinking"_s}, {u"thinking"_s, u""_s}, {u"signature"_s, u""_s}},
                      out);
    }
    if (kind == Block::Text)
        blockDelta({{u"type"_s, u"text_delta"_s}, {u"text"_s, piece}}, out);
    else
        blockDelta({{u"type"_s, u"thinking_delta"_s}, {u"thinking"_s, piece}}, out);
}

bool OpenAIStreamTranslator::canLeaveOpenTool() const
{
    return m_openTool >= 0 && m_tools[m_openTool].scan.isOver();
}

void OpenAIStreamTranslator::toolPiece(const QJsonObject &piece, int position, QList<SseEvent> &out)
{
    const QJsonValue indexValue = piece.value(u"index"_s);
    const int index = indexValue.isDouble() ? indexValue.toInt() : position;
    const QString id = piece.value(u"id"_s).toString();
    const QJsonObject function = piece.value(u"function"_s).toObject();
    const QString name = function.value(u"name"_s).toString();
    const QJsonValue argsValue = function.value(u"arguments"_s);
    const QString arguments = argsValue.isObject()
        ? QString::fromUtf8(QJsonDocument(argsValue.toObject()).toJson(QJsonDocument::Compact))
        : argsValue.toString();

    int slot = m_slotByIndex.value(index, -1);
    // Some servers number every call 0; a new id with a name is then a new call.
    if (slot >= 0 && !id.isEmpty() && !name.isEmpty() && !m_tools[slot].id.isEmpty()
        && m_tools[slot].id != id)
        slot = -1;
    if (slot < 0) {
        slot = int(m_tools.size());
        m_tools.append(ToolCall {});
        m_slotByIndex.insert(index, slot);
    }
    ToolCall &call = m_tools[slot];
    if (call.id.isEmpty())
        call.id = id;
    if (call.name.isEmpty())
        call.name = name;
    // Only the part that keeps the arguments a valid object goes on (see JsonScan); once
    // they are whole or malformed, nothing more of them does.
    if (!arguments.isEmpty() && !call.scan.isOver()) {
        const QString valid = call.scan.feed(arguments);
        if (slot != m_openTool) {
            // Kept to send when its block opens.
            if (!hold(valid.size(), out))
                return;
            call.arguments += valid;
        } else if (!valid.isEmpty()) {
            blockDelta({{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, valid}}, out);
        }
    }
    pump(out);
}

int OpenAIStreamTranslator::nextPendingTool(bool requireName)
{
    while (m_firstUnopened < m_tools.size() && m_tools[m_firstUnopened].block >= 0)
        ++m_firstUnopened;
    for (int slot = m_firstUnopened; slot < m_tools.size(); ++slot) {
        if (m_tools[slot].block < 0 && (!requireName || !m_tools[slot].name.isEmpty()))
            return slot;
    }
    return -1;
}

void OpenAIStreamTranslator::pump(QList<SseEvent> &out)
{
    while (true) {
        if (m_open == Block::Tool && !canLeaveOpenTool())
            return;
        const int next = nextPendingTool(true);
        if (next < 0)
            return;
        openTool(next, out);
    }
}

void OpenAIStreamTranslator::openTool(int slot, QList<SseEvent> &out)
{
    closeBlock(out);
    ToolCall &call = m_tools[slot];
    call.id = call.id.isEmpty() ? OpenAIMapping::mintToolId(m_messageId, slot)
                                : OpenAIMapping::anthropicToolId(call.id);
    call.block = m_nextBlock;
    openBlock(Block::Tool,
              {{u"type"_s, u"tool_use"_s},
               {u"id"_s, call.id},
               {u"name"_s, call.name},
               {u"input"_s, QJsonObject {}}},
              out);
    m_openTool = slot;
    if (!call.arguments.isEmpty()) {
        blockDelta({{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, call.arguments}}, out);
        m_held -= call.arguments.size();
        call.arguments = QString();
    }
}

void OpenAIStreamTranslator::openBlock(Block kind, const QJsonObject &contentBlock,
                                       QList<SseEvent> &out)
{
    closeBlock(out);
    emitEvent(out, "content_block_start",
              {{u"type"_s, u"content_block_start"_s},
               {u"index"_s, m_nextBlock},
               {u"content_block"_s, contentBlock}});
    m_open = kind;
}

void OpenAIStreamTranslator::blockDelta(const QJsonObject &delta, QList<SseEvent> &out)
{
    emitEvent(
        out, "content_block_delta",
        {{u"type"_s, u"content_block_delta"_s}, {u"index"_s, m_nextBlock}, {u"delta"_s, delta}});
}

void OpenAIStreamTranslator::closeBlock(QList<SseEvent> &out)
{
    if (m_open == Block::None)
        return;
    if (m_openTool >= 0) {
        // Whatever made it end (its close, a new block, the end of the answer, a broken
        // stream), the client's input must parse.
        if (const QString rest = m_tools[m_openTool].scan.completion(); !rest.isEmpty())
            blockDelta({{u"type"_s, u"input_json_delta"_s}, {u"partial_json"_s, rest}}, out);
    }
    emitEvent(out, "content_block_stop",
              {{u"type"_s, u"content_block_stop"_s}, {u"index"_s, m_nextBlock}});
    ++m_nextBlock;
    m_open = Block::None;
    m_openTool = -1;
}

void OpenAIStreamTranslator::complete(QList<SseEvent> &out)
{
    if (m_finished)
        return;
    // Flush what the ordering rules held back: every tool call, then late text.
    closeBlock(out);
    for (int next = nextPendingTool(false); next >= 0; next = nextPendingTool(false)) {
        openTool(next, out);
        closeBlock(out);
    }
    const QList<Deferred> deferred = std::exchange(m_deferred, {});
    for (const Deferred &d : deferred) {
        m_held -= d.text.size();
        text(d.kind, d.text, out);
    }
    closeBlock(out);

    const QString stopReason
        = OpenAIMapping::stopReason(m_finishReason, !m_tools.isEmpty(), !m_stopSequence.isEmpty());
    end(stopReason,
        stopReason == u"stop_sequence" ? QJsonValue(m_stopSequence) : QJsonValue(QJsonValue::Null),
        out);
}

void OpenAIStreamTranslator::abort(const QString &errorType, const QString &message,
                                   QList<SseEvent> &out)
{
    if (m_finished)
        return;
    // Buffered tool calls and text are dropped: they are incomplete by definition. The open
    // tool block gets what makes its input parse (closeBlock).
    closeBlock(out);
    m_deferred.clear();
    emitEvent(out, "error",
              {{u"type"_s, u"error"_s},
               {u"error"_s, QJsonObject {{u"type"_s, errorType}, {u"message"_s, message}}}});
    end(QJsonValue::Null, QJsonValue::Null, out);
}

void OpenAIStreamTranslator::end(const QJsonValue &stopReason, const QJsonValue &stopSequence,
                                 QList<SseEvent> &out)
{
    emitEvent(out, "message_delta",
              {{u"type"_s, u"message_delta"_s},
               {u"delta"_s,
                QJsonObject {{u"stop_reason"_s, stopReason}, {u"stop_sequence"_s, stopSequence}}},
               {u"usage"_s, usage()}});
    emitEvent(out, "message_stop", {{u"type"_s, u"message_stop"_s}});
    m_finished = true;
}
