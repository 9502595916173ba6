// SPDX-License-Identifier: GPL-3.0-or-later
// OpenAI-compatible accounts end to end over real sockets: the gateway converts Messages to
// Chat Completions for a scripted upstream as strict as the real API (unknown fields, broken
// tool-call sequences and nulls are refused), and converts answers, streams and errors back.
#include "gatewayharness.h"
#include "support/openaiupstream.h"
#include "support/testprinters.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(ScriptedReply)

namespace {

QJsonObject weatherTool()
{
    return {{u"name"_s, u"get_weather"_s},
            {u"description"_s, u"The weather in a city"_s},
            {u"input_schema"_s,
             QJsonObject {{u"$schema"_s, u"http://json-schema.org/draft-07/schema#"_s},
                          {u"type"_s, u"object"_s},
                          {u"properties"_s,
                           QJsonObject {{u"city"_s, QJsonObject {{u"type"_s, u"string"_s}}}}},
                          {u"required"_s, QJsonArray {u"city"_s}},
                          {u"additionalProperties"_s, false}}}};
}

QJsonObject toolRequest(bool stream)
{
    QJsonObject body
        = GatewayHarness::messageBody(stream, GatewayHarness::model, u"Weather in Oslo?"_s);
    body.insert(u"tools"_s, QJsonArray {weatherTool()});
    body.insert(
        u"system"_s,
        QJsonArray {QJsonObject {{u"type"_s, u"text"_s},
                                 {u"text"_s, u"Be brief."_s},
                                 {u"cache_control"_s, QJsonObject {{u"type"_s, u"ephemeral"_s}}}}});
    body.insert(u"metadata"_s, QJsonObject {{u"user_id"_s, u"user-1"_s}});
    body.insert(u"top_k"_s, 5);
    return body;
}

/// The tool_use block of an Anthropic message, or an empty object.
QJsonObject toolUseOf(const QJsonObject &message)
{
    for (const QJsonValue &block : message.value(u"content"_s).toArray()) {
        if (block[u"type"_s] == u"tool_use"_s)
            return block.toObject();
    }
    return {};
}

/// The second turn: the assistant's tool call and the user's result.
QJsonObject continuation(const QJsonObject &first, const QJsonObject &toolUse, bool isError)
{
    QJsonObject body = first;
    QJsonArray messages = body.value(u"messages"_s).toArray();
    messages.append(
        QJsonObject {{u"role"_s, u"assistant"_s}, {u"content"_s, QJsonArray {toolUse}}});
    messages.append(QJsonObject {
        {u"role"_s, u"user"_s},
        {u"content"_s,
         QJsonArray {QJsonObject {{u"type"_s, u"tool_result"_s},
                                  {u"tool_use_id"_s, toolUse.value(u"id"_s)},
                                  {u"content"_s, isError ? u"no such city"_s : u"12°C, rain"_s},
                                  {u"is_error"_s, isError}},
                     QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, u"Thanks"_s}}}}});
    body.insert(u"messages"_s, messages);
    return body;
}

/// The Chat Completions requests the upstream saw.
QList<QJsonObject> chatRequests(GatewayHarness &h)
{
    QList<QJsonObject> out;
    for (const RecordedRequest &r : h.upstream().requests()) {
        if (r.path.endsWith(u"/chat/completions"_s))
            out << r.json();
    }
    return out;
}

/// Accumulates an Anthropic stream into its message, checking the event order on the way.
QJsonObject accumulate(const QList<ClientEvent> &events, QString *problem)
{
    QJsonObject message;
    QJsonArray content;
    QString partialJson;
    int open = -1;
    bool stopped = false;
    for (const ClientEvent &e : events) {
        if (stopped) {
            *problem = u"event after message_stop: %1"_s.arg(QString::fromLatin1(e.name));
            return {};
        }
        if (e.name == "message_start") {
            message = e.data.value(u"message"_s).toObject();
        } else if (e.name == "content_block_start") {
            if (open != -1 || e.data[u"index"_s].toInt() != content.size()) {
                *problem = u"block %1 started out of order"_s.arg(e.data[u"index"_s].toInt());
                return {};
            }
            open = e.data[u"index"_s].toInt();
            content.append(e.data.value(u"content_block"_s));
            partialJson.clear();
        } else if (e.name == "content_block_delta") {
            if (e.data[u"index"_s].toInt() != open) {
                *problem = u"delta for a block that is not open"_s;
                return {};
            }
            const QJsonObject delta = e.data.value(u"delta"_s).toObject();
            QJsonObject block = content[open].toObject();
            if (delta[u"type"_s] == u"text_delta"_s)
                block.insert(u"text"_s,
                             QString(block[u"text"_s].toString() + delta[u"text"_s].toString()));
            else if (delta[u"type"_s] == u"input_json_delta"_s)
                partialJson += delta[u"partial_json"_s].toString();
            else if (delta[u"type"_s] == u"thinking_delta"_s)
                block.insert(
                    u"thinking"_s,
                    QString(block[u"thinking"_s].toString() + delta[u"thinking"_s].toString()));
            content[open] = block;
        } else if (e.name == "content_block_stop") {
            QJsonObject block = content[open].toObject();
            if (block[u"type"_s] == u"tool_use"_s && !partialJson.isEmpty())
                block.insert(u"input"_s, QJsonDocument::fromJson(partialJson.toUtf8()).object());
            content[open] = block;
            open = -1;
        } else if (e.name == "message_delta") {
            message.insert(u"stop_reason"_s, e.data[u"delta"_s][u"stop_reason"_s]);
            message.insert(u"usage"_s, e.data.value(u"usage"_s));
        } else if (e.name == "message_stop") {
            stopped = true;
        }
    }
    if (!stopped)
        *problem = u"no message_stop"_s;
    message.insert(u"content"_s, content);
    return message;
}

} // namespace

class TestGatewayOpenAI : public QObject
{
    Q_OBJECT

private slots:
    void textMessage();
    void textStream();
    void toolRoundTrip_data();
    void toolRoundTrip();
    void reasoningBecomesThinking();
    void upstreamErrorsMapAndFailOver_data();
    void upstreamErrorsMapAndFailOver();
    void badRequestIsRelayedInAnthropicFormat();
    void errorChunkBeforeContentFailsOver();
    void streamCutMidToolCallEndsCleanly();
    void conversationMovesBetweenFormats();
    void countTokensAndModelsWithoutAnthropic();
    void countTokensPrefersAnAnthropicAccount();
    void validationUsesTheModelList();
    void passthroughKeyNeverReachesAProvider();
};

void TestGatewayOpenAI::textMessage()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"oai"_s);
    QVERIFY(h.start());
    QJsonObject body = GatewayHarness::messageBody(false);
    body.insert(u"stop_sequences"_s, QJsonArray {u"END"_s});
    body.insert(u"temperature"_s, 0.2);
    const HttpAnswer answer = h.send(body);
    QCOMPARE(answer.status, 200);
    const QJsonObject message = answer.json();
    QCOMPARE(message[u"type"_s].toString(), u"message"_s);
    QCOMPARE(message[u"model"_s].toString(), GatewayHarness::model);
    QCOMPARE(message[u"content"_s][0][u"text"_s].toString(), u"Hello from upstream"_s);
    QCOMPARE(message[u"stop_reason"_s].toString(), u"end_turn"_s);
    QCOMPARE(message[u"usage"_s][u"input_tokens"_s].toInt(), 25);
    QCOMPARE(message[u"usage"_s][u"output_tokens"_s].toInt(), 12);

    const RecordedRequest upstream = h.upstream().lastRequest();
    QCOMPARE(upstream.path, u"/v1/chat/completions"_s);
    QCOMPARE(upstream.header("authorization"), "Bearer sk-ant-oai"_ba);
    QVERIFY(upstream.header("x-api-key").isEmpty());
    QVERIFY(upstream.header("anthropic-version").isEmpty());
    QCOMPARE(upstream.json()[u"model"_s].toString(), GatewayHarness::openAIModel);
    QCOMPARE(upstream.json()[u"stop"_s].toArray(), QJsonArray {u"END"_s});
    QVERIFY(OpenAIStrict::problem(upstream).isEmpty());

    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished[0].upstreamModel, GatewayHarness::openAIModel);
    QCOMPARE(h.finished[0].tokens.input, 25);
}

void TestGatewayOpenAI::textStream()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"oai"_s);
    QVERIFY(h.start());
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(true));
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.header("content-type").startsWith("text/event-stream"));
    QString problem;
    const QJsonObject message = accumulate(answer.events(), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(message[u"content"_s][0][u"text"_s].toString(), u"Hello from upstream"_s);
    QCOMPARE(message[u"stop_reason"_s].toString(), u"end_turn"_s);
    QCOMPARE(message[u"usage"_s][u"output_tokens"_s].toInt(), 3); // a token per piece
    const QJsonObject upstream = h.upstream().lastRequest().json();
    QCOMPARE(upstream[u"stream"_s].toBool(), true);
    QCOMPARE(upstream[u"stream_options"_s][u"include_usage"_s].toBool(), true);
    QVERIFY(h.waitForFinished(1));
    QVERIFY(h.finished[0].firstTokenMs >= 0);
    QCOMPARE(h.finished[0].tokens.output, 3);
}

void TestGatewayOpenAI::toolRoundTrip_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<bool>("toolFails");
    QTest::addColumn<QString>("callId");
    QTest::newRow("json") << false << false << u"call_abc123"_s;
    QTest::newRow("stream") << true << false << u"call_abc123"_s;
    QTest::newRow("stream, tool error") << true << true << u"call_abc123"_s;
    // Kimi's ids are not valid Anthropic ids: encoded for the client, decoded going back.
    QTest::newRow("json, foreign id") << false << false << u"functions.get_weather:0"_s;
    QTest::newRow("stream, foreign id") << true << false << u"functions.get_weather:0"_s;
}

void TestGatewayOpenAI::toolRoundTrip()
{
    QFETCH(bool, stream);
    QFETCH(bool, toolFails);
    QFETCH(QString, callId);
    GatewayHarness h;
    h.addOpenAIAccount(u"oai"_s);
    QVERIFY(h.start());
    const OpenAIReplies::ToolCall call {
        callId, u"get_weather"_s, {{u"city"_s, u"Oslo"_s}, {u"days"_s, 2}}};
    h.script(u"oai"_s,
             stream ? OpenAIReplies::toolCallStream({call}, {u"Let me check."_s}, 4)
                    : OpenAIReplies::toolCalls({call}, u"Let me check."_s));
    const QJsonObject first = toolRequest(stream);
    const HttpAnswer answer = h.send(first);
    QCOMPARE(answer.status, 200);
    QString problem;
    const QJsonObject message = stream ? accumulate(answer.events(), &problem) : answer.json();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(message[u"stop_reason"_s].toString(), u"tool_use"_s);
    const QJsonObject toolUse = toolUseOf(message);
    const QString anthropicId = toolUse[u"id"_s].toString();
    QVERIFY2(QRegularExpression(u"^[a-zA-Z0-9_-]+$"_s).match(anthropicId).hasMatch(),
             qPrintable(anthropicId));
    QCOMPARE(anthropicId == call.id, !call.id.contains(u'.'));
    QCOMPARE(toolUse[u"name"_s].toString(), call.name);
    QCOMPARE(toolUse[u"input"_s].toObject(), call.arguments);

    // The converted request: tools as functions, cleaned schema, no Anthropic-only fields.
    const QJsonObject sent = chatRequests(h).last();
    const QJsonObject function = sent[u"tools"_s][0][u"function"_s].toObject();
    QCOMPARE(function[u"name"_s].toString(), u"get_weather"_s);
    QVERIFY(!function[u"parameters"_s].toObject().contains(u"$schema"_s));
    QVERIFY(!sent.contains(u"metadata"_s));
    QVERIFY(!sent.contains(u"top_k"_s));
    QCOMPARE(sent[u"messages"_s][0][u"role"_s].toString(), u"system"_s);

    // Second turn: the tool result goes back under the same id, in a tool message.
    h.script(u"oai"_s, std::nullopt);
    const HttpAnswer second = h.send(continuation(first, toolUse, toolFails));
    QCOMPARE(second.status, 200);
    const QJsonArray messages = chatRequests(h).last()[u"messages"_s].toArray();
    const QJsonObject assistant = messages[messages.size() - 3].toObject();
    const QJsonObject tool = messages[messages.size() - 2].toObject();
    QCOMPARE(assistant[u"tool_calls"_s][0][u"id"_s].toString(), call.id);
    QCOMPARE(QJsonDocument::fromJson(
                 assistant[u"tool_calls"_s][0][u"function"_s][u"arguments"_s].toString().toUtf8())
                 .object(),
             call.arguments);
    QCOMPARE(tool[u"role"_s].toString(), u"tool"_s);
    QCOMPARE(tool[u"tool_call_id"_s].toString(), call.id);
    QVERIFY(tool[u"content"_s].toString().contains(toolFails ? u"no such city"_s : u"12°C"_s));
    QCOMPARE(messages.last()[u"role"_s].toString(), u"user"_s);
    for (const RecordedRequest &r : h.upstream().requests())
        QVERIFY2(OpenAIStrict::problem(r).isEmpty() || !r.path.endsWith(u"/chat/completions"_s),
                 qPrintable(OpenAIStrict::problem(r)));
}

void TestGatewayOpenAI::reasoningBecomesThinking()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"oai"_s);
    QVERIFY(h.start());
    h.script(u"oai"_s, OpenAIReplies::reasoningStream({u"Think"_s, u"ing…"_s}, {u"Done"_s}));
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(true));
    QString problem;
    const QJsonObject message = accumulate(answer.events(), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(message[u"content"_s][0][u"type"_s].toString(), u"thinking"_s);
    QCOMPARE(message[u"content"_s][0][u"thinking"_s].toString(), u"Thinking…"_s);
    QCOMPARE(message[u"content"_s][1][u"text"_s].toString(), u"Done"_s);
}

void TestGatewayOpenAI::upstreamErrorsMapAndFailOver_data()
{
    QTest::addColumn<ScriptedReply>("failure");
    QTest::addColumn<QString>("health");
    QTest::newRow("401 invalid key") << OpenAIReplies::unauthorized() << u"invalid"_s;
    QTest::newRow("429 rate limit") << OpenAIReplies::rateLimited(30) << u"cooldown"_s;
    QTest::newRow("429 insufficient_quota") << OpenAIReplies::insufficientQuota() << u"parked"_s;
    QTest::newRow("500") << OpenAIReplies::serverError() << u"error"_s;
    QTest::newRow("503") << OpenAIReplies::unavailable() << u"cooldown"_s;
}

void TestGatewayOpenAI::upstreamErrorsMapAndFailOver()
{
    QFETCH(ScriptedReply, failure);
    QFETCH(QString, health);
    GatewayHarness h;
    h.addOpenAIAccount(u"first"_s, 10);
    h.addOpenAIAccount(u"second"_s, 0);
    QVERIFY(h.start());
    h.script(u"first"_s, failure);
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("x-switchboard-account"), "second"_ba);
    QCOMPARE(h.upstreamAccounts(), (QStringList {u"first"_s, u"second"_s}));
    const Account first = h.live(u"first"_s);
    if (health == u"invalid")
        QCOMPARE(first.health.state, HealthState::Invalid);
    else if (health == u"parked")
        QCOMPARE(first.health.state, HealthState::Disabled);
    else if (health == u"cooldown")
        QVERIFY(first.health.cooldownUntil > h.clock.now());
    else
        QCOMPARE(first.health.errorCount, 1);
    if (health == u"cooldown" && failure.status == 429)
        QCOMPARE(h.clock.now().secsTo(first.health.cooldownUntil), 30);
}

void TestGatewayOpenAI::badRequestIsRelayedInAnthropicFormat()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"first"_s, 10);
    h.addOpenAIAccount(u"second"_s, 0);
    QVERIFY(h.start());
    h.script(u"first"_s,
             OpenAIReplies::error(400, u"invalid_request_error"_s,
                                  u"This model's maximum context length is 8192 tokens."_s,
                                  u"context_length_exceeded"_s));
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(answer.status, 400);
    QVERIFY(answer.isAnthropicError());
    QCOMPARE(answer.errorType(), u"invalid_request_error"_s);
    QVERIFY2(answer.errorMessage().contains(u"prompt is too long"_s),
             qPrintable(answer.errorMessage()));
    QCOMPARE(h.upstreamAccounts(), QStringList {u"first"_s}); // not the account's fault
}

void TestGatewayOpenAI::errorChunkBeforeContentFailsOver()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"first"_s, 10);
    h.addOpenAIAccount(u"second"_s, 0);
    QVERIFY(h.start());
    h.script(u"first"_s, OpenAIReplies::errorChunkMidStream(0, u"provider overloaded"_s));
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(true));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("x-switchboard-account"), "second"_ba);
    QCOMPARE(deltaText(answer.events()), u"Hello from upstream"_s);
    const QByteArrayList names = eventNames(answer.events());
    QCOMPARE(names.count("message_start"), 1);
    QVERIFY(!names.contains("error"));
}

void TestGatewayOpenAI::streamCutMidToolCallEndsCleanly()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"oai"_s);
    QVERIFY(h.start());
    const OpenAIReplies::ToolCall call {u"call_1"_s, u"get_weather"_s, {{u"city"_s, u"Oslo"_s}}};
    // The text piece reaches the client; the connection drops inside the arguments.
    h.script(u"oai"_s,
             OpenAIReplies::toolCallStream({call}, {u"Checking"_s}, 4).withResetAfterEvents(5));
    const HttpAnswer answer = h.send(toolRequest(true));
    QCOMPARE(answer.status, 200);
    const QList<ClientEvent> events = answer.events();
    const QByteArrayList names = eventNames(events);
    QVERIFY2(names.contains("error"), names.join(' ').constData());
    QCOMPARE(names.count("message_start"), 1);
    QCOMPARE(names.count("content_block_start"), names.count("content_block_stop"));
    QVERIFY(names.indexOf("error") < names.indexOf("message_stop"));
    QCOMPARE(names.last(), "message_stop"_ba);
    QCOMPARE(names.count("message_delta"), 1);
}

void TestGatewayOpenAI::conversationMovesBetweenFormats()
{
    // A tool call made by an Anthropic account continues on an OpenAI-compatible one: the
    // toolu_ id is the tool_call_id there, and the strict upstream accepts the history.
    GatewayHarness h;
    h.addAccount(u"anthropic"_s, 10);
    h.addOpenAIAccount(u"oai"_s, 0);
    QVERIFY(h.start());
    h.script(u"anthropic"_s, ScriptedReply::toolUse(u"get_weather"_s, {{u"city"_s, u"Oslo"_s}}));
    const QJsonObject first = toolRequest(false);
    const HttpAnswer answer = h.send(first);
    QCOMPARE(answer.header("x-switchboard-account"), "anthropic"_ba);
    const QJsonObject toolUse = toolUseOf(answer.json());
    QVERIFY(toolUse[u"id"_s].toString().startsWith(u"toolu_"_s));

    h.script(u"anthropic"_s, ScriptedReply::overloaded());
    const HttpAnswer second = h.send(continuation(first, toolUse, false));
    QCOMPARE(second.status, 200);
    QCOMPARE(second.header("x-switchboard-account"), "oai"_ba);
    const QJsonArray messages = chatRequests(h).last()[u"messages"_s].toArray();
    bool found = false;
    for (const QJsonValue &m : messages)
        found = found || m[u"tool_call_id"_s].toString() == toolUse[u"id"_s].toString();
    QVERIFY(found);
    QVERIFY(OpenAIStrict::problem(h.upstream().lastRequest()).isEmpty());
}

void TestGatewayOpenAI::countTokensAndModelsWithoutAnthropic()
{
    GatewayHarness h;
    Account &a = h.addOpenAIAccount(u"oai"_s);
    a.modelMapping = ModelMapping({{u"claude-haiku-*"_s, u"small"_s}, {u"my-alias"_s, u"big"_s}});
    QVERIFY(h.start());
    h.upstream().clearRequests();
    const HttpAnswer count
        = h.sendRaw("POST", u"/v1/messages/count_tokens"_s,
                    QJsonDocument(GatewayHarness::messageBody(false, GatewayHarness::model,
                                                              u"Count these words, please."_s))
                        .toJson(),
                    {{"content-type"_ba, "application/json"_ba}}, true);
    QCOMPARE(count.status, 200);
    QVERIFY(count.json()[u"input_tokens"_s].toInt() > 0);
    QCOMPARE(count.header("x-switchboard-estimate"), "true"_ba);

    const HttpAnswer models = h.sendRaw("GET", u"/v1/models"_s, {}, {}, true);
    QCOMPARE(models.status, 200);
    QStringList ids;
    for (const QJsonValue &m : models.json()[u"data"_s].toArray())
        ids << m[u"id"_s].toString();
    QVERIFY2(ids.contains(u"claude-haiku-4-5-20251001"_s), qPrintable(ids.join(u',')));
    QVERIFY(ids.contains(u"my-alias"_s));
    QVERIFY(!ids.contains(u"claude-opus-4-1-20250805"_s));
    QCOMPARE(h.upstream().requestCount(), 0); // both answered locally
}

void TestGatewayOpenAI::countTokensPrefersAnAnthropicAccount()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"oai"_s, 10);
    h.addAccount(u"anthropic"_s, 0);
    QVERIFY(h.start());
    const HttpAnswer count = h.sendRaw("POST", u"/v1/messages/count_tokens"_s,
                                       QJsonDocument(GatewayHarness::messageBody(false)).toJson(),
                                       {{"content-type"_ba, "application/json"_ba}}, true);
    QCOMPARE(count.status, 200);
    QCOMPARE(count.json()[u"input_tokens"_s].toInt(), 25); // the upstream's exact count
    QCOMPARE(count.header("x-switchboard-account"), "anthropic"_ba);
}

void TestGatewayOpenAI::validationUsesTheModelList()
{
    GatewayHarness h;
    h.addOpenAIAccount(u"good"_s);
    h.addOpenAIAccount(u"bad"_s);
    QVERIFY(h.start());
    h.script(u"bad"_s, OpenAIReplies::unauthorized());
    h.upstream().clearRequests();
    h.server().validateAll();
    QTRY_COMPARE_WITH_TIMEOUT(h.live(u"bad"_s).health.state, HealthState::Invalid, testTimeout());
    QTRY_COMPARE_WITH_TIMEOUT(h.live(u"good"_s).health.state, HealthState::Valid, testTimeout());
    for (const RecordedRequest &r : h.upstream().requests()) {
        QCOMPARE(r.method, "GET"_ba);
        QCOMPARE(r.path, u"/v1/models"_s);
        QVERIFY(r.header("authorization").startsWith("Bearer sk-ant-"));
    }
}

void TestGatewayOpenAI::passthroughKeyNeverReachesAProvider()
{
    // With pass-through on, a client's own Anthropic key goes to Anthropic-format accounts
    // only; an OpenAI-compatible account still gets its own key.
    GatewayHarness h;
    (void)h.settings.set(SettingKeys::passthrough, true);
    h.addOpenAIAccount(u"oai"_s);
    QVERIFY(h.start());
    const HttpAnswer answer = h.sendRaw("POST", u"/v1/messages"_s,
                                        QJsonDocument(GatewayHarness::messageBody(false)).toJson(),
                                        {{"content-type"_ba, "application/json"_ba},
                                         {"x-api-key"_ba, "sk-ant-the-clients-own-key"_ba}},
                                        false);
    QCOMPARE(answer.status, 200);
    for (const RecordedRequest &r : h.upstream().requests()) {
        for (auto it = r.headers.cbegin(); it != r.headers.cend(); ++it)
            QVERIFY2(!it.value().contains("the-clients-own-key"), it.key().constData());
    }
    QCOMPARE(h.upstream().lastRequest().header("authorization"), "Bearer sk-ant-oai"_ba);
}

QTEST_MAIN(TestGatewayOpenAI)
#include "tst_gatewayopenai.moc"
