// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/providerpreset.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

/// Anthropic `system` + `messages` -> the Chat Completions `messages` array.
///
/// Decisions (see also OpenAIRequest):
/// - `system` as text blocks is joined with "\n\n" into one string: several providers
///   (DeepSeek, older vLLM) reject content arrays in system messages.
/// - A user or system message made only of text becomes a string joined with "\n\n", for
///   the same reason; with images it becomes a parts array.
/// - Images: base64 -> a `data:` URL; a URL source -> the URL when the dialect takes image
///   URLs, else a text part "[image: URL]" (the provider cannot fetch it).
/// - Documents: plain text (base64 text/plain, `text` or `content` sources) -> a text part,
///   headed by the title when there is one; PDFs and URL documents -> a text part saying
///   the document was left out, so the model knows something was there.
/// - `thinking`/`redacted_thinking` in assistant history never carry their signatures to a
///   provider (they mean nothing there). For dialects with `reasoningContent`, the thinking
///   text of a tool-call turn becomes the message's `reasoning_content` (empty when the turn
///   had none: DeepSeek and Kimi in thinking mode refuse a tool-call turn without the
///   field); other providers reject the field, so they get no thinking at all.
/// - `tool_result` -> one `tool` message each, before the rest of the user turn; `is_error`
///   prefixes "Error: "; empty content becomes "(no output)" (some providers reject empty
///   tool messages); images in a result go to the user message that follows.
/// - An assistant message left with neither text nor tool calls is skipped.
/// - Unknown block types (server tool results, search results, …) are dropped.
class OpenAIMessages final
{
    Q_DECLARE_TR_FUNCTIONS(OpenAIMessages)

public:
    static Result<QJsonArray> convert(const QJsonObject &request, const OpenAIDialect &dialect);
};
