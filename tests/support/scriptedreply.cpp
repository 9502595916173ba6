// SPDX-License-Identifier: GPL-3.0-or-later
#include "scriptedreply.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>

using namespace Qt::StringLiterals;

namespace {

constexpr QByteArrayView jsonType = "application/json";

QJsonObject usageObject(const ScriptedUsage &usage, int outputTokens)
{
    return QJsonObject {
        { u"input_tokens"_s, usage.inputTokens },
        { u"output_tokens"_s, outputTokens },
        { u"cache_creation_input_tokens"_s, usage.cacheCreationInputTokens },
        { u"cache_read_input_tokens"_s, usage.cacheReadInputTokens },
    };
}

QJsonObject messageObject(const QString &model, const QJsonArray &content,
                          const QJsonValue &stopReason, const QJsonObject &usage)
{
    return QJsonObject {
        { u"id"_s, ScriptedReply::newId(u"msg_"_s) },
        { u"type"_s, u"message"_s },
        { u"role"_s, u"assistant"_s },
        { u"model"_s, model },
        { u"content"_s, content },
        { u"stop_reason"_s, stopReason },
        { u"stop_sequence"_s, QJsonValue::Null },
        { u"usage"_s, usage },
    };
}

ScriptedReply::Event event(const QString &type, QJsonObject data = {})
{
    data.insert(u"type"_s, type);
    return { type.toUtf8(), data, {} };
}

// The events of one streamed content block at index 0, framed by message events.
ScriptedReply streamOf(const QJsonObject &block, const QString &deltaType,
                       const QString &deltaField, const QStringList &chunks,
                       const QString &stopReason, const QString &model, const ScriptedUsage &usage)
{
    ScriptedReply r;
    r.streaming = true;
    r.echoModel = model.isEmpty();
    r.headers = { { "content-type"_ba, "text/event-stream"_ba },
                  { "cache-control"_ba, "no-cache"_ba },
                  { "request-id"_ba, ScriptedReply::newId(u"req_"_s).toUtf8() } };
    // Like the real API, message_start counts one output token so far.
    r.events.append(
        event(u"message_start"_s,
              { { u"message"_s,
                  messageObject(model, QJsonArray(), QJsonValue::Null, usageObject(usage, 1)) } }));
    r.events.append(event(u"ping"_s));
    r.events.append(
        event(u"content_block_start"_s, { { u"index"_s, 0 }, { u"content_block"_s, block } }));
    for (const QString &chunk : chunks) {
        const QJsonObject delta { { u"type"_s, deltaType }, { deltaField, chunk } };
        r.events.append(
            event(u"content_block_delta"_s, { { u"index"_s, 0 }, { u"delta"_s, delta } }));
    }
    r.events.append(event(u"content_block_stop"_s, { { u"index"_s, 0 } }));
    const QJsonObject delta { { u"stop_reason"_s, stopReason },
                              { u"stop_sequence"_s, QJsonValue::Null } };
    r.events.append(
        event(u"message_delta"_s,
              { { u"delta"_s, delta },
                { u"usage"_s, QJsonObject { { u"output_tokens"_s, usage.outputTokens } } } }));
    r.events.append(event(u"message_stop"_s));
    return r;
}

ScriptedReply defaultStream()
{
    return ScriptedReply::stream({ u"Hello"_s, u" from"_s, u" upstream"_s });
}

} // namespace

QString ScriptedReply::newId(const QString &prefix)
{
    static constexpr char alphabet[]
        = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id = prefix + u"01"_s;
    for (int i = 0; i < 22; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(int(sizeof alphabet - 1))]);
    return id;
}

QString ScriptedReply::defaultModel()
{
    return u"claude-sonnet-4-5"_s;
}

QJsonObject ScriptedReply::errorObject(const QString &type, const QString &message)
{
    return QJsonObject { { u"type"_s, type }, { u"message"_s, message } };
}

QByteArray ScriptedReply::encodeEvent(const Event &event)
{
    if (!event.raw.isEmpty())
        return event.raw;
    return "event: "_ba + event.name + "\ndata: "_ba
        + QJsonDocument(event.data).toJson(QJsonDocument::Compact) + "\n\n"_ba;
}

ScriptedReply ScriptedReply::json(int status, const QJsonObject &body, const Headers &headers)
{
    return raw(status, jsonType.toByteArray(), QJsonDocument(body).toJson(QJsonDocument::Compact),
               headers);
}

ScriptedReply ScriptedReply::raw(int status, const QByteArray &contentType, const QByteArray &body,
                                 const Headers &headers)
{
    ScriptedReply r;
    r.status = status;
    r.headers = { { "content-type"_ba, contentType } };
    r.body = body;
    for (const auto &[name, value] : headers)
        r = r.withHeader(name, value);
    return r;
}

ScriptedReply ScriptedReply::message(const QString &text, const QString &model, ScriptedUsage usage)
{
    const QJsonArray content { QJsonObject { { u"type"_s, u"text"_s }, { u"text"_s, text } } };
    ScriptedReply r = json(
        200, messageObject(model, content, u"end_turn"_s, usageObject(usage, usage.outputTokens)),
        { { "request-id"_ba, newId(u"req_"_s).toUtf8() } });
    r.echoModel = model.isEmpty();
    return r;
}

ScriptedReply ScriptedReply::toolUse(const QString &name, const QJsonObject &input,
                                     const QString &model, ScriptedUsage usage)
{
    const QJsonArray content { QJsonObject { { u"type"_s, u"tool_use"_s },
                                             { u"id"_s, newId(u"toolu_"_s) },
                                             { u"name"_s, name },
                                             { u"input"_s, input } } };
    ScriptedReply r = json(
        200, messageObject(model, content, u"tool_use"_s, usageObject(usage, usage.outputTokens)),
        { { "request-id"_ba, newId(u"req_"_s).toUtf8() } });
    r.echoModel = model.isEmpty();
    return r;
}

ScriptedReply ScriptedReply::stream(const QStringList &textChunks, const QString &model,
                                    ScriptedUsage usage)
{
    const QJsonObject block { { u"type"_s, u"text"_s }, { u"text"_s, u""_s } };
    return streamOf(block, u"text_delta"_s, u"text"_s, textChunks, u"end_turn"_s, model, usage);
}

ScriptedReply ScriptedReply::toolUseStream(const QString &name,
                                           const QStringList &partialJsonChunks,
                                           const QString &model, ScriptedUsage usage)
{
    const QJsonObject block { { u"type"_s, u"tool_use"_s },
                              { u"id"_s, newId(u"toolu_"_s) },
                              { u"name"_s, name },
                              { u"input"_s, QJsonObject() } };
    return streamOf(block, u"input_json_delta"_s, u"partial_json"_s, partialJsonChunks,
                    u"tool_use"_s, model, usage);
}

ScriptedReply ScriptedReply::sse(const QList<Event> &events, const Headers &headers)
{
    ScriptedReply r;
    r.streaming = true;
    r.headers
        = { { "content-type"_ba, "text/event-stream"_ba }, { "cache-control"_ba, "no-cache"_ba } };
    for (const auto &[name, value] : headers)
        r = r.withHeader(name, value);
    r.events = events;
    return r;
}

ScriptedReply ScriptedReply::error(int status, const QString &type, const QString &message,
                                   const Headers &headers)
{
    const QString requestId = newId(u"req_"_s);
    const QJsonObject body { { u"type"_s, u"error"_s },
                             { u"error"_s, errorObject(type, message) },
                             { u"request_id"_s, requestId } };
    ScriptedReply r = json(status, body, { { "request-id"_ba, requestId.toUtf8() } });
    for (const auto &[name, value] : headers)
        r = r.withHeader(name, value);
    return r;
}

ScriptedReply ScriptedReply::unauthorized()
{
    return error(401, u"authentication_error"_s, u"invalid x-api-key"_s);
}

ScriptedReply ScriptedReply::billing()
{
    return error(402, u"billing_error"_s,
                 u"Your credit balance is too low to access the Anthropic API."_s);
}

ScriptedReply ScriptedReply::forbidden()
{
    return error(403, u"permission_error"_s,
                 u"Your API key does not have permission to use the specified resource."_s);
}

ScriptedReply ScriptedReply::rateLimited(int retryAfterSeconds)
{
    return error(429, u"rate_limit_error"_s,
                 u"This request would exceed the rate limit for your organization."_s,
                 { { "retry-after"_ba, QByteArray::number(retryAfterSeconds) } });
}

ScriptedReply ScriptedReply::rateLimitedUntil(const QDateTime &reset)
{
    const QByteArray when = reset.toUTC().toString(Qt::ISODate).toUtf8();
    return error(429, u"rate_limit_error"_s,
                 u"This request would exceed the rate limit for your organization."_s,
                 { { "anthropic-ratelimit-requests-limit"_ba, "50"_ba },
                   { "anthropic-ratelimit-requests-remaining"_ba, "0"_ba },
                   { "anthropic-ratelimit-requests-reset"_ba, when } });
}

ScriptedReply ScriptedReply::spendLimit(int status)
{
    const QString requestId = newId(u"req_"_s);
    QJsonObject error = errorObject(u"rate_limit_error"_s,
                                    u"You have reached your specified API usage limits. "
                                    "You will regain access on the first of next month."_s);
    error.insert(u"details"_s,
                 QJsonObject { { u"error_code"_s, u"enforced_spend_limit_reached"_s } });
    return json(
        status,
        { { u"type"_s, u"error"_s }, { u"error"_s, error }, { u"request_id"_s, requestId } },
        { { "request-id"_ba, requestId.toUtf8() } });
}

ScriptedReply ScriptedReply::serverError()
{
    return error(500, u"api_error"_s, u"Internal server error"_s);
}

ScriptedReply ScriptedReply::badGateway()
{
    return raw(502, "text/plain; charset=UTF-8"_ba, "error code: 502"_ba);
}

ScriptedReply ScriptedReply::unavailable()
{
    return error(503, u"api_error"_s, u"Service unavailable"_s);
}

ScriptedReply ScriptedReply::overloaded()
{
    return error(529, u"overloaded_error"_s, u"Overloaded"_s);
}

ScriptedReply ScriptedReply::badRequest(const QString &message)
{
    return error(400, u"invalid_request_error"_s,
                 message.isEmpty() ? u"max_tokens: Field required"_s : message);
}

ScriptedReply ScriptedReply::notFound()
{
    return error(404, u"not_found_error"_s, u"model: no-such-model"_s);
}

ScriptedReply ScriptedReply::timeout()
{
    ScriptedReply r;
    r.fault = Fault::NoAnswer;
    return r;
}

ScriptedReply ScriptedReply::resetBeforeHeaders()
{
    ScriptedReply r;
    r.fault = Fault::ResetBeforeHeaders;
    return r;
}

ScriptedReply ScriptedReply::malformedJson()
{
    return raw(200, jsonType.toByteArray(), R"({"id": "msg_1", "content": [)"_ba);
}

ScriptedReply ScriptedReply::resetMidStream(int afterEvents)
{
    return defaultStream().withResetAfterEvents(afterEvents);
}

ScriptedReply ScriptedReply::errorEventMidStream(int afterEvents, const QString &type)
{
    return defaultStream().withErrorEventAfterEvents(afterEvents, type);
}

ScriptedReply ScriptedReply::hangMidStream(int afterEvents)
{
    return defaultStream().withHangAfterEvents(afterEvents);
}

ScriptedReply ScriptedReply::withHeader(const QByteArray &name, const QByteArray &value) const
{
    ScriptedReply r = *this;
    for (auto &header : r.headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return r;
        }
    }
    r.headers.append({ name, value });
    return r;
}

ScriptedReply ScriptedReply::withDelay(std::chrono::milliseconds before) const
{
    ScriptedReply r = *this;
    r.delay = before;
    return r;
}

ScriptedReply ScriptedReply::withEventInterval(std::chrono::milliseconds interval) const
{
    ScriptedReply r = *this;
    r.eventInterval = interval;
    return r;
}

ScriptedReply ScriptedReply::withPacedEvents() const
{
    ScriptedReply r = *this;
    r.pacedEvents = true;
    return r;
}

ScriptedReply ScriptedReply::withResetAfterEvents(int count) const
{
    ScriptedReply r = *this;
    r.fault = Fault::ResetAfterEvents;
    r.faultAfterEvents = count;
    return r;
}

ScriptedReply ScriptedReply::withHangAfterEvents(int count) const
{
    ScriptedReply r = *this;
    r.fault = Fault::HangAfterEvents;
    r.faultAfterEvents = count;
    return r;
}

ScriptedReply ScriptedReply::withErrorEventAfterEvents(int count, const QString &type) const
{
    ScriptedReply r = *this;
    r.streaming = true;
    r.events = r.events.mid(0, count);
    const QString message = type == u"overloaded_error"_s ? u"Overloaded"_s : u"Upstream error"_s;
    r.events.append(event(u"error"_s, { { u"error"_s, errorObject(type, message) } }));
    return r;
}

QByteArray ScriptedReply::header(const QByteArray &name) const
{
    for (const auto &[n, value] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ScriptedReply ScriptedReply::resolvedFor(const QString &requestModel) const
{
    if (!echoModel)
        return *this;
    const QString model = requestModel.isEmpty() ? defaultModel() : requestModel;
    ScriptedReply r = *this;
    r.echoModel = false;
    if (!r.streaming) {
        QJsonObject object = QJsonDocument::fromJson(r.body).object();
        object.insert(u"model"_s, model);
        r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    }
    for (Event &e : r.events) {
        if (e.name != "message_start")
            continue;
        QJsonObject message = e.data.value(u"message"_s).toObject();
        message.insert(u"model"_s, model);
        e.data.insert(u"message"_s, message);
    }
    return r;
}
