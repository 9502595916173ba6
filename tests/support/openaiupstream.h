// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/scriptedreply.h"
#include "support/scriptedupstream.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

/// Chat Completions answers for ScriptedUpstream, in the OpenAI wire format.
///
/// Streams are `data: JSON` SSE events without an `event:` line, ended by `data: [DONE]`;
/// each event's JSON is also kept in ScriptedReply::Event::data, so the usual modifiers
/// (withEventInterval(), withResetAfterEvents(), withHangAfterEvents()) count chunks.
///
/// An empty `model` echoes the request's model. ScriptedUpstream does that itself for JSON
/// bodies only: streams are resolved by OpenAIStrict::handler() and OpenAIStrict::Script,
/// and carry defaultModel() when enqueued on the ScriptedUpstream directly.
namespace OpenAIReplies {

/// One function call the assistant makes. An empty id gets a fresh "call_…" one.
struct ToolCall
{
    QString id;
    QString name;
    QJsonObject arguments;
};

/// {"id":"chatcmpl-…","object":"chat.completion",…,"choices":[{"message":{"role":"assistant",
/// "content":text},"finish_reason":"stop"}],"usage":{…,"prompt_tokens_details":{"cached_tokens"}}}
ScriptedReply completion(const QString &text, const QString &model = {}, int promptTokens = 25,
                         int completionTokens = 12, int cachedTokens = 0);
/// finish_reason "tool_calls"; each call's arguments serialised to a JSON string; content is
/// null when `text` is empty.
ScriptedReply toolCalls(const QList<ToolCall> &calls, const QString &text = {},
                        const QString &model = {});
/// "chat.completion.chunk"s: {role:"assistant",content:""}, one per piece, an empty delta with
/// finish_reason "stop", then (includeUsage) a usage-only chunk with "choices":[] (the other
/// chunks then carry "usage":null, as OpenAI sends them), then (done) `data: [DONE]`.
ScriptedReply stream(const QStringList &textPieces, const QString &model = {},
                     bool includeUsage = true, bool done = true);
/// Optional text pieces, then per call a first piece {index, id, type:"function",
/// function:{name, arguments:""}} and its arguments string in `argumentPieces` fragments
/// (fewer when the string is shorter); finish_reason "tool_calls"; usage chunk; [DONE].
/// Without text the first tool-call chunk carries role "assistant" and content null.
ScriptedReply toolCallStream(const QList<ToolCall> &calls, const QStringList &textPiecesBefore = {},
                             int argumentPieces = 3, const QString &model = {});
/// DeepSeek style: delta.reasoning_content pieces (content null), then content pieces
/// (reasoning_content null); usage counts completion_tokens_details.reasoning_tokens.
ScriptedReply reasoningStream(const QStringList &reasoningPieces, const QStringList &textPieces,
                              const QString &model = {});
/// Any chunk sequence, sent as given (no model echo), then `data: [DONE]` when `done`.
ScriptedReply chunks(const QList<QJsonObject> &chunks, bool done = true);
/// One chunk of `id`/`model` whose only choice carries `delta` and `finishReason` (null when
/// empty): a building block for chunks().
QJsonObject chunk(const QString &id, const QString &model, const QJsonObject &delta,
                  const QString &finishReason = {});

/// {"error":{"message","type","param":null,"code"}} (code null when empty), with an
/// x-request-id header.
ScriptedReply error(int status, const QString &type, const QString &message,
                    const QString &code = {});
/// 401 invalid_request_error / invalid_api_key
ScriptedReply unauthorized();
/// 429 type "requests", code "rate_limit_exceeded", retry-after and x-ratelimit-* headers.
ScriptedReply rateLimited(int retryAfterSeconds);
/// 429 type and code "insufficient_quota": retrying does not help.
ScriptedReply insufficientQuota();
/// 500 server_error
ScriptedReply serverError();
/// 503 server_error ("overloaded or not ready yet")
ScriptedReply unavailable();
/// A stream of `afterPieces` content chunks ("Hello", " from", " upstream", " more", …), then
/// `data: {"error":{"message",…}}` and the end, no [DONE] (OpenRouter reports late provider
/// failures this way, after a 200).
ScriptedReply errorChunkMidStream(int afterPieces, const QString &message);
/// GET /models: {"object":"list","data":[{"id","object":"model","created","owned_by"}]}
ScriptedReply models(const QStringList &ids);

/// A copy whose model fields (body and every chunk) carry `requestModel`, if `reply` was made
/// to echo it; used by OpenAIStrict, call it when answering from a handler of your own.
ScriptedReply resolvedFor(const ScriptedReply &reply, const QString &requestModel);
/// What an echoing stream carries when nothing resolves it: "gpt-test".
QString defaultModel();

} // namespace OpenAIReplies

/// A strict fake of the Chat Completions endpoint: refuses what the real API refuses
/// (unknown fields, broken tool-call sequences, nulls, out-of-range values) so gateway tests
/// catch requests that would break real OpenAI-compatible peers.
///
///     OpenAIStrict::Script openai;
///     openai.attach(upstream);
///     openai.enqueue(OpenAIReplies::toolCalls({{u"call_1"_s, u"get_weather"_s, args}}));
///     ... drive the gateway ...
///     QVERIFY2(openai.problems().isEmpty(), qPrintable(openai.problems().join(u'\n')));
///
/// Replies enqueued on the ScriptedUpstream itself come before any handler and bypass the
/// check: enqueue on the Script instead, which checks every request first.
namespace OpenAIStrict {

/// Why the real API would refuse this request; empty if it would accept it. Only
/// POST …/chat/completions and GET …/models exist; both need `authorization: Bearer …`; a
/// completion request needs a JSON object body whose every field passes (see the rules at
/// the top of openaistrict.cpp). Messages name the offending field's path:
/// "messages[2].tool_call_id: no assistant tool call with id call_9 precedes it"; unknown
/// top-level fields give OpenAI's "Unrecognized request argument supplied: NAME".
QString problem(const RecordedRequest &request);

/// The answer the real API gives instead, if problem() finds one: 404 "Invalid URL (…)" for
/// another path or method, 401 without a bearer key, else 400; all of type
/// invalid_request_error, with problem() as message and, for a 400 about one field, that
/// field's path as `param`.
std::optional<ScriptedReply> refusal(const RecordedRequest &request);

/// True for GET …/models.
bool isModelsRequest(const RecordedRequest &request);

/// The default answer to a valid request: completion() or, for "stream": true, stream() of
/// "Hello from upstream", with a usage chunk only if stream_options.include_usage asked for it.
ScriptedReply defaultReply(const RecordedRequest &request);

/// A ScriptedUpstream handler: a request problem() refuses gets refusal() (and a
/// "switchboard.test.openai" warning); GET …/models gets models(modelIds); every other
/// request `next(request)` (default: defaultReply()), its model echo resolved.
ScriptedUpstream::Handler handler(ScriptedUpstream::Handler next = {},
                                  const QStringList &modelIds = {QStringLiteral("gpt-test")});

/// A reply queue behind the strict check, installed as the upstream's handler. Queued replies
/// answer, in order, only Chat Completions requests that pass the check; refused requests
/// leave the queue alone and are listed in problems(). Once the queue is empty the fallback
/// answers (default: defaultReply()). GET …/models with a key always gets the model list.
///
/// Thread safety: every method may be called from any thread; the handler keeps the state
/// alive, so the Script may go before the upstream.
class Script final
{
    Q_DISABLE_COPY_MOVE(Script)

public:
    explicit Script(const QStringList &modelIds = {QStringLiteral("gpt-test")});
    ~Script();

    /// Installs handler() on `upstream`, replacing its handler.
    void attach(ScriptedUpstream &upstream) const;
    ScriptedUpstream::Handler handler() const;

    void enqueue(const ScriptedReply &reply, int times = 1);
    /// Answers valid requests once the queue is empty; an empty function restores the default.
    void setFallback(ScriptedUpstream::Handler next);
    int pendingReplies() const;
    void clearReplies();

    /// One line per refused request, "METHOD PATH: problem", in arrival order.
    QStringList problems() const;
    void clearProblems();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace OpenAIStrict
