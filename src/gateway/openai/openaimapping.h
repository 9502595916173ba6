// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

/// What the non-streaming and the streaming converters must decide the same way: stop
/// reasons, usage, matched stop sequences and minted ids. Keeping it in one place is what
/// lets a streamed answer accumulate to exactly the non-streamed one.
class OpenAIMapping final
{
public:
    /// Anthropic `stop_reason` for a Chat Completions `finish_reason`. Some providers
    /// (Ollama, some vLLM models) say "stop" while returning tool calls: that is tool_use,
    /// because the client must run the tools for the turn to go on.
    static QString stopReason(const QString &finishReason, bool hasToolCalls,
                              bool matchedStopSequence);

    /// The stop sequence that ended the answer, when the provider names it (vLLM's
    /// `choices[i].stop_reason`, SGLang's `matched_stop`) and the client asked for it;
    /// empty otherwise.
    static QString matchedStop(const QJsonObject &choice, const QStringList &stopSequences);

    /// Anthropic usage from Chat Completions usage. Anthropic's `input_tokens` excludes cache
    /// reads while OpenAI's `prompt_tokens` includes them, so cached tokens are moved from one
    /// to the other. `cache_read_input_tokens` is only present when the provider reports it
    /// (`prompt_tokens_details.cached_tokens`, or DeepSeek's `prompt_cache_hit_tokens`).
    static QJsonObject usage(const QJsonObject &openaiUsage);
    /// Usage with no numbers yet: input and output 0.
    static QJsonObject emptyUsage();
    /// A JSON number as a token count: its whole part, within 0 and 2^53 (what a JSON number
    /// holds exactly; casting a larger double to an integer is undefined), 0 for a non-number.
    static qint64 count(const QJsonValue &value);

    /// `msg_` + the upstream completion id, or a minted one when the upstream sent none.
    static QString messageId(const QString &upstreamId);
    /// A `toolu_` id for a tool call the upstream sent without one: a hash of the seed, the
    /// message id and the call's index, so the streaming and non-streaming paths agree and
    /// tests can predict it.
    static QString mintToolId(const QString &messageId, int index);
    /// A provider's tool-call id as an Anthropic tool_use id: kept when Anthropic accepts it
    /// (`^[a-zA-Z0-9_-]+$`), else encoded reversibly ("toolu_sb-" + base64url), so a
    /// conversation can move to an Anthropic-format account (Kimi's "functions.f:0" ids).
    static QString anthropicToolId(const QString &upstreamId);
    /// The reverse: the id the provider gave, for tool calls and results sent back to it.
    static QString upstreamToolId(const QString &anthropicId);
    /// Fixes the seed (and resets the message counter) so minted ids are reproducible.
    /// By default the seed is random per process.
    static void setIdSeed(quint64 seed);
};
