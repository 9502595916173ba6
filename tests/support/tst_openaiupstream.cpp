// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/openaiupstream.h"
#include "support/scriptedupstream.h"
#include "support/testtimeout.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using ToolCall = OpenAIReplies::ToolCall;

Q_DECLARE_METATYPE(ScriptedReply)

namespace {

constexpr auto chatPath = "/v1/chat/completions";

struct Response
{
    bool finished = false;
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value(u"error"_s).toObject(); }
};

Response collect(QNetworkReply *reply)
{
    Response r;
    r.finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, testTimeout());
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        r.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return r;
}

/// One SSE body as a strict Chat Completions client reads it.
struct SseStream
{
    QList<QJsonObject> chunks;
    bool done = false;
    /// Why the body is not `data: JSON` events (then [DONE]); empty if it is.
    QString malformed;

    QString text(const QString &field = u"content"_s) const
    {
        QString joined;
        for (const QJsonObject &c : chunks) {
            const QJsonObject delta
                = c.value(u"choices"_s).toArray().first().toObject().value(u"delta"_s).toObject();
            joined += delta.value(field).toString();
        }
        return joined;
    }
};

SseStream parseSse(const QByteArray &body)
{
    SseStream s;
    qsizetype pos = 0;
    for (qsizetype end; (end = body.indexOf("\n\n", pos)) >= 0; pos = end + 2) {
        const QByteArray event = body.mid(pos, end - pos);
        if (!event.startsWith("data: ") || event.contains('\n')) {
            s.malformed = u"not a single data line: "_s + QString::fromUtf8(event);
            return s;
        }
        if (s.done) {
            s.malformed = u"data after [DONE]"_s;
            return s;
        }
        const QByteArray data = event.mid(6);
        if (data == "[DONE]") {
            s.done = true;
            continue;
        }
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(data, &error);
        if (!document.isObject()) {
            s.malformed = u"not a JSON object: "_s + QString::fromUtf8(data);
            return s;
        }
        s.chunks.append(document.object());
    }
    if (pos != body.size())
        s.malformed = u"trailing bytes: "_s + QString::fromUtf8(body.mid(pos));
    return s;
}

QJsonObject choiceOf(const QJsonObject &chunkOrCompletion)
{
    return chunkOrCompletion.value(u"choices"_s).toArray().first().toObject();
}

QJsonObject message(const QString &role, const QJsonValue &content)
{
    return {{u"role"_s, role}, {u"content"_s, content}};
}

QJsonObject call(const QString &id, const QString &name, const QJsonValue &arguments)
{
    return {{u"id"_s, id},
            {u"type"_s, u"function"_s},
            {u"function"_s, QJsonObject {{u"name"_s, name}, {u"arguments"_s, arguments}}}};
}

QJsonObject assistantCalling(const QJsonArray &calls)
{
    return {
        {u"role"_s, u"assistant"_s}, {u"content"_s, QJsonValue::Null}, {u"tool_calls"_s, calls}};
}

QJsonObject toolAnswer(const QString &id, const QJsonValue &content = u"ok"_s)
{
    return {{u"role"_s, u"tool"_s}, {u"tool_call_id"_s, id}, {u"content"_s, content}};
}

QJsonObject tool(const QString &name)
{
    const QJsonObject parameters {
        {u"type"_s, u"object"_s},
        {u"properties"_s, QJsonObject {{u"city"_s, QJsonObject {{u"type"_s, u"string"_s}}}}},
        {u"required"_s, QJsonArray {u"city"_s}}};
    return {{u"type"_s, u"function"_s},
            {u"function"_s,
             QJsonObject {{u"name"_s, name},
                          {u"description"_s, u"Looks something up"_s},
                          {u"parameters"_s, parameters}}}};
}

QJsonObject body(const QJsonArray &messages = {message(u"user"_s, u"Hi"_s)})
{
    return {{u"model"_s, u"gpt-4o-mini"_s}, {u"max_tokens"_s, 64}, {u"messages"_s, messages}};
}

QJsonObject with(QJsonObject object, const QString &key, const QJsonValue &value)
{
    object.insert(key, value);
    return object;
}

QJsonObject without(QJsonObject object, const QString &key)
{
    object.remove(key);
    return object;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray pngDataUrl()
{
    return "data:image/png;base64,"_ba + QByteArray("\x89PNG\r\n\x1a\n-tiny-").toBase64();
}

/// The Weather-in-two-cities exchange: two parallel calls, both answered, then more talk.
QJsonObject toolRoundTrip()
{
    const QJsonArray messages {
        message(u"system"_s, u"Be brief."_s),
        message(u"user"_s, u"Weather in Oslo and Bergen?"_s),
        assistantCalling({call(u"call_1"_s, u"get_weather"_s, uR"({"city":"Oslo"})"_s),
                          call(u"call_2"_s, u"get_weather"_s, uR"({"city":"Bergen"})"_s)}),
        toolAnswer(u"call_1"_s, u"Sunny"_s),
        toolAnswer(u"call_2"_s,
                   QJsonArray {QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, u"Rain"_s}}}),
        message(u"assistant"_s, u"Oslo is sunny, Bergen rainy."_s),
        message(u"user"_s, u"Thanks"_s),
    };
    QJsonObject b = body(messages);
    b.insert(u"tools"_s, QJsonArray {tool(u"get_weather"_s)});
    b.insert(u"tool_choice"_s, u"auto"_s);
    b.insert(u"parallel_tool_calls"_s, true);
    return b;
}

} // namespace

class TestOpenAIUpstream : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void acceptsText();
    void acceptsImageParts();
    void acceptsToolRoundTrip();
    void acceptsEveryKnownField();
    void refusesWhatTheRealApiRefuses_data();
    void refusesWhatTheRealApiRefuses();
    void problemNamesThePath();
    void queueAnswersValidRequestsInOrder();
    void fallbackAnswersOnceQueueIsEmpty();
    void upstreamQueueBypassesTheCheck();
    void handlerPassesValidRequestsOn();
    void modelListIsAnsweredWithoutTheQueue();
    void completionCarriesUsage();
    void toolCallsReply();
    void defaultStreamHasRoleTextFinishAndUsageChunks();
    void streamWithoutUsageOrDone();
    void toolCallStream();
    void toolCallStreamWithoutText();
    void reasoningStream();
    void customChunksAreSentAsGiven();
    void errorChunkMidStream();
    void errorRepliesHaveTheOpenAIShape_data();
    void errorRepliesHaveTheOpenAIShape();

private:
    Response post(const QByteArray &payload, const QByteArray &path = chatPath,
                  const QByteArray &authorization = "Bearer sk-test-1234"_ba);
    Response post(const QJsonObject &payload) { return post(compact(payload)); }
    Response get(const QByteArray &path,
                 const QByteArray &authorization = "Bearer sk-test-1234"_ba);

    std::unique_ptr<ScriptedUpstream> m_upstream;
    std::unique_ptr<OpenAIStrict::Script> m_script;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

Response TestOpenAIUpstream::post(const QByteArray &payload, const QByteArray &path,
                                  const QByteArray &authorization)
{
    QNetworkRequest request(m_upstream->baseUrl().resolved(QUrl(QString::fromLatin1(path))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization"_ba, authorization);
    return collect(m_nam->post(request, payload));
}

Response TestOpenAIUpstream::get(const QByteArray &path, const QByteArray &authorization)
{
    QNetworkRequest request(m_upstream->baseUrl().resolved(QUrl(QString::fromLatin1(path))));
    if (!authorization.isEmpty())
        request.setRawHeader("Authorization"_ba, authorization);
    return collect(m_nam->get(request));
}

void TestOpenAIUpstream::initTestCase()
{
    // Refusals are what most of these tests ask for: keep their warnings out of the log.
    QLoggingCategory::setFilterRules(u"switchboard.test.openai.warning=false"_s);
}

void TestOpenAIUpstream::init()
{
    m_upstream = std::make_unique<ScriptedUpstream>();
    QVERIFY(m_upstream->listen());
    m_script = std::make_unique<OpenAIStrict::Script>();
    m_script->attach(*m_upstream);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void TestOpenAIUpstream::cleanup()
{
    m_nam.reset();
    m_upstream.reset();
    m_script.reset();
}

void TestOpenAIUpstream::acceptsText()
{
    const Response r = post(
        body({message(u"developer"_s, u"Answer in English."_s), message(u"user"_s, u"Hi"_s)}));
    QVERIFY(r.finished);
    QVERIFY2(m_script->problems().isEmpty(), qPrintable(m_script->problems().join(u'\n')));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"_ba), "application/json"_ba);
    const QJsonObject completion = r.json();
    QVERIFY(completion.value(u"id"_s).toString().startsWith(u"chatcmpl-"_s));
    QCOMPARE(completion.value(u"object"_s).toString(), u"chat.completion"_s);
    QCOMPARE(completion.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
    QVERIFY(completion.value(u"created"_s).toInteger() > 1'600'000'000);
    const QJsonObject choice = choiceOf(completion);
    QCOMPARE(choice.value(u"finish_reason"_s).toString(), u"stop"_s);
    QCOMPARE(choice.value(u"message"_s).toObject().value(u"role"_s).toString(), u"assistant"_s);
    QCOMPARE(choice.value(u"message"_s).toObject().value(u"content"_s).toString(),
             u"Hello from upstream"_s);
    QCOMPARE(m_upstream->requestCount(), 1);
}

void TestOpenAIUpstream::acceptsImageParts()
{
    const QJsonArray parts {
        QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, u"What is in these?"_s}},
        QJsonObject {{u"type"_s, u"image_url"_s},
                     {u"image_url"_s, QJsonObject {{u"url"_s, QString::fromLatin1(pngDataUrl())}}}},
        QJsonObject {
            {u"type"_s, u"image_url"_s},
            {u"image_url"_s,
             QJsonObject {{u"url"_s, u"https://example.com/cat.jpg"_s}, {u"detail"_s, u"low"_s}}}},
    };
    const Response r = post(body({message(u"user"_s, parts)}));
    QVERIFY2(m_script->problems().isEmpty(), qPrintable(m_script->problems().join(u'\n')));
    QCOMPARE(r.status, 200);
}

void TestOpenAIUpstream::acceptsToolRoundTrip()
{
    const Response r = post(toolRoundTrip());
    QVERIFY2(m_script->problems().isEmpty(), qPrintable(m_script->problems().join(u'\n')));
    QCOMPARE(r.status, 200);
    // The same conversation ending at the tool answers, with a named tool forced.
    QJsonObject b = toolRoundTrip();
    QJsonArray messages = b.value(u"messages"_s).toArray();
    while (messages.size() > 5)
        messages.removeLast();
    b.insert(u"messages"_s, messages);
    b.insert(u"tool_choice"_s,
             QJsonObject {{u"type"_s, u"function"_s},
                          {u"function"_s, QJsonObject {{u"name"_s, u"get_weather"_s}}}});
    QCOMPARE(post(b).status, 200);
    QVERIFY2(m_script->problems().isEmpty(), qPrintable(m_script->problems().join(u'\n')));
    // DeepSeek takes the reasoning back on the tool-call turn.
    QJsonObject deepSeek = toolRoundTrip();
    messages = deepSeek.value(u"messages"_s).toArray();
    messages.replace(2, with(messages.at(2).toObject(), u"reasoning_content"_s, u"Two cities."_s));
    deepSeek.insert(u"messages"_s, messages);
    deepSeek.insert(u"model"_s, u"deepseek-reasoner"_s);
    QCOMPARE(post(deepSeek).status, 200);
    QVERIFY2(m_script->problems().isEmpty(), qPrintable(m_script->problems().join(u'\n')));
}

void TestOpenAIUpstream::acceptsEveryKnownField()
{
    QJsonObject b = toolRoundTrip();
    const QList<std::pair<QString, QJsonValue>> fields {
        {u"max_completion_tokens"_s, 100},
        {u"temperature"_s, 0.7},
        {u"top_p"_s, 1},
        {u"stop"_s, QJsonArray {u"\n\nHuman:"_s, u"END"_s}},
        {u"stream"_s, true},
        {u"stream_options"_s, QJsonObject {{u"include_usage"_s, true}}},
        {u"tool_choice"_s, u"required"_s},
        {u"reasoning_effort"_s, u"low"_s},
        {u"reasoning"_s, QJsonObject {{u"effort"_s, u"high"_s}, {u"exclude"_s, false}}},
        {u"enable_thinking"_s, true},
        {u"thinking_budget"_s, 1024},
        {u"thinking"_s, QJsonObject {{u"type"_s, u"enabled"_s}, {u"budget_tokens"_s, 1024}}},
        {u"user"_s, u"user-1"_s},
        {u"n"_s, 1},
        {u"seed"_s, 42},
        {u"presence_penalty"_s, 0.5},
        {u"frequency_penalty"_s, -0.5},
        {u"response_format"_s, QJsonObject {{u"type"_s, u"json_object"_s}}},
        {u"logprobs"_s, true},
        {u"top_logprobs"_s, 2},
        {u"logit_bias"_s, QJsonObject {{u"50256"_s, -100}}},
    };
    for (const auto &[key, value] : fields)
        b.insert(key, value);
    const Response r = post(b);
    QVERIFY2(m_script->problems().isEmpty(), qPrintable(m_script->problems().join(u'\n')));
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type"_ba).startsWith("text/event-stream"));
}

void TestOpenAIUpstream::refusesWhatTheRealApiRefuses_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("authorization");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("param");
    QTest::addColumn<QString>("message");

    const QByteArray bearer = "Bearer sk-test-1234"_ba;
    const auto row = [&](const char *name, const QJsonObject &payload, const QString &param,
                         const QString &message) {
        QTest::newRow(name) << QByteArray(chatPath) << bearer << compact(payload) << 400 << param
                            << message;
    };
    const QJsonObject user = message(u"user"_s, u"Hi"_s);
    const QJsonObject weatherCall = call(u"call_1"_s, u"get_weather"_s, uR"({"city":"Oslo"})"_s);

    row("unknown top-level field", with(body(), u"top_k"_s, 5), u"top_k"_s,
        u"Unrecognized request argument supplied: top_k"_s);
    row("Anthropic system field", with(body(), u"system"_s, u"Be brief"_s), u"system"_s,
        u"Unrecognized request argument supplied: system"_s);
    row("unknown message field",
        body({with(user, u"cache_control"_s, QJsonObject {{u"type"_s, u"ephemeral"_s}})}),
        u"messages[0].cache_control"_s,
        u"messages[0].cache_control: Unrecognized request argument supplied: cache_control"_s);
    row("unknown content part field",
        body({message(u"user"_s,
                      QJsonArray {QJsonObject {{u"type"_s, u"text"_s},
                                               {u"text"_s, u"Hi"_s},
                                               {u"cache_control"_s, QJsonObject()}}})}),
        u"messages[0].content[0].cache_control"_s,
        u"messages[0].content[0].cache_control: Unrecognized request argument supplied: "
        "cache_control"_s);
    const QJsonObject reasoned = with(assistantCalling({weatherCall}), u"reasoning_content"_s,
                                      u"Oslo first."_s);
    const QJsonObject answered = toolAnswer(u"call_1"_s, u"Sunny"_s);
    row("reasoning_content for a provider without it", body({user, reasoned, answered}),
        u"messages[1].reasoning_content"_s,
        u"Unrecognized request argument supplied: reasoning_content"_s);
    row("DeepSeek tool turn without reasoning_content",
        with(body({user, assistantCalling({weatherCall}), answered}), u"model"_s,
             u"deepseek-reasoner"_s),
        u"messages[1].reasoning_content"_s, u"Missing required parameter"_s);
    row("tool_call_id on a user message", body({with(user, u"tool_call_id"_s, u"call_1"_s)}),
        u"messages[0].tool_call_id"_s,
        u"messages[0].tool_call_id: Unrecognized request argument supplied: tool_call_id"_s);
    row("tool message without preceding call", body({user, toolAnswer(u"call_9"_s)}),
        u"messages[1].tool_call_id"_s,
        u"messages[1].tool_call_id: no assistant tool call with id call_9 precedes it"_s);
    row("unanswered tool call followed by user",
        body({user,
              assistantCalling(
                  {weatherCall, call(u"call_2"_s, u"get_weather"_s, uR"({"city":"Bergen"})"_s)}),
              toolAnswer(u"call_1"_s), user}),
        u"messages[1].tool_calls"_s,
        u"messages[1].tool_calls: An assistant message with 'tool_calls' must be followed by tool "
        "messages responding to each 'tool_call_id'. The following tool_call_ids did not have "
        "response messages: call_2 (messages[3] comes first)"_s);
    row("unanswered tool call at the end", body({user, assistantCalling({weatherCall})}),
        u"messages[1].tool_calls"_s, u"call_1 (the conversation ends first)"_s);
    row("tool call answered twice",
        body({user, assistantCalling({weatherCall}), toolAnswer(u"call_1"_s),
              toolAnswer(u"call_1"_s)}),
        u"messages[3].tool_call_id"_s,
        u"messages[3].tool_call_id: tool call call_1 was already answered"_s);
    row("tool answer after a user message",
        body({user, assistantCalling({weatherCall}), user, toolAnswer(u"call_1"_s)}),
        u"messages[1].tool_calls"_s, u"call_1 (messages[2] comes first)"_s);
    row("duplicate tool call ids",
        body({user, assistantCalling({weatherCall, weatherCall}), toolAnswer(u"call_1"_s)}),
        u"messages[1].tool_calls[1].id"_s, u"duplicate tool call id call_1"_s);
    row("arguments an object, not a string",
        body({user,
              assistantCalling(
                  {call(u"call_1"_s, u"get_weather"_s, QJsonObject {{u"city"_s, u"Oslo"_s}})}),
              toolAnswer(u"call_1"_s)}),
        u"messages[1].tool_calls[0].function.arguments"_s,
        u"messages[1].tool_calls[0].function.arguments: expected a string, got an object"_s);
    row("arguments not JSON",
        body({user, assistantCalling({call(u"call_1"_s, u"get_weather"_s, uR"({"city":)"_s)}),
              toolAnswer(u"call_1"_s)}),
        u"messages[1].tool_calls[0].function.arguments"_s, u"not valid JSON"_s);
    row("tool call without type",
        body({user, assistantCalling({without(weatherCall, u"type"_s)}), toolAnswer(u"call_1"_s)}),
        u"messages[1].tool_calls[0].type"_s, u"Missing required parameter"_s);
    row("empty tool_calls", body({user, assistantCalling({})}), u"messages[1].tool_calls"_s,
        u"empty array"_s);
    row("null temperature", with(body(), u"temperature"_s, QJsonValue::Null), u"temperature"_s,
        u"temperature: null is not allowed"_s);
    row("temperature above 2", with(body(), u"temperature"_s, 2.5), u"temperature"_s,
        u"temperature: 2.5 is out of range [0, 2]"_s);
    row("top_p above 1", with(body(), u"top_p"_s, 1.5), u"top_p"_s, u"out of range"_s);
    row("max_tokens 0", with(body(), u"max_tokens"_s, 0), u"max_tokens"_s, u"out of range"_s);
    row("max_tokens a string", with(body(), u"max_tokens"_s, u"64"_s), u"max_tokens"_s,
        u"max_tokens: expected an integer, got a string"_s);
    row("five stop strings",
        with(body(), u"stop"_s, QJsonArray {u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s}), u"stop"_s,
        u"at most 4 stop sequences"_s);
    row("bad tool name", with(body(), u"tools"_s, QJsonArray {tool(u"get weather"_s)}),
        u"tools[0].function.name"_s,
        u"tools[0].function.name: 'get weather' does not match '^[a-zA-Z0-9_-]{1,64}$'"_s);
    row("Anthropic tool shape",
        with(body(), u"tools"_s,
             QJsonArray {
                 QJsonObject {{u"name"_s, u"get_weather"_s}, {u"input_schema"_s, QJsonObject()}}}),
        u"tools[0].input_schema"_s, u"Unrecognized request argument supplied: input_schema"_s);
    row("empty tools", with(body(), u"tools"_s, QJsonArray()), u"tools"_s, u"empty array"_s);
    row("tool_choice naming an undefined tool",
        with(with(body(), u"tools"_s, QJsonArray {tool(u"get_weather"_s)}), u"tool_choice"_s,
             QJsonObject {{u"type"_s, u"function"_s},
                          {u"function"_s, QJsonObject {{u"name"_s, u"other"_s}}}}),
        u"tool_choice.function.name"_s, u"no tool named 'other' is defined in tools"_s);
    row("Anthropic tool_choice",
        with(with(body(), u"tools"_s, QJsonArray {tool(u"get_weather"_s)}), u"tool_choice"_s,
             u"any"_s),
        u"tool_choice"_s, u"'any' is not one of none, auto, required"_s);
    row("tool_choice without tools", with(body(), u"tool_choice"_s, u"auto"_s), u"tool_choice"_s,
        u"only allowed when 'tools' are specified"_s);
    row("stream_options without stream",
        with(body(), u"stream_options"_s, QJsonObject {{u"include_usage"_s, true}}),
        u"stream_options"_s, u"stream_options: only allowed when 'stream' is true"_s);
    row("unknown stream option",
        with(with(body(), u"stream"_s, true), u"stream_options"_s,
             QJsonObject {{u"include_usage"_s, true}, {u"continuous_usage_stats"_s, true}}),
        u"stream_options.continuous_usage_stats"_s,
        u"Unrecognized request argument supplied: continuous_usage_stats"_s);
    row("missing model", without(body(), u"model"_s), u"model"_s,
        u"model: you must provide a model parameter"_s);
    row("empty model", with(body(), u"model"_s, u""_s), u"model"_s, u"must not be empty"_s);
    row("empty messages", body({}), u"messages"_s, u"messages: empty array"_s);
    row("unknown role", body({message(u"human"_s, u"Hi"_s)}), u"messages[0].role"_s,
        u"'human' is not one of"_s);
    row("user content null", body({message(u"user"_s, QJsonValue::Null)}), u"messages[0].content"_s,
        u"messages[0].content: expected a string or an array of content parts, got null"_s);
    row("assistant content null without tool_calls",
        body({user, message(u"assistant"_s, QJsonValue::Null), user}), u"messages[1].content"_s,
        u"got null"_s);
    row("empty content array", body({message(u"user"_s, QJsonArray())}), u"messages[0].content"_s,
        u"empty array"_s);
    row("Anthropic image block",
        body({message(
            u"user"_s,
            QJsonArray {QJsonObject {{u"type"_s, u"image"_s}, {u"source"_s, QJsonObject()}}})}),
        u"messages[0].content[0].type"_s, u"expected 'text' or 'image_url'"_s);
    const auto image = [](const QString &url) {
        return body(
            {message(u"user"_s,
                     QJsonArray {QJsonObject {{u"type"_s, u"image_url"_s},
                                              {u"image_url"_s, QJsonObject {{u"url"_s, url}}}}})});
    };
    row("file image URL", image(u"file:///tmp/cat.png"_s),
        u"messages[0].content[0].image_url.url"_s,
        u"expected an http(s) URL or a base64 data URL"_s);
    row("data URL with bad base64", image(u"data:image/png;base64,@@not base64@@"_s),
        u"messages[0].content[0].image_url.url"_s, u"does not hold valid base64"_s);
    row("data URL without base64", image(u"data:image/png,rawbytes"_s),
        u"messages[0].content[0].image_url.url"_s, u"expected data:image/"_s);
    row("image in a system message",
        body({with(
            image(u"https://example.com/a.png"_s).value(u"messages"_s).toArray().first().toObject(),
            u"role"_s, u"system"_s)}),
        u"messages[0].content[0].type"_s, u"expected 'text'"_s);

    QTest::newRow("not JSON") << QByteArray(chatPath) << bearer << "{\"model\": "_ba << 400
                              << QString() << u"We could not parse the JSON body"_s;
    QTest::newRow("no authorization") << QByteArray(chatPath) << QByteArray() << compact(body())
                                      << 401 << QString() << u"You didn't provide an API key"_s;
    QTest::newRow("x-api-key style authorization")
        << QByteArray(chatPath) << "sk-test-1234"_ba << compact(body()) << 401 << QString()
        << u"You didn't provide an API key"_s;
    QTest::newRow("Anthropic path") << "/v1/messages"_ba << bearer << compact(body()) << 404
                                    << QString() << u"Invalid URL (POST /v1/messages)"_s;
}

void TestOpenAIUpstream::refusesWhatTheRealApiRefuses()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, authorization);
    QFETCH(QByteArray, payload);
    QFETCH(int, status);
    QFETCH(QString, param);
    QFETCH(QString, message);

    m_script->enqueue(OpenAIReplies::completion(u"queued"_s));
    const Response r = post(payload, path, authorization);
    QVERIFY(r.finished);
    QCOMPARE(r.status, status);
    const QJsonObject error = r.error();
    QCOMPARE(error.value(u"type"_s).toString(), u"invalid_request_error"_s);
    QVERIFY2(error.value(u"message"_s).toString().contains(message),
             qPrintable(error.value(u"message"_s).toString()));
    if (param.isEmpty())
        QVERIFY(error.value(u"param"_s).isNull());
    else
        QCOMPARE(error.value(u"param"_s).toString(), param);
    QVERIFY(error.contains(u"code"_s));

    // A refusal is recorded, leaves the queue alone, and problem() agrees with the server.
    const QStringList problems = m_script->problems();
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.first(),
             u"POST "_s + QString::fromLatin1(path) + u": "_s
                 + error.value(u"message"_s).toString());
    QCOMPARE(m_script->pendingReplies(), 1);
    QCOMPARE(m_upstream->requestCount(), 1);
    QCOMPARE(OpenAIStrict::problem(m_upstream->lastRequest()),
             error.value(u"message"_s).toString());
    QVERIFY(OpenAIStrict::refusal(m_upstream->lastRequest()).has_value());
}

void TestOpenAIUpstream::problemNamesThePath()
{
    RecordedRequest request;
    request.method = "POST"_ba;
    request.path = u"/v1/chat/completions?x=1"_s;
    request.headers.insert("authorization"_ba, "Bearer k"_ba);
    request.body = compact(
        body({message(u"system"_s, u"s"_s), message(u"user"_s, u"u"_s), toolAnswer(u"call_9"_s)}));
    QCOMPARE(OpenAIStrict::problem(request),
             u"messages[2].tool_call_id: no assistant tool call with id call_9 precedes it"_s);
    const std::optional<ScriptedReply> refusal = OpenAIStrict::refusal(request);
    QVERIFY(refusal);
    QCOMPARE(refusal->status, 400);

    request.body = compact(toolRoundTrip());
    QCOMPARE(OpenAIStrict::problem(request), QString());
    QVERIFY(!OpenAIStrict::refusal(request));

    request.method = "GET"_ba;
    QCOMPARE(OpenAIStrict::problem(request), u"Invalid URL (GET /v1/chat/completions)"_s);
}

void TestOpenAIUpstream::queueAnswersValidRequestsInOrder()
{
    m_script->enqueue(OpenAIReplies::completion(u"first"_s));
    m_script->enqueue(OpenAIReplies::completion(u"second"_s, u"pinned-model"_s), 2);
    QCOMPARE(m_script->pendingReplies(), 3);

    QCOMPARE(post(with(body(), u"bogus"_s, 1)).status, 400);
    QCOMPARE(m_script->pendingReplies(), 3);

    Response r = post(body());
    QCOMPARE(choiceOf(r.json()).value(u"message"_s).toObject().value(u"content"_s).toString(),
             u"first"_s);
    QCOMPARE(r.json().value(u"model"_s).toString(), u"gpt-4o-mini"_s);
    r = post(body());
    QCOMPARE(choiceOf(r.json()).value(u"message"_s).toObject().value(u"content"_s).toString(),
             u"second"_s);
    QCOMPARE(r.json().value(u"model"_s).toString(), u"pinned-model"_s);
    QCOMPARE(m_script->pendingReplies(), 1);
    m_script->clearReplies();
    r = post(body());
    QCOMPARE(choiceOf(r.json()).value(u"message"_s).toObject().value(u"content"_s).toString(),
             u"Hello from upstream"_s);
    QCOMPARE(m_script->problems().size(), 1);
    m_script->clearProblems();
    QVERIFY(m_script->problems().isEmpty());
}

void TestOpenAIUpstream::fallbackAnswersOnceQueueIsEmpty()
{
    int calls = 0;
    m_script->setFallback([&calls](const RecordedRequest &request) {
        ++calls;
        return OpenAIReplies::completion(request.json().value(u"user"_s).toString());
    });
    m_script->enqueue(OpenAIReplies::serverError());
    QCOMPARE(post(body()).status, 500);
    QCOMPARE(calls, 0);
    const Response r = post(with(body(), u"user"_s, u"echo me"_s));
    QCOMPARE(calls, 1);
    QCOMPARE(choiceOf(r.json()).value(u"message"_s).toObject().value(u"content"_s).toString(),
             u"echo me"_s);
    QCOMPARE(post(with(body(), u"temperature"_s, -1)).status, 400);
    QCOMPARE(calls, 1);
    m_script->setFallback({});
    QCOMPARE(choiceOf(post(body()).json()).value(u"message"_s).toObject().value(u"content"_s),
             QJsonValue(u"Hello from upstream"_s));
}

void TestOpenAIUpstream::upstreamQueueBypassesTheCheck()
{
    // Documented: the ScriptedUpstream's own queue comes before any handler.
    m_upstream->enqueue(OpenAIReplies::completion(u"unchecked"_s));
    const Response r = post(with(body(), u"top_k"_s, 5));
    QCOMPARE(r.status, 200);
    QVERIFY(m_script->problems().isEmpty());
    QCOMPARE(post(with(body(), u"top_k"_s, 5)).status, 400);
}

void TestOpenAIUpstream::handlerPassesValidRequestsOn()
{
    int calls = 0;
    m_upstream->setHandler(OpenAIStrict::handler(
        [&calls](const RecordedRequest &) {
            ++calls;
            return OpenAIReplies::stream({u"from"_s, u" next"_s});
        },
        {u"model-a"_s, u"model-b"_s}));

    Response r = post(with(body(), u"stream"_s, true));
    QCOMPARE(r.status, 200);
    QCOMPARE(calls, 1);
    const SseStream s = parseSse(r.body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QCOMPARE(s.text(), u"from next"_s);
    for (const QJsonObject &c : s.chunks)
        QCOMPARE(c.value(u"model"_s).toString(), u"gpt-4o-mini"_s);

    r = post(with(body(), u"messages"_s, QJsonArray()));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.error().value(u"message"_s).toString(),
             u"messages: empty array: expected at least one element"_s);
    QCOMPARE(calls, 1);

    r = get("/v1/models"_ba);
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data.at(1).toObject().value(u"id"_s).toString(), u"model-b"_s);
    QCOMPARE(calls, 1);

    // Without `next`, the default answer.
    m_upstream->setHandler(OpenAIStrict::handler());
    QCOMPARE(choiceOf(post(body()).json()).value(u"message"_s).toObject().value(u"content"_s),
             QJsonValue(u"Hello from upstream"_s));
}

void TestOpenAIUpstream::modelListIsAnsweredWithoutTheQueue()
{
    m_script->enqueue(OpenAIReplies::serverError());
    Response r = get("/v1/models"_ba);
    QCOMPARE(r.status, 200);
    const QJsonObject list = r.json();
    QCOMPARE(list.value(u"object"_s).toString(), u"list"_s);
    const QJsonObject model = list.value(u"data"_s).toArray().first().toObject();
    QCOMPARE(model.value(u"id"_s).toString(), u"gpt-test"_s);
    QCOMPARE(model.value(u"object"_s).toString(), u"model"_s);
    QVERIFY(model.value(u"created"_s).isDouble());
    QVERIFY(model.value(u"owned_by"_s).isString());
    QCOMPARE(m_script->pendingReplies(), 1);

    r = get("/v1/models"_ba, {});
    QCOMPARE(r.status, 401);
    QCOMPARE(m_script->problems().size(), 1);
    QVERIFY(m_script->problems().first().startsWith(u"GET /v1/models: You didn't provide"_s));
}

void TestOpenAIUpstream::completionCarriesUsage()
{
    m_script->enqueue(OpenAIReplies::completion(u"cached"_s, {}, 1000, 20, 800));
    const QJsonObject usage = post(body()).json().value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"prompt_tokens"_s).toInt(), 1000);
    QCOMPARE(usage.value(u"completion_tokens"_s).toInt(), 20);
    QCOMPARE(usage.value(u"total_tokens"_s).toInt(), 1020);
    QCOMPARE(usage.value(u"prompt_tokens_details"_s).toObject().value(u"cached_tokens"_s).toInt(),
             800);
}

void TestOpenAIUpstream::toolCallsReply()
{
    m_script->enqueue(OpenAIReplies::toolCalls(
        {{u"call_a"_s, u"get_weather"_s, {{u"city"_s, u"Oslo"_s}}}, {{}, u"get_time"_s, {}}}));
    const QJsonObject completion = post(body()).json();
    QCOMPARE(completion.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
    const QJsonObject choice = choiceOf(completion);
    QCOMPARE(choice.value(u"finish_reason"_s).toString(), u"tool_calls"_s);
    const QJsonObject msg = choice.value(u"message"_s).toObject();
    QVERIFY(msg.value(u"content"_s).isNull());
    const QJsonArray calls = msg.value(u"tool_calls"_s).toArray();
    QCOMPARE(calls.size(), 2);
    const QJsonObject first = calls.at(0).toObject();
    QCOMPARE(first.value(u"id"_s).toString(), u"call_a"_s);
    QCOMPARE(first.value(u"type"_s).toString(), u"function"_s);
    const QJsonObject function = first.value(u"function"_s).toObject();
    QCOMPARE(function.value(u"name"_s).toString(), u"get_weather"_s);
    QVERIFY(function.value(u"arguments"_s).isString());
    QCOMPARE(QJsonDocument::fromJson(function.value(u"arguments"_s).toString().toUtf8()).object(),
             QJsonObject({{u"city"_s, u"Oslo"_s}}));
    const QJsonObject second = calls.at(1).toObject();
    QVERIFY(second.value(u"id"_s).toString().startsWith(u"call_"_s));
    QCOMPARE(second.value(u"function"_s).toObject().value(u"arguments"_s).toString(), u"{}"_s);

    // With text, content carries it.
    m_script->enqueue(OpenAIReplies::toolCalls({{{}, u"f"_s, {}}}, u"Checking."_s));
    QCOMPARE(choiceOf(post(body()).json()).value(u"message"_s).toObject().value(u"content"_s),
             QJsonValue(u"Checking."_s));
}

void TestOpenAIUpstream::defaultStreamHasRoleTextFinishAndUsageChunks()
{
    QJsonObject b = with(body(), u"stream"_s, true);
    b.insert(u"stream_options"_s, QJsonObject {{u"include_usage"_s, true}});
    const Response r = post(b);
    QCOMPARE(r.status, 200);
    QVERIFY(r.header("content-type"_ba).startsWith("text/event-stream"));
    const SseStream s = parseSse(r.body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QVERIFY(s.done);
    QCOMPARE(s.chunks.size(), 6); // role, 3 pieces, finish, usage

    const QString id = s.chunks.first().value(u"id"_s).toString();
    QVERIFY(id.startsWith(u"chatcmpl-"_s));
    for (const QJsonObject &c : s.chunks) {
        QCOMPARE(c.value(u"id"_s).toString(), id);
        QCOMPARE(c.value(u"object"_s).toString(), u"chat.completion.chunk"_s);
        QCOMPARE(c.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
    }
    const QJsonObject first = choiceOf(s.chunks.first());
    QCOMPARE(first.value(u"delta"_s).toObject(),
             QJsonObject({{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}}));
    QVERIFY(first.value(u"finish_reason"_s).isNull());
    QCOMPARE(s.text(), u"Hello from upstream"_s);

    const QJsonObject finish = choiceOf(s.chunks.at(4));
    QCOMPARE(finish.value(u"finish_reason"_s).toString(), u"stop"_s);
    QVERIFY(finish.value(u"delta"_s).toObject().isEmpty());
    QVERIFY(s.chunks.at(4).value(u"usage"_s).isNull());

    const QJsonObject last = s.chunks.last();
    QVERIFY(last.value(u"choices"_s).isArray());
    QVERIFY(last.value(u"choices"_s).toArray().isEmpty());
    const QJsonObject usage = last.value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"prompt_tokens"_s).toInt(), 25);
    QCOMPARE(usage.value(u"completion_tokens"_s).toInt(), 3);
    QCOMPARE(usage.value(u"total_tokens"_s).toInt(), 28);
    QVERIFY(r.body.endsWith("data: [DONE]\n\n"));
    QVERIFY(!r.body.contains("event:"));
}

void TestOpenAIUpstream::streamWithoutUsageOrDone()
{
    // The default stream sends usage only if the request asked for it.
    Response r = post(with(body(), u"stream"_s, true));
    SseStream s = parseSse(r.body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QCOMPARE(s.chunks.size(), 5);
    for (const QJsonObject &c : s.chunks) {
        QVERIFY(!c.contains(u"usage"_s));
        QCOMPARE(c.value(u"choices"_s).toArray().size(), 1);
    }

    m_script->enqueue(OpenAIReplies::stream({u"cut"_s}, {}, true, false));
    r = post(with(body(), u"stream"_s, true));
    s = parseSse(r.body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QVERIFY(!s.done);
    QCOMPARE(s.text(), u"cut"_s);
    QVERIFY(s.chunks.last().value(u"usage"_s).isObject());
}

void TestOpenAIUpstream::toolCallStream()
{
    const QList<ToolCall> calls {
        {u"call_a"_s, u"get_weather"_s, {{u"city"_s, u"Oslo"_s}}},
        {{}, u"get_time"_s, {{u"zone"_s, u"Europe/Oslo"_s}, {u"precise"_s, true}}},
    };
    m_script->enqueue(OpenAIReplies::toolCallStream(calls, {u"Let me"_s, u" check."_s}, 3));
    const Response r = post(with(toolRoundTrip(), u"stream"_s, true));
    QCOMPARE(r.status, 200);
    const SseStream s = parseSse(r.body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QVERIFY(s.done);
    QCOMPARE(s.text(), u"Let me check."_s);
    QCOMPARE(choiceOf(s.chunks.first()).value(u"delta"_s).toObject().value(u"role"_s).toString(),
             u"assistant"_s);

    struct Assembled
    {
        QString id, type, name, arguments;
        int pieces = 0;
    };
    QList<Assembled> assembled(2);
    QString finishReason;
    bool textAfterCalls = false;
    for (const QJsonObject &c : s.chunks) {
        QCOMPARE(c.value(u"model"_s).toString(), u"gpt-4o-mini"_s);
        const QJsonObject choice = choiceOf(c);
        const QJsonObject delta = choice.value(u"delta"_s).toObject();
        if (!choice.value(u"finish_reason"_s).isNull()
            && !c.value(u"choices"_s).toArray().isEmpty())
            finishReason = choice.value(u"finish_reason"_s).toString();
        if (delta.value(u"content"_s).isString() && !delta.value(u"content"_s).toString().isEmpty()
            && assembled.first().pieces > 0)
            textAfterCalls = true;
        for (const QJsonValue &v : delta.value(u"tool_calls"_s).toArray()) {
            const QJsonObject piece = v.toObject();
            const int index = piece.value(u"index"_s).toInt(-1);
            QVERIFY(index == 0 || index == 1);
            Assembled &a = assembled[index];
            const QJsonObject function = piece.value(u"function"_s).toObject();
            if (a.pieces == 0) {
                // The first piece names the call and carries no arguments yet.
                a.id = piece.value(u"id"_s).toString();
                a.type = piece.value(u"type"_s).toString();
                a.name = function.value(u"name"_s).toString();
                QCOMPARE(function.value(u"arguments"_s).toString(), QString());
            } else {
                QVERIFY(!piece.contains(u"id"_s));
                QVERIFY(!function.contains(u"name"_s));
                QVERIFY(!function.value(u"arguments"_s).toString().isEmpty());
                a.arguments += function.value(u"arguments"_s).toString();
            }
            ++a.pieces;
        }
    }
    QVERIFY(!textAfterCalls);
    QCOMPARE(finishReason, u"tool_calls"_s);
    QCOMPARE(assembled.at(0).id, u"call_a"_s);
    QVERIFY(assembled.at(1).id.startsWith(u"call_"_s));
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const Assembled &a = assembled.at(i);
        QCOMPARE(a.type, u"function"_s);
        QCOMPARE(a.name, calls.at(i).name);
        QCOMPARE(a.pieces, 1 + 3);
        QCOMPARE(QJsonDocument::fromJson(a.arguments.toUtf8()).object(), calls.at(i).arguments);
    }
    QVERIFY(s.chunks.last().value(u"choices"_s).toArray().isEmpty());
    QVERIFY(s.chunks.last().value(u"usage"_s).toObject().value(u"completion_tokens"_s).toInt() > 0);
}

void TestOpenAIUpstream::toolCallStreamWithoutText()
{
    // Arguments shorter than the requested piece count come in fewer pieces.
    m_script->enqueue(
        OpenAIReplies::toolCallStream({{u"call_x"_s, u"f"_s, {}}}, {}, 5, u"fixed"_s));
    const SseStream s = parseSse(post(body()).body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    const QJsonObject delta = choiceOf(s.chunks.first()).value(u"delta"_s).toObject();
    QCOMPARE(delta.value(u"role"_s).toString(), u"assistant"_s);
    QVERIFY(delta.value(u"content"_s).isNull());
    QCOMPARE(delta.value(u"tool_calls"_s).toArray().first().toObject().value(u"id"_s).toString(),
             u"call_x"_s);
    QCOMPARE(s.chunks.first().value(u"model"_s).toString(), u"fixed"_s);
    // first piece, "{", "}", finish, usage
    QCOMPARE(s.chunks.size(), 5);
}

void TestOpenAIUpstream::reasoningStream()
{
    m_script->enqueue(OpenAIReplies::reasoningStream({u"Think"_s, u"ing"_s}, {u"Answer"_s}));
    const SseStream s = parseSse(post(with(body(), u"stream"_s, true)).body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QVERIFY(s.done);
    QCOMPARE(s.text(u"reasoning_content"_s), u"Thinking"_s);
    QCOMPARE(s.text(), u"Answer"_s);
    bool contentSeen = false;
    for (const QJsonObject &c : s.chunks) {
        const QJsonObject delta = choiceOf(c).value(u"delta"_s).toObject();
        if (!delta.value(u"content"_s).toString().isEmpty())
            contentSeen = true;
        if (!delta.value(u"reasoning_content"_s).toString().isEmpty())
            QVERIFY2(!contentSeen, "reasoning after content");
    }
    QVERIFY(contentSeen);
    const QJsonObject usage = s.chunks.last().value(u"usage"_s).toObject();
    QCOMPARE(
        usage.value(u"completion_tokens_details"_s).toObject().value(u"reasoning_tokens"_s).toInt(),
        2);
}

void TestOpenAIUpstream::customChunksAreSentAsGiven()
{
    const QJsonObject c1 = OpenAIReplies::chunk(u"c1"_s, u"m"_s, {{u"content"_s, u"x"_s}});
    const QJsonObject c2 = OpenAIReplies::chunk(u"c1"_s, u"m"_s, {}, u"length"_s);
    m_script->enqueue(OpenAIReplies::chunks({c1, c2}, false));
    const SseStream s = parseSse(post(body()).body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QVERIFY(!s.done);
    QCOMPARE(s.chunks.size(), 2);
    QCOMPARE(s.chunks.at(0), c1); // sent as given: no model echo
    QCOMPARE(choiceOf(s.chunks.at(1)).value(u"finish_reason"_s).toString(), u"length"_s);

    m_script->enqueue(OpenAIReplies::chunks({c1}));
    QVERIFY(parseSse(post(body()).body).done);
}

void TestOpenAIUpstream::errorChunkMidStream()
{
    m_script->enqueue(OpenAIReplies::errorChunkMidStream(2, u"Provider disconnected"_s));
    const Response r = post(with(body(), u"stream"_s, true));
    QCOMPARE(r.status, 200);
    const SseStream s = parseSse(r.body);
    QVERIFY2(s.malformed.isEmpty(), qPrintable(s.malformed));
    QVERIFY(!s.done);
    QCOMPARE(s.chunks.size(), 4); // role, 2 pieces, error
    QCOMPARE(s.text(), u"Hello from"_s);
    const QJsonObject error = s.chunks.last().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"message"_s).toString(), u"Provider disconnected"_s);
    QVERIFY(error.value(u"type"_s).isString());
    QVERIFY(!s.chunks.last().contains(u"choices"_s));
}

void TestOpenAIUpstream::errorRepliesHaveTheOpenAIShape_data()
{
    QTest::addColumn<ScriptedReply>("reply");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QByteArray>("retryAfter");

    QTest::newRow("unauthorized") << OpenAIReplies::unauthorized() << 401
                                  << u"invalid_request_error"_s << u"invalid_api_key"_s
                                  << QByteArray();
    QTest::newRow("rate limited") << OpenAIReplies::rateLimited(7) << 429 << u"requests"_s
                                  << u"rate_limit_exceeded"_s << "7"_ba;
    QTest::newRow("insufficient quota")
        << OpenAIReplies::insufficientQuota() << 429 << u"insufficient_quota"_s
        << u"insufficient_quota"_s << QByteArray();
    QTest::newRow("server error") << OpenAIReplies::serverError() << 500 << u"server_error"_s
                                  << QString() << QByteArray();
    QTest::newRow("unavailable") << OpenAIReplies::unavailable() << 503 << u"server_error"_s
                                 << QString() << QByteArray();
    QTest::newRow("custom") << OpenAIReplies::error(
        404, u"invalid_request_error"_s, u"The model `x` does not exist"_s, u"model_not_found"_s)
                            << 404 << u"invalid_request_error"_s << u"model_not_found"_s
                            << QByteArray();
}

void TestOpenAIUpstream::errorRepliesHaveTheOpenAIShape()
{
    QFETCH(ScriptedReply, reply);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, code);
    QFETCH(QByteArray, retryAfter);

    m_script->enqueue(reply);
    const Response r = post(body());
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("content-type"_ba), "application/json"_ba);
    QVERIFY(!r.header("x-request-id"_ba).isEmpty());
    QCOMPARE(r.header("retry-after"_ba), retryAfter);
    const QJsonObject body = r.json();
    QCOMPARE(body.keys(), QStringList {u"error"_s});
    const QJsonObject error = body.value(u"error"_s).toObject();
    QCOMPARE(error.keys(), QStringList({u"code"_s, u"message"_s, u"param"_s, u"type"_s}));
    QCOMPARE(error.value(u"type"_s).toString(), type);
    QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    QVERIFY(error.value(u"param"_s).isNull());
    if (code.isEmpty())
        QVERIFY(error.value(u"code"_s).isNull());
    else
        QCOMPARE(error.value(u"code"_s).toString(), code);
    if (!retryAfter.isEmpty())
        QCOMPARE(r.header("x-ratelimit-reset-requests"_ba), retryAfter + "s"_ba);
}

QTEST_GUILESS_MAIN(TestOpenAIUpstream)
#include "tst_openaiupstream.moc"
