// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <utility>

/// Token counts put into a scripted message's `usage`.
struct ScriptedUsage
{
    int inputTokens = 25;
    int outputTokens = 12;
    int cacheCreationInputTokens = 0;
    int cacheReadInputTokens = 0;
};

/// One scripted answer of ScriptedUpstream: an HTTP response, possibly streamed as SSE, and
/// possibly broken on purpose. A plain value: build it with a factory, adjust it with the
/// with…() modifiers or by writing the fields.
///
///     upstream.enqueue(ScriptedReply::rateLimited(30));
///     upstream.enqueue(ScriptedReply::stream({u"Hel"_s, u"lo"_s}).withEventInterval(50ms));
///     upstream.enqueue(ScriptedReply::stream({u"Hel"_s, u"lo"_s}).withPacedEvents());
///     upstream.enqueue(ScriptedReply::resetMidStream(3));
struct ScriptedReply
{
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    /// What goes wrong on purpose.
    enum class Fault {
        None,
        NoAnswer, ///< read the request, never answer, keep the socket open
        ResetBeforeHeaders, ///< reset the connection (RST) instead of answering
        ResetAfterEvents, ///< send faultAfterEvents events, then reset the connection
        HangAfterEvents, ///< send faultAfterEvents events, then nothing; socket stays open
    };

    /// One SSE event; `raw`, when set, is sent verbatim instead (malformed events).
    struct Event
    {
        QByteArray name;
        QJsonObject data;
        QByteArray raw;
    };

    int status = 200;
    /// Sent in this order after the status line. Framing headers (content-length,
    /// transfer-encoding) are added by the server.
    Headers headers;
    /// The body of a Content-Length framed answer.
    QByteArray body;
    /// Chunked transfer encoding, one HTTP chunk per event.
    bool streaming = false;
    QList<Event> events;
    Fault fault = Fault::None;
    int faultAfterEvents = 0;
    /// The message's `model` is left empty and filled from the request when answering.
    bool echoModel = false;
    std::chrono::milliseconds delay { 0 };
    std::chrono::milliseconds eventInterval { 0 };
    /// Each event waits until the test allows it: ScriptedUpstream::allowEvents().
    bool pacedEvents = false;

    // Successful answers. An empty model echoes the request's "model".
    static ScriptedReply json(int status, const QJsonObject &body, const Headers &headers = {});
    static ScriptedReply raw(int status, const QByteArray &contentType, const QByteArray &body,
                             const Headers &headers = {});
    static ScriptedReply message(const QString &text, const QString &model = {},
                                 ScriptedUsage usage = {});
    static ScriptedReply toolUse(const QString &name, const QJsonObject &input,
                                 const QString &model = {}, ScriptedUsage usage = {});
    static ScriptedReply stream(const QStringList &textChunks, const QString &model = {},
                                ScriptedUsage usage = {});
    static ScriptedReply toolUseStream(const QString &name, const QStringList &partialJsonChunks,
                                       const QString &model = {}, ScriptedUsage usage = {});
    /// Any event sequence, e.g. thinking blocks or out-of-order events.
    static ScriptedReply sse(const QList<Event> &events, const Headers &headers = {});

    // Anthropic errors: {"type":"error","error":{"type":..,"message":..},"request_id":"req_…"}
    // with a matching request-id header.
    static ScriptedReply error(int status, const QString &type, const QString &message,
                               const Headers &headers = {});
    /// 401 authentication_error
    static ScriptedReply unauthorized();
    /// 402 billing_error
    static ScriptedReply billing();
    /// 403 permission_error
    static ScriptedReply forbidden();
    /// 429 rate_limit_error with retry-after
    static ScriptedReply rateLimited(int retryAfterSeconds);
    /// 429 with anthropic-ratelimit-requests-reset (RFC 3339) and no retry-after.
    static ScriptedReply rateLimitedUntil(const QDateTime &reset);
    /// 429 (or `status`) whose error.details.error_code is enforced_spend_limit_reached.
    static ScriptedReply spendLimit(int status = 429);
    /// 500 api_error
    static ScriptedReply serverError();
    /// 502 with a text/plain body, as a proxy in front of the API sends.
    static ScriptedReply badGateway();
    /// 503 api_error
    static ScriptedReply unavailable();
    /// 529 overloaded_error
    static ScriptedReply overloaded();
    /// 400 invalid_request_error
    static ScriptedReply badRequest(const QString &message = {});
    /// 404 not_found_error
    static ScriptedReply notFound();

    // Faults.
    static ScriptedReply timeout();
    /// QNetworkAccessManager may resend the request once after this, unseen by its caller:
    /// script the fault for every attempt (enqueue(reply, 2) or a handler).
    static ScriptedReply resetBeforeHeaders();
    /// 200 application/json, body cut off: {"id": "msg_1", "content": [
    static ScriptedReply malformedJson();
    static ScriptedReply resetMidStream(int afterEvents);
    /// After `afterEvents` events an `error` event, then the stream ends cleanly.
    static ScriptedReply
    errorEventMidStream(int afterEvents, const QString &type = QStringLiteral("overloaded_error"));
    static ScriptedReply hangMidStream(int afterEvents);

    // Modifiers.
    /// Replaces a header of the same name (case-insensitive) or appends it.
    [[nodiscard]] ScriptedReply withHeader(const QByteArray &name, const QByteArray &value) const;
    /// Time between reading the request and the first byte of the answer.
    [[nodiscard]] ScriptedReply withDelay(std::chrono::milliseconds before) const;
    [[nodiscard]] ScriptedReply withEventInterval(std::chrono::milliseconds interval) const;
    /// Sends each event only once the test has allowed it (ScriptedUpstream::allowEvents()),
    /// so the test, not the machine's speed, decides what the client can have seen when.
    [[nodiscard]] ScriptedReply withPacedEvents() const;
    [[nodiscard]] ScriptedReply withResetAfterEvents(int count) const;
    [[nodiscard]] ScriptedReply withHangAfterEvents(int count) const;
    /// Keeps the first `count` events, then an `error` event and a clean end.
    [[nodiscard]] ScriptedReply
    withErrorEventAfterEvents(int count,
                              const QString &type = QStringLiteral("overloaded_error")) const;

    /// The value of a header, empty if absent.
    QByteArray header(const QByteArray &name) const;
    /// A copy whose empty `model` fields carry `requestModel` (used by the server).
    ScriptedReply resolvedFor(const QString &requestModel) const;

    static QByteArray encodeEvent(const Event &event);
    static QJsonObject errorObject(const QString &type, const QString &message);
    /// msg_…, req_…, toolu_… style identifiers.
    static QString newId(const QString &prefix);
    static QString defaultModel();
};
