// SPDX-License-Identifier: GPL-3.0-or-later
#include "relayattempt.h"

#include "gateway/upstreammessage.h"
#include "gateway/upstreamreply.h"

using namespace Qt::StringLiterals;

namespace {

bool relayedHeader(const QByteArray &name)
{
    return name == "request-id" || name == "retry-after" || name.startsWith("anthropic-ratelimit-");
}

} // namespace

UpstreamOutcome RelayAttempt::outcome(const UpstreamReply &reply) const
{
    UpstreamOutcome outcome;
    outcome.status = reply.status();
    outcome.headers = reply.headers();
    if (outcome.status >= 400) {
        // An OpenAI error is converted later (MessageRelay::convertOpenAIOutcome).
        outcome.body = openAI ? UpstreamMessage::masked(body, credential)
                              : UpstreamMessage::clientBody(outcome.status, body, credential);
    } else {
        outcome.body = body.isValidUtf8() ? body : QString::fromUtf8(body).toUtf8();
    }
    // What is relayed of it is JSON, whatever the upstream called it.
    if (!sse && !outcome.header("content-type").contains("json")) {
        outcome.headers.removeIf([](const auto &header) { return header.first == "content-type"; });
        outcome.headers.append({"content-type"_ba, "application/json"_ba});
    }
    outcome.networkError = reply.errorString();
    if (timedOut)
        outcome.transport = UpstreamOutcome::Transport::Timeout;
    else if (outcome.status == 0)
        outcome.transport
            = reply.hasError() ? reply.transport() : UpstreamOutcome::Transport::Reset;
    return outcome;
}

void RelayAttempt::takeUsage(const QJsonObject &usage)
{
    if (usage.isEmpty()) // most events
        return;
    auto take = [&](const char16_t *field, qint64 &target) {
        if (usage.contains(field))
            target = usage.value(field).toInteger();
    };
    take(u"input_tokens", tokens.input);
    take(u"output_tokens", tokens.output);
    take(u"cache_read_input_tokens", tokens.cacheRead);
    take(u"cache_creation_input_tokens", tokens.cacheWrite);
}

ClientWriter::Headers
RelayAttempt::relayedHeaders(const QList<QPair<QByteArray, QByteArray>> &upstream) const
{
    ClientWriter::Headers headers;
    for (const auto &[name, value] : upstream) {
        const QByteArray lower = name.toLower();
        if (relayedHeader(lower))
            headers.append({lower, value});
        else if (lower == "x-request-id" && openAI) // OpenAI's name for it
            headers.append({"request-id"_ba, value});
    }
    headers.append({"x-switchboard-account"_ba, accountName.toUtf8()});
    return headers;
}
