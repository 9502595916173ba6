// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/providerpreset.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QJsonObject>

/// Anthropic Messages request JSON -> Chat Completions request JSON.
///
/// Only fields a Chat Completions server knows are written, and never a null: `model`,
/// `messages`, `max_tokens`|`max_completion_tokens`, `temperature`, `top_p`, `stop`,
/// `stream`, `stream_options`, `tools`, `tool_choice`, `parallel_tool_calls` and the
/// dialect's reasoning field. Dropped: `top_k`, `metadata`, `cache_control`,
/// `context_management`, `output_config`, `service_tier`, `container`, `mcp_servers`,
/// `betas` and anything else unknown.
///
/// - Tools: server tools (a `type` other than "custom") are dropped; `input_schema` goes
///   through ToolSchema::clean when the dialect asks. `tool_choice` and
///   `parallel_tool_calls` are only sent with at least one tool (OpenAI rejects them alone).
/// - `stop_sequences` -> `stop`, at most 4 (OpenAI's limit; the rest are dropped).
/// - `thinking: enabled` -> by ReasoningStyle: ReasoningEffort low (< 4096 budget), medium
///   (< 16384) or high; OpenRouter `reasoning: {max_tokens}`; EnableThinking
///   `enable_thinking: true, thinking_budget`; ThinkingType `thinking: {type: enabled}`.
///   `thinking: disabled` -> `enable_thinking: false` / `thinking: {type: disabled}` for the
///   two styles whose models think by default, nothing otherwise.
/// Messages: see OpenAIMessages.
class OpenAIRequest final
{
    Q_DECLARE_TR_FUNCTIONS(OpenAIRequest)

public:
    /// upstreamModel: the model to send (already mapped). Error::Invalid with a clear message
    /// when the Anthropic request cannot be converted (e.g. messages not an array, tool_use
    /// without id).
    static Result<QJsonObject> fromAnthropic(const QJsonObject &request,
                                             const QString &upstreamModel,
                                             const OpenAIDialect &dialect);
};
