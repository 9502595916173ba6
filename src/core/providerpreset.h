// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"

#include <QList>
#include <QString>
#include <QUrl>

/// How an OpenAI-compatible provider takes Claude's `thinking` option.
enum class ReasoningStyle {
    None, ///< no reasoning option: `thinking` is dropped
    ReasoningEffort, ///< `reasoning_effort: low|medium|high` (OpenAI, Groq, vLLM, Ollama, …)
    OpenRouter, ///< `reasoning: {max_tokens: N}`
    EnableThinking, ///< `enable_thinking: true, thinking_budget: N` (Qwen / DashScope)
    ThinkingType, ///< `thinking: {type: "enabled"}` (Zhipu GLM, Moonshot Kimi, DeepSeek)
};

/// What an OpenAI-compatible provider accepts and rejects, as the converters need it.
struct OpenAIDialect
{
    /// Removes JSON Schema keywords many providers refuse in tool parameters ($schema,
    /// additionalProperties: false, format, …).
    bool cleanToolSchemas = true;
    ReasoningStyle reasoning = ReasoningStyle::None;
    /// Sends `max_completion_tokens` instead of `max_tokens` (OpenAI's newer models).
    bool maxCompletionTokens = false;
    /// Sends `stream_options: {include_usage: true}` with streaming requests.
    bool streamUsage = true;
    /// Accepts image parts given as http(s) URLs (not only data: URLs).
    bool imageUrls = true;
    /// Wants the assistant's reasoning back as `reasoning_content` on tool-call turns (DeepSeek
    /// and Kimi in thinking mode refuse a tool-call turn without it; Qwen, vLLM and llama.cpp
    /// reasoning parsers take it). Other providers refuse the field.
    bool reasoningContent = false;
};

/// A provider as the account editor offers it: where it lives, how it authenticates and,
/// for OpenAI-compatible ones, its dialect. The one place provider knowledge lives.
struct ProviderPreset
{
    QString id; ///< stable, e.g. "openrouter" or "deepseek-anthropic"
    QString name; ///< the provider's own name, or the generic one in English
    ProviderKind kind = ProviderKind::Anthropic;
    QUrl baseUrl; ///< empty for the "other" presets: the user types one
    AuthStyle authStyle = AuthStyle::XApiKey;
    bool local = false; ///< runs on the user's machine; any key is accepted
    QStringList otherHosts; ///< hosts besides baseUrl's that belong to this provider
    OpenAIDialect dialect;
    /// Suggested model mapping for a new account (Claude names → the provider's models).
    QList<ModelRule> suggestedMapping;

    /// The name to show: the generic presets' in the window's language.
    QString displayName() const;

    /// Every preset, Anthropic-format ones first, each group ending with "Other …".
    static const QList<ProviderPreset> &all();
    static const ProviderPreset *byId(QStringView id);
    /// The preset an account's base URL and kind belong to (host, and port for local
    /// servers); the kind's "other" preset when none matches.
    static const ProviderPreset &forAccount(const Account &account);
    /// The generic preset of a kind ("Other Anthropic-compatible" / "Other OpenAI-compatible").
    static const ProviderPreset &other(ProviderKind kind);
};
