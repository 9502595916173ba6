// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "gateway/clientwriter.h"
#include "gateway/openai/openaistream.h"
#include "gateway/sse.h"
#include "gateway/streamgate.h"
#include "gateway/upstreamoutcome.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QUuid>

#include <optional>

class UpstreamReply;

/// One try of one account for a request: what the relay learns while it runs. Every try
/// starts from a fresh value, so nothing of a failed one carries over to the next.
struct RelayAttempt
{
    QUuid account;
    QString accountName;
    bool openAI = false; ///< the account speaks Chat Completions
    QString credential; ///< the key sent: masked out of whatever the upstream answers
    int status = 0; ///< the upstream's HTTP status; 0 until its status line arrived
    bool sse = false; ///< a 200 event stream
    bool timedOut = false; ///< the upstream sent nothing for too long
    QByteArray body; ///< a non-stream answer as far as it arrived
    SseParser parser;
    StreamGate gate;
    std::optional<OpenAIStreamTranslator> translator; ///< an OpenAI account's stream
    TokenCounts tokens; ///< what this attempt's answer reported

    /// A stream whose content has not begun: the client has seen nothing of it.
    bool isHolding() const { return sse && !gate.isCommitted(); }
    /// What the attempt produced for the classifier and the client, `reply` being its
    /// finished exchange (docs/protocol.md, "What clients get"): an error body in Anthropic's
    /// format with the credential masked (UpstreamMessage::clientBody(); an OpenAI one
    /// masked, for converting), any other valid UTF-8, typed as JSON.
    UpstreamOutcome outcome(const UpstreamReply &reply) const;
    /// Takes the counts an Anthropic `usage` object has; those it lacks stay as they are.
    void takeUsage(const QJsonObject &usage);
    /// The upstream headers the client gets (request id, rate limits), plus the account.
    ClientWriter::Headers
    relayedHeaders(const QList<QPair<QByteArray, QByteArray>> &upstream) const;
};
