// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/openai/jsonscan.h"
#include "gateway/sse.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

/// State machine: OpenAI stream chunks in, Anthropic SSE events (event name + compact JSON
/// data) out, in valid order: one message_start, blocks 0, 1, 2… each started, fed and
/// stopped before the next, message_delta once, message_stop last.
///
/// Anthropic blocks cannot interleave, but OpenAI tool calls can (pieces of several
/// `tool_calls[index]` in any order). The open tool block stays open until its arguments
/// form a complete JSON object, or turn out malformed; pieces of other calls are buffered
/// meanwhile and sent when their block opens. Text or reasoning arriving while a tool call
/// is still incomplete is held back and sent as blocks after the tool calls. Everything
/// still buffered is flushed at a normal end.
///
/// A client's tool input always parses as an object: of a call's arguments only what keeps
/// them a valid object is sent (JsonScan), and however the block ends (its arguments whole,
/// malformed, or cut off by the end of the stream) it is closed with what completes them
/// (open strings and brackets closed, a dangling key given null), or with `{}` when they
/// were not an object at all. After a cut-off, the `error` event that follows tells the
/// client the message is void.
///
/// What it holds is bounded: the arguments of tool calls whose block has not opened yet and
/// held-back text together past `maxHeldChars` end the message with an error, as a broken
/// stream would. Work is linear in the stream's size.
///
/// A normal end is `[DONE]`, or a finish_reason followed by usage or by the end of the
/// connection (some providers send no `[DONE]`, some no usage). The answer then accumulates to
/// exactly what OpenAIResponse::toAnthropic makes of the same completion (block order
/// aside when text follows tool calls), including an empty answer: no blocks. Malformed
/// arguments are the exception: the non-streaming answer has `{}` for them, the stream the
/// valid part already sent, completed.
class OpenAIStreamTranslator final
{
    Q_DECLARE_TR_FUNCTIONS(OpenAIStreamTranslator)

public:
    /// model: what the Anthropic events name (the client's requested model).
    /// stopSequences: the request's stop_sequences (see OpenAIMapping::matchedStop).
    OpenAIStreamTranslator(QString model, QStringList stopSequences,
                           qsizetype maxHeldChars = defaultMaxHeldChars);

    static constexpr qsizetype defaultMaxHeldChars = 16 * 1024 * 1024;

    /// One `data:` payload of the upstream stream (a JSON chunk, or "[DONE]"). Returns the
    /// events to send now. The first call emits message_start. An error chunk
    /// (`{"error":{...}}`) or a payload that is not JSON ends the message: the open block is
    /// closed, then an `error` event, message_delta and message_stop follow.
    QList<SseEvent> feed(const QByteArray &data);
    /// The upstream connection closed. After a normal end: whatever is still due. Before it
    /// (e.g. mid tool call): the open block is closed, then `error` (api_error),
    /// message_delta with stop_reason null, message_stop.
    QList<SseEvent> finish();
    /// The relay noticed a failure (timeout, reset): like an early end, with this error.
    QList<SseEvent> fail(const QString &errorType, const QString &message);

    bool isFinished() const { return m_finished; } ///< message_stop emitted
    QJsonObject usage() const; ///< Anthropic usage object so far

private:
    enum class Block { None, Text, Thinking, Tool };

    struct ToolCall
    {
        QString id;
        QString name;
        QString arguments; ///< what of them is still to send when its block opens
        JsonScan scan;
        int block = -1; ///< Anthropic block index once opened
    };

    struct Deferred
    {
        Block kind;
        QString text;
    };

    void start(const QJsonObject &chunk, QList<SseEvent> &out);
    void choice(const QJsonObject &choice, QList<SseEvent> &out);
    void text(Block kind, const QString &piece, QList<SseEvent> &out);
    void toolPiece(const QJsonObject &piece, int position, QList<SseEvent> &out);
    /// Opens buffered tool calls as far as the ordering rules allow.
    void pump(QList<SseEvent> &out);
    bool canLeaveOpenTool() const;
    int nextPendingTool(bool requireName);
    /// Counts characters it holds; false (and the message ended) when over the limit.
    bool hold(qsizetype chars, QList<SseEvent> &out);
    void openTool(int slot, QList<SseEvent> &out);
    void openBlock(Block kind, const QJsonObject &contentBlock, QList<SseEvent> &out);
    void closeBlock(QList<SseEvent> &out);
    void blockDelta(const QJsonObject &delta, QList<SseEvent> &out);
    void complete(QList<SseEvent> &out);
    void abort(const QString &errorType, const QString &message, QList<SseEvent> &out);
    void end(const QJsonValue &stopReason, const QJsonValue &stopSequence, QList<SseEvent> &out);
    static void emitEvent(QList<SseEvent> &out, const QByteArray &name, const QJsonObject &data);

    QString m_model;
    QStringList m_stopSequences;
    qsizetype m_maxHeld;
    qsizetype m_held = 0; ///< arguments of calls whose block has not opened, plus deferred text
    QString m_messageId;
    bool m_started = false;
    bool m_finished = false;
    bool m_sawFinishReason = false;
    QString m_finishReason;
    QString m_stopSequence;
    QJsonObject m_usage;
    bool m_haveUsage = false;

    int m_nextBlock = 0;
    Block m_open = Block::None;
    int m_openTool = -1; ///< slot in m_tools of the open tool block
    QList<ToolCall> m_tools; ///< in order of first appearance
    int m_firstUnopened = 0; ///< every tool call before this slot has its block
    QHash<int, int> m_slotByIndex; ///< upstream tool_calls index -> slot
    QList<Deferred> m_deferred;
};
