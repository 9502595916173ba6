// SPDX-License-Identifier: GPL-3.0-or-later
// The Chat Completions answers (OpenAIReplies) and the handlers answering with them
// (OpenAIStrict::handler, Script); the strict check itself is in openaistrict.cpp.
#include "openaiupstream.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QMutexLocker>

using namespace Qt::StringLiterals;

namespace OpenAIReplies {

namespace {

using Event = ScriptedReply::Event;

QByteArray requestId()
{
    return ScriptedReply::newId(u"req_"_s).toUtf8();
}

QJsonValue orNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QString modelOrDefault(const QString &model)
{
    return model.isEmpty() ? defaultModel() : model;
}

QJsonObject usageObject(int promptTokens, int completionTokens, int cachedTokens,
                        int reasoningTokens = 0)
{
    return QJsonObject {
        {u"prompt_tokens"_s, promptTokens},
        {u"completion_tokens"_s, completionTokens},
        {u"total_tokens"_s, promptTokens + completionTokens},
        {u"prompt_tokens_details"_s, QJsonObject {{u"cached_tokens"_s, cachedTokens}}},
        {u"completion_tokens_details"_s, QJsonObject {{u"reasoning_tokens"_s, reasoningTokens}}},
    };
}

QJsonObject completionObject(const QString &model, const QJsonObject &message,
                             const QString &finishReason, const QJsonObject &usage)
{
    const QJsonObject choice {{u"index"_s, 0},
                              {u"message"_s, message},
                              {u"logprobs"_s, QJsonValue::Null},
                              {u"finish_reason"_s, finishReason}};
    return QJsonObject {{u"id"_s, ScriptedReply::newId(u"chatcmpl-"_s)},
                        {u"object"_s, u"chat.completion"_s},
                        {u"created"_s, QDateTime::currentSecsSinceEpoch()},
                        {u"model"_s, model},
                        {u"choices"_s, QJsonArray {choice}},
                        {u"usage"_s, usage}};
}

ScriptedReply jsonReply(const QJsonObject &body, const QString &model)
{
    ScriptedReply r = ScriptedReply::json(200, body, {{"x-request-id"_ba, requestId()}});
    r.echoModel = model.isEmpty();
    return r;
}

Event dataEvent(const QJsonObject &data)
{
    return {{}, data, "data: "_ba + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n"_ba};
}

Event doneEvent()
{
    return {{}, {}, "data: [DONE]\n\n"_ba};
}

ScriptedReply sseReply(const QList<QJsonObject> &chunkList, bool done)
{
    ScriptedReply r;
    r.streaming = true;
    r.headers = {{"content-type"_ba, "text/event-stream; charset=utf-8"_ba},
                 {"cache-control"_ba, "no-cache"_ba},
                 {"x-request-id"_ba, requestId()}};
    for (const QJsonObject &c : chunkList)
        r.events.append(dataEvent(c));
    if (done)
        r.events.append(doneEvent());
    return r;
}

/// Builds the chunks of one streamed answer: all share id, created and model.
class ChunkBuilder
{
public:
    explicit ChunkBuilder(const QString &model, bool includeUsage = true)
        : m_id(ScriptedReply::newId(u"chatcmpl-"_s))
        , m_model(modelOrDefault(model))
        , m_includeUsage(includeUsage)
    { }

    void delta(const QJsonObject &delta, const QString &finishReason = {})
    {
        QJsonObject c = chunk(m_id, m_model, delta, finishReason);
        if (m_includeUsage)
            c.insert(u"usage"_s, QJsonValue::Null);
        m_chunks.append(c);
    }

    void usage(const QJsonObject &usage)
    {
        if (!m_includeUsage)
            return;
        QJsonObject c = chunk(m_id, m_model, {});
        c.insert(u"choices"_s, QJsonArray());
        c.insert(u"usage"_s, usage);
        m_chunks.append(c);
    }

    ScriptedReply reply(const QString &requestedModel, bool done = true) const
    {
        ScriptedReply r = sseReply(m_chunks, done);
        r.echoModel = requestedModel.isEmpty();
        return r;
    }

private:
    QString m_id;
    QString m_model;
    bool m_includeUsage;
    QList<QJsonObject> m_chunks;
};

QString callId(const ToolCall &call)
{
    return call.id.isEmpty() ? ScriptedReply::newId(u"call_"_s) : call.id;
}

QString argumentsString(const ToolCall &call)
{
    return QString::fromUtf8(QJsonDocument(call.arguments).toJson(QJsonDocument::Compact));
}

// At most `count` non-empty pieces of nearly equal length, never splitting a surrogate pair.
QStringList split(const QString &text, int count)
{
    QStringList pieces;
    qsizetype start = 0;
    for (int i = count; i > 0 && start < text.size(); --i) {
        qsizetype end = start + std::max<qsizetype>(1, (text.size() - start) / i);
        if (end < text.size() && text.at(end).isLowSurrogate())
            ++end;
        pieces.append(text.mid(start, end - start));
        start = end;
    }
    return pieces;
}

QJsonObject errorBody(const QString &type, const QString &message, const QString &code)
{
    return QJsonObject {{u"error"_s,
                         QJsonObject {{u"message"_s, message},
                                      {u"type"_s, type},
                                      {u"param"_s, QJsonValue::Null},
                                      {u"code"_s, orNull(code)}}}};
}

} // namespace

QString defaultModel()
{
    return u"gpt-test"_s;
}

QJsonObject chunk(const QString &id, const QString &model, const QJsonObject &delta,
                  const QString &finishReason)
{
    const QJsonObject choice {{u"index"_s, 0},
                              {u"delta"_s, delta},
                              {u"logprobs"_s, QJsonValue::Null},
                              {u"finish_reason"_s, orNull(finishReason)}};
    return QJsonObject {{u"id"_s, id},
                        {u"object"_s, u"chat.completion.chunk"_s},
                        {u"created"_s, QDateTime::currentSecsSinceEpoch()},
                        {u"model"_s, model},
                        {u"choices"_s, QJsonArray {choice}}};
}

ScriptedReply completion(const QString &text, const QString &model, int promptTokens,
                         int completionTokens, int cachedTokens)
{
    const QJsonObject message {
        {u"role"_s, u"assistant"_s}, {u"content"_s, text}, {u"refusal"_s, QJsonValue::Null}};
    return jsonReply(completionObject(model, message, u"stop"_s,
                                      usageObject(promptTokens, completionTokens, cachedTokens)),
                     model);
}

ScriptedReply toolCalls(const QList<ToolCall> &calls, const QString &text, const QString &model)
{
    QJsonArray toolCallArray;
    for (const ToolCall &call : calls) {
        const QJsonObject function {{u"name"_s, call.name},
                                    {u"arguments"_s, argumentsString(call)}};
        toolCallArray.append(QJsonObject {
            {u"id"_s, callId(call)}, {u"type"_s, u"function"_s}, {u"function"_s, function}});
    }
    const QJsonObject message {{u"role"_s, u"assistant"_s},
                               {u"content"_s, orNull(text)},
                               {u"refusal"_s, QJsonValue::Null},
                               {u"tool_calls"_s, toolCallArray}};
    return jsonReply(completionObject(model, message, u"tool_calls"_s, usageObject(25, 12, 0)),
                     model);
}

ScriptedReply stream(const QStringList &textPieces, const QString &model, bool includeUsage,
                     bool done)
{
    ChunkBuilder b(model, includeUsage);
    b.delta({{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}});
    for (const QString &piece : textPieces)
        b.delta({{u"content"_s, piece}});
    b.delta({}, u"stop"_s);
    b.usage(usageObject(25, int(textPieces.size()), 0));
    return b.reply(model, done);
}

ScriptedReply toolCallStream(const QList<ToolCall> &calls, const QStringList &textPiecesBefore,
                             int argumentPieces, const QString &model)
{
    ChunkBuilder b(model);
    if (!textPiecesBefore.isEmpty()) {
        b.delta({{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}});
        for (const QString &piece : textPiecesBefore)
            b.delta({{u"content"_s, piece}});
    }
    int outputTokens = int(textPiecesBefore.size());
    for (qsizetype index = 0; index < calls.size(); ++index) {
        const ToolCall &call = calls.at(index);
        const QJsonObject first {
            {u"index"_s, index},
            {u"id"_s, callId(call)},
            {u"type"_s, u"function"_s},
            {u"function"_s, QJsonObject {{u"name"_s, call.name}, {u"arguments"_s, u""_s}}},
        };
        QJsonObject delta {{u"tool_calls"_s, QJsonArray {first}}};
        if (index == 0 && textPiecesBefore.isEmpty()) {
            delta.insert(u"role"_s, u"assistant"_s);
            delta.insert(u"content"_s, QJsonValue::Null);
        }
        b.delta(delta);
        const QStringList fragments = split(argumentsString(call), argumentPieces);
        for (const QString &fragment : fragments) {
            const QJsonObject piece {{u"index"_s, index},
                                     {u"function"_s, QJsonObject {{u"arguments"_s, fragment}}}};
            b.delta({{u"tool_calls"_s, QJsonArray {piece}}});
        }
        outputTokens += int(fragments.size()) + 1;
    }
    b.delta({}, u"tool_calls"_s);
    b.usage(usageObject(25, outputTokens, 0));
    return b.reply(model);
}

ScriptedReply reasoningStream(const QStringList &reasoningPieces, const QStringList &textPieces,
                              const QString &model)
{
    ChunkBuilder b(model);
    b.delta({{u"role"_s, u"assistant"_s},
             {u"content"_s, QJsonValue::Null},
             {u"reasoning_content"_s, u""_s}});
    for (const QString &piece : reasoningPieces)
        b.delta({{u"content"_s, QJsonValue::Null}, {u"reasoning_content"_s, piece}});
    for (const QString &piece : textPieces)
        b.delta({{u"content"_s, piece}, {u"reasoning_content"_s, QJsonValue::Null}});
    b.delta({}, u"stop"_s);
    const int reasoningTokens = int(reasoningPieces.size());
    b.usage(usageObject(25, reasoningTokens + int(textPieces.size()), 0, reasoningTokens));
    return b.reply(model);
}

ScriptedReply chunks(const QList<QJsonObject> &chunkList, bool done)
{
    return sseReply(chunkList, done);
}

ScriptedReply error(int status, const QString &type, const QString &message, const QString &code)
{
    return ScriptedReply::json(status, errorBody(type, message, code),
                               {{"x-request-id"_ba, requestId()}});
}

ScriptedReply unauthorized()
{
    return error(401, u"invalid_request_error"_s,
                 u"Incorrect API key provided: sk-test***************1234. You can find your API "
                 "key at https://platform.openai.com/account/api-keys."_s,
                 u"invalid_api_key"_s);
}

ScriptedReply rateLimited(int retryAfterSeconds)
{
    const QByteArray seconds = QByteArray::number(retryAfterSeconds);
    return error(429, u"requests"_s,
                 u"Rate limit reached for gpt-test in organization org-test on requests per min "
                 "(RPM): Limit 3, Used 3, Requested 1. Please try again in %1s."_s.arg(
                     retryAfterSeconds),
                 u"rate_limit_exceeded"_s)
        .withHeader("retry-after"_ba, seconds)
        .withHeader("x-ratelimit-limit-requests"_ba, "3"_ba)
        .withHeader("x-ratelimit-remaining-requests"_ba, "0"_ba)
        .withHeader("x-ratelimit-reset-requests"_ba, seconds + "s"_ba);
}

ScriptedReply insufficientQuota()
{
    return error(429, u"insufficient_quota"_s,
                 u"You exceeded your current quota, please check your plan and billing details."_s,
                 u"insufficient_quota"_s);
}

ScriptedReply serverError()
{
    return error(500, u"server_error"_s,
                 u"The server had an error while processing your request. Sorry about that!"_s);
}

ScriptedReply unavailable()
{
    return error(503, u"server_error"_s, u"The server is overloaded or not ready yet."_s);
}

ScriptedReply errorChunkMidStream(int afterPieces, const QString &message)
{
    static const QStringList words {u"Hello"_s, u" from"_s, u" upstream"_s};
    ChunkBuilder b(defaultModel(), false);
    b.delta({{u"role"_s, u"assistant"_s}, {u"content"_s, u""_s}});
    for (int i = 0; i < afterPieces; ++i)
        b.delta({{u"content"_s, i < words.size() ? words.at(i) : u" more"_s}});
    ScriptedReply r = b.reply({}, false);
    r.events.append(dataEvent(errorBody(u"server_error"_s, message, {})));
    return r;
}

ScriptedReply models(const QStringList &ids)
{
    QJsonArray data;
    for (const QString &id : ids) {
        data.append(QJsonObject {{u"id"_s, id},
                                 {u"object"_s, u"model"_s},
                                 {u"created"_s, 1686935002},
                                 {u"owned_by"_s, u"openai"_s}});
    }
    return ScriptedReply::json(200, {{u"object"_s, u"list"_s}, {u"data"_s, data}},
                               {{"x-request-id"_ba, requestId()}});
}

ScriptedReply resolvedFor(const ScriptedReply &reply, const QString &requestModel)
{
    if (!reply.echoModel)
        return reply;
    const QString model = modelOrDefault(requestModel);
    ScriptedReply r = reply;
    r.echoModel = false;
    if (!r.streaming) {
        QJsonObject body = QJsonDocument::fromJson(r.body).object();
        if (body.contains(u"model"_s)) {
            body.insert(u"model"_s, model);
            r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
        }
    }
    for (Event &e : r.events) {
        if (e.name.isEmpty() && e.data.contains(u"model"_s)) {
            e.data.insert(u"model"_s, model);
            e = dataEvent(e.data);
        }
    }
    return r;
}

} // namespace OpenAIReplies

// OpenAIStrict's handlers; the check itself is in openaistrict.cpp.

namespace {

Q_LOGGING_CATEGORY(lcStrict, "switchboard.test.openai")

using ProblemSink = std::function<void(const QString &)>;

ScriptedReply answer(const RecordedRequest &request, const ScriptedUpstream::Handler &next,
                     const QStringList &modelIds, const ProblemSink &sink)
{
    if (std::optional<ScriptedReply> refusal = OpenAIStrict::refusal(request)) {
        const QString line = QString::fromLatin1(request.method) + u' '
            + request.path.section(u'?', 0, 0) + u": "_s + OpenAIStrict::problem(request);
        qCWarning(lcStrict).noquote() << "refused" << line;
        if (sink)
            sink(line);
        return *refusal;
    }
    if (OpenAIStrict::isModelsRequest(request))
        return OpenAIReplies::models(modelIds);
    const ScriptedReply reply = next ? next(request) : OpenAIStrict::defaultReply(request);
    return OpenAIReplies::resolvedFor(reply, request.json().value(u"model"_s).toString());
}

} // namespace

namespace OpenAIStrict {

ScriptedReply defaultReply(const RecordedRequest &request)
{
    const QJsonObject body = request.json();
    if (!body.value(u"stream"_s).toBool())
        return OpenAIReplies::completion(u"Hello from upstream"_s);
    const bool usage
        = body.value(u"stream_options"_s).toObject().value(u"include_usage"_s).toBool();
    return OpenAIReplies::stream({u"Hello"_s, u" from"_s, u" upstream"_s}, {}, usage);
}

ScriptedUpstream::Handler handler(ScriptedUpstream::Handler next, const QStringList &modelIds)
{
    return [next = std::move(next), modelIds](const RecordedRequest &request) {
        return answer(request, next, modelIds, {});
    };
}

struct Script::State
{
    QStringList modelIds;
    QMutex mutex;
    QList<ScriptedReply> queue;
    ScriptedUpstream::Handler fallback;
    QStringList problems;
};

Script::Script(const QStringList &modelIds)
    : m_state(std::make_shared<State>())
{
    m_state->modelIds = modelIds;
}

Script::~Script() = default;

void Script::attach(ScriptedUpstream &upstream) const
{
    upstream.setHandler(handler());
}

ScriptedUpstream::Handler Script::handler() const
{
    const std::shared_ptr<State> state = m_state;
    const ScriptedUpstream::Handler next = [state](const RecordedRequest &request) {
        QMutexLocker lock(&state->mutex);
        if (!state->queue.isEmpty())
            return state->queue.takeFirst();
        // A copy, so the fallback runs unlocked and may call back into the Script.
        const ScriptedUpstream::Handler fallback = state->fallback;
        lock.unlock();
        return fallback ? fallback(request) : defaultReply(request);
    };
    const ProblemSink sink = [state](const QString &line) {
        const QMutexLocker lock(&state->mutex);
        state->problems.append(line);
    };
    return [state, next, sink](const RecordedRequest &request) {
        return answer(request, next, state->modelIds, sink);
    };
}

void Script::enqueue(const ScriptedReply &reply, int times)
{
    const QMutexLocker lock(&m_state->mutex);
    for (int i = 0; i < times; ++i)
        m_state->queue.append(reply);
}

void Script::setFallback(ScriptedUpstream::Handler next)
{
    const QMutexLocker lock(&m_state->mutex);
    m_state->fallback = std::move(next);
}

int Script::pendingReplies() const
{
    const QMutexLocker lock(&m_state->mutex);
    return int(m_state->queue.size());
}

void Script::clearReplies()
{
    const QMutexLocker lock(&m_state->mutex);
    m_state->queue.clear();
}

QStringList Script::problems() const
{
    const QMutexLocker lock(&m_state->mutex);
    return m_state->problems;
}

void Script::clearProblems()
{
    const QMutexLocker lock(&m_state->mutex);
    m_state->problems.clear();
}

} // namespace OpenAIStrict
