// SPDX-License-Identifier: GPL-3.0-or-later
// The hold-until-content rule without sockets: event sequences in, the gate's decisions out
// (docs/protocol.md, "Streams"), for Anthropic streams and for OpenAI streams after
// translation.
#include "gateway/answerpolicy.h"
#include "gateway/openai/openaistream.h"
#include "gateway/streamgate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using Action = StreamGate::Action;

Q_DECLARE_METATYPE(StreamGate::Action)

namespace {

SseEvent sseEvent(const QByteArray &name, const QJsonObject &data = {})
{
    return {name, QJsonDocument(data).toJson(QJsonDocument::Compact)};
}

SseEvent messageStart(int inputTokens = 25)
{
    return sseEvent("message_start",
                    {{u"type"_s, u"message_start"_s},
                     {u"message"_s,
                      QJsonObject {{u"id"_s, u"msg_1"_s},
                                   {u"usage"_s,
                                    QJsonObject {{u"input_tokens"_s, inputTokens},
                                                 {u"output_tokens"_s, 1}}}}}});
}

SseEvent ping()
{
    return sseEvent("ping", {{u"type"_s, u"ping"_s}});
}

SseEvent blockStart()
{
    return sseEvent(
        "content_block_start",
        {{u"type"_s, u"content_block_start"_s},
         {u"index"_s, 0},
         {u"content_block"_s, QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, u""_s}}}});
}

SseEvent delta(const QString &text)
{
    return sseEvent("content_block_delta",
                    {{u"type"_s, u"content_block_delta"_s},
                     {u"index"_s, 0},
                     {u"delta"_s, QJsonObject {{u"type"_s, u"text_delta"_s}, {u"text"_s, text}}}});
}

SseEvent messageDelta(int outputTokens)
{
    return sseEvent("message_delta",
                    {{u"type"_s, u"message_delta"_s},
                     {u"delta"_s, QJsonObject {{u"stop_reason"_s, u"end_turn"_s}}},
                     {u"usage"_s, QJsonObject {{u"output_tokens"_s, outputTokens}}}});
}

SseEvent errorEvent(const QString &type)
{
    return sseEvent("error",
                    {{u"type"_s, u"error"_s},
                     {u"error"_s, QJsonObject {{u"type"_s, type}, {u"message"_s, u"oops"_s}}}});
}

QList<Action> actionsOf(StreamGate &gate, const QList<SseEvent> &events)
{
    QList<Action> actions;
    for (const SseEvent &e : events)
        actions << gate.take(e).action;
    return actions;
}

/// One OpenAI stream chunk with text for choice 0 (and a finish reason when given).
QByteArray chatChunk(const QString &text, const QJsonValue &finishReason = QJsonValue::Null)
{
    const QJsonObject choice {{u"index"_s, 0},
                              {u"delta"_s, QJsonObject {{u"content"_s, text}}},
                              {u"finish_reason"_s, finishReason}};
    return QJsonDocument(QJsonObject {{u"id"_s, u"chatcmpl-1"_s},
                                      {u"object"_s, u"chat.completion.chunk"_s},
                                      {u"choices"_s, QJsonArray {choice}}})
        .toJson(QJsonDocument::Compact);
}

QByteArray chatError(const QString &code)
{
    return QJsonDocument(
               QJsonObject {{u"error"_s, QJsonObject {{u"code"_s, code}, {u"message"_s, u"no"_s}}}})
        .toJson(QJsonDocument::Compact);
}

/// What the gate makes of the translator's events for `chunks`, with finish() after them.
QList<StreamGate::Decision> translated(StreamGate &gate, const QByteArrayList &chunks,
                                       QList<SseEvent> *events = nullptr)
{
    OpenAIStreamTranslator translator(u"claude-sonnet-4-5"_s, {});
    QList<SseEvent> out;
    for (const QByteArray &chunk : chunks)
        out << translator.feed(chunk);
    out << translator.finish();
    QList<StreamGate::Decision> decisions;
    for (const SseEvent &e : std::as_const(out)) {
        decisions << gate.take(e);
        if (decisions.last().action == Action::FailOver || decisions.last().action == Action::End)
            break; // the relay stops reading there
    }
    if (events)
        *events = out;
    return decisions;
}

QList<Action> actionsOf(const QList<StreamGate::Decision> &decisions)
{
    QList<Action> actions;
    for (const StreamGate::Decision &d : decisions)
        actions << d.action;
    return actions;
}

} // namespace

class TestStreamGate : public QObject
{
    Q_OBJECT

private slots:
    void headIsHeldUntilContent();
    void eventsAfterContentAreWritten();
    void anyOtherEventIsContent();
    void usageOfStartAndDelta();
    void errorBeforeContentFailsOver_data();
    void errorBeforeContentFailsOver();
    void errorAfterContentEndsTheStream();
    void holdingTooMuchFailsOver();
    void messageStopIsSeen();
    void translatedStream();
    void translatedErrorBeforeContentFailsOver();
    void translatedErrorAfterContentEndsTheStream();
    void translatedStreamCutOffEndsTheStream();
};

void TestStreamGate::headIsHeldUntilContent()
{
    StreamGate gate;
    QCOMPARE(actionsOf(gate, {messageStart(), ping(), ping()}),
             (QList<Action> {Action::Hold, Action::Hold, Action::Hold}));
    QVERIFY(!gate.isCommitted());
    QCOMPARE(gate.take(blockStart()).action, Action::Commit);
    QVERIFY(gate.isCommitted());
    // The held events come out once, in order, for the client's stream to begin with.
    QCOMPARE(gate.takeHeld(), (QList<SseEvent> {messageStart(), ping(), ping()}));
    QVERIFY(gate.takeHeld().isEmpty());
}

void TestStreamGate::eventsAfterContentAreWritten()
{
    StreamGate gate;
    QCOMPARE(actionsOf(gate,
                       {messageStart(), blockStart(), ping(), delta(u"Hel"_s), delta(u"lo"_s),
                        sseEvent("content_block_stop"), messageDelta(3), sseEvent("message_stop")}),
             (QList<Action> {Action::Hold, Action::Commit, Action::Write, Action::Write,
                             Action::Write, Action::Write, Action::Write, Action::Write}));
    QCOMPARE(gate.takeHeld(), QList<SseEvent> {messageStart()});
}

void TestStreamGate::anyOtherEventIsContent()
{
    // message_delta without a block (an empty answer), an unnamed event, and a delta whose
    // data is not even JSON (only three kinds of events are parsed) all begin the stream.
    for (const SseEvent &first : {messageDelta(0), SseEvent {{}, "x"_ba},
                                  SseEvent {"content_block_delta", "{not json"_ba}}) {
        StreamGate gate;
        QCOMPARE(gate.take(messageStart()).action, Action::Hold);
        const StreamGate::Decision d = gate.take(first);
        QCOMPARE(d.action, Action::Commit);
        QVERIFY(d.errorType.isEmpty());
    }
}

void TestStreamGate::usageOfStartAndDelta()
{
    StreamGate gate;
    StreamGate::Decision d = gate.take(messageStart(120));
    QCOMPARE(d.usage.value(u"input_tokens"_s).toInteger(), 120);
    QCOMPARE(d.usage.value(u"output_tokens"_s).toInteger(), 1);
    QVERIFY(gate.take(ping()).usage.isEmpty());
    QVERIFY(gate.take(blockStart()).usage.isEmpty());
    QVERIFY(gate.take(delta(u"x"_s)).usage.isEmpty());
    d = gate.take(messageDelta(42));
    QCOMPARE(d.action, Action::Write);
    QCOMPARE(d.usage, (QJsonObject {{u"output_tokens"_s, 42}}));
}

void TestStreamGate::errorBeforeContentFailsOver_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<int>("status");
    QTest::newRow("overloaded") << u"overloaded_error"_s << 529;
    QTest::newRow("rate limit") << u"rate_limit_error"_s << 429;
    QTest::newRow("api") << u"api_error"_s << 500;
    QTest::newRow("invalid request") << u"invalid_request_error"_s << 400;
    QTest::newRow("permission") << u"permission_error"_s << 403;
    QTest::newRow("unknown type") << u"something_new"_s << 500;
}

void TestStreamGate::errorBeforeContentFailsOver()
{
    QFETCH(QString, type);
    QFETCH(int, status);
    for (const QList<SseEvent> &head :
         {QList<SseEvent> {}, QList<SseEvent> {messageStart()}, {messageStart(), ping()}}) {
        StreamGate gate;
        for (const SseEvent &e : head)
            QCOMPARE(gate.take(e).action, Action::Hold);
        const SseEvent error = errorEvent(type);
        const StreamGate::Decision d = gate.take(error);
        QCOMPARE(d.action, Action::FailOver);
        QCOMPARE(d.errorType, type);
        // Judged like an HTTP answer with the status the type stands for and the event's body.
        QCOMPARE(d.outcome.transport, UpstreamOutcome::Transport::Ok);
        QCOMPARE(d.outcome.status, status);
        QCOMPARE(d.outcome.body, error.data);
        QVERIFY(!gate.isCommitted());
    }
}

void TestStreamGate::errorAfterContentEndsTheStream()
{
    StreamGate gate;
    QCOMPARE(actionsOf(gate, {messageStart(), ping(), blockStart(), delta(u"Hel"_s)}),
             (QList<Action> {Action::Hold, Action::Hold, Action::Commit, Action::Write}));
    const SseEvent error = errorEvent(u"overloaded_error"_s);
    const StreamGate::Decision d = gate.take(error);
    QCOMPARE(d.action, Action::End);
    QCOMPARE(d.errorType, u"overloaded_error"_s);
    QCOMPARE(d.outcome.status, 529);
    QCOMPARE(d.outcome.body, error.data);
    QVERIFY(!gate.sawStop());
}

void TestStreamGate::holdingTooMuchFailsOver()
{
    StreamGate gate;
    QCOMPARE(gate.take(messageStart()).action, Action::Hold);
    const SseEvent bigPing {"ping"_ba, QByteArray(AnswerPolicy::maxHeldBytes / 4, ' ')};
    for (int i = 0; i < 3; ++i)
        QCOMPARE(gate.take(bigPing).action, Action::Hold);
    const StreamGate::Decision d = gate.take(bigPing);
    QCOMPARE(d.action, Action::FailOver);
    QCOMPARE(d.outcome.transport, UpstreamOutcome::Transport::Unusable);
    QVERIFY(!d.outcome.networkError.isEmpty());
    QVERIFY(!gate.isCommitted());
}

void TestStreamGate::messageStopIsSeen()
{
    StreamGate gate;
    for (const SseEvent &e : {messageStart(), blockStart(), delta(u"x"_s),
                              sseEvent("content_block_stop"), messageDelta(1)}) {
        (void)gate.take(e);
        QVERIFY(!gate.sawStop());
    }
    QCOMPARE(gate.take(sseEvent("message_stop")).action, Action::Write);
    QVERIFY(gate.sawStop());
}

void TestStreamGate::translatedStream()
{
    StreamGate gate;
    QList<SseEvent> events;
    const QList<StreamGate::Decision> decisions = translated(
        gate, {chatChunk(u"Hel"_s), chatChunk(u"lo"_s), chatChunk({}, u"stop"_s), "[DONE]"_ba},
        &events);
    QCOMPARE(events.first().event, "message_start"_ba);
    QCOMPARE(decisions.first().action, Action::Hold);
    QCOMPARE(decisions.at(1).action, Action::Commit); // content_block_start
    QCOMPARE(events.at(1).event, "content_block_start"_ba);
    for (qsizetype i = 2; i < decisions.size(); ++i)
        QCOMPARE(decisions.at(i).action, Action::Write);
    QCOMPARE(decisions.size(), events.size());
    QCOMPARE(events.last().event, "message_stop"_ba);
    QVERIFY(gate.sawStop());
}

void TestStreamGate::translatedErrorBeforeContentFailsOver()
{
    StreamGate gate;
    const QList<StreamGate::Decision> decisions
        = translated(gate, {chatError(u"rate_limit_exceeded"_s)});
    QCOMPARE(actionsOf(decisions), (QList<Action> {Action::Hold, Action::FailOver}));
    QCOMPARE(decisions.last().errorType, u"rate_limit_error"_s);
    QCOMPARE(decisions.last().outcome.status, 429);
}

void TestStreamGate::translatedErrorAfterContentEndsTheStream()
{
    StreamGate gate;
    QList<SseEvent> events;
    const QList<StreamGate::Decision> decisions
        = translated(gate, {chatChunk(u"Hel"_s), chatError(u"server_error"_s)}, &events);
    QCOMPARE(
        actionsOf(decisions),
        (QList<Action> {Action::Hold, Action::Commit, Action::Write, Action::Write, Action::End}));
    QCOMPARE(decisions.last().errorType, u"api_error"_s);
    QCOMPARE(decisions.last().outcome.status, 500);
    // What follows the error in the batch closes the message; the relay writes it as is.
    const QByteArrayList rest {events.at(decisions.size()).event,
                               events.at(decisions.size() + 1).event};
    QCOMPARE(rest, (QByteArrayList {"message_delta", "message_stop"}));
}

void TestStreamGate::translatedStreamCutOffEndsTheStream()
{
    // The provider's connection closed before a finish reason: finish() reports the cut.
    StreamGate gate;
    const QList<StreamGate::Decision> decisions = translated(gate, {chatChunk(u"Hel"_s)});
    QCOMPARE(decisions.last().action, Action::End);
    QCOMPARE(decisions.last().errorType, u"api_error"_s);
    QVERIFY(!gate.sawStop());

    // Before any content the same cut is a failover.
    StreamGate early;
    const QList<StreamGate::Decision> none = translated(early, {});
    QCOMPARE(actionsOf(none), (QList<Action> {Action::Hold, Action::FailOver}));
    QCOMPARE(none.last().outcome.status, 500);
}

QTEST_GUILESS_MAIN(TestStreamGate)
#include "tst_streamgate.moc"
