// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

/// A local estimate of a Messages request's input tokens, for count_tokens when no Anthropic
/// account can answer it (only OpenAI-format accounts, or none reachable).
///
/// Method: walk the text the model will read — system, message text, tool_use inputs and
/// tool_result contents as compact JSON, tool names, descriptions and schemas — and weigh
/// each character: ASCII 1/4 token (English prose and code average ~4 characters per token),
/// CJK ideographs, kana and Hangul 1 token each, other characters 1/2 token. Add fixed costs:
/// 1600 per image (Anthropic's cost of an image near its 1.15 megapixel cap; smaller images
/// cost less), per PDF max(1600, decoded bytes / 30), 4 per message and per block, 8 for the
/// system prompt, 20 per tool plus 346 once when tools are present (Anthropic's documented
/// tool-use system prompt).
///
/// Accuracy: it is not Claude's tokenizer, which cannot be measured against here. For
/// English prose and code expect roughly ±15–25 %; heavier errors for unusual text (long
/// digit strings, base64, emoji) and for images, whose real cost depends on their size.
/// Good enough for context-window bookkeeping and compaction decisions; never for billing.
class TokenEstimate final
{
public:
    static qint64 inputTokens(const QJsonObject &anthropicRequest);
    /// The weighted character count of one string (in tokens, rounded up).
    static qint64 textTokens(QStringView text);
};
