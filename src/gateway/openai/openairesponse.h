// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

/// Chat Completions (non-streaming) response -> Anthropic message JSON.
///
/// Blocks come in the order thinking (`reasoning_content`, or `reasoning` as OpenRouter
/// names it), text, tool_use. Thinking blocks carry `signature: ""`: foreign reasoning has
/// no Anthropic signature, and the empty field keeps typed SDKs happy. Empty text makes no
/// block, so an empty answer is a message with `content: []` (Anthropic does the same when
/// a stop sequence hits at once); the stream translator does likewise. Tool-call arguments
/// that are empty or not a JSON object become `input: {}`. Ids: `msg_` + the completion id;
/// tool ids are kept, or minted by OpenAIMapping::mintToolId from the call's position.
class OpenAIResponse final
{
    Q_DECLARE_TR_FUNCTIONS(OpenAIResponse)

public:
    /// `model` is what the Anthropic answer names (the client's requested model).
    /// stopSequences: the request's stop_sequences, to report stop_sequence when the provider
    /// says which one matched (vLLM's choices[0].stop_reason, SGLang's matched_stop).
    /// Error::Invalid when the body has no choices (e.g. an error object sent with 200).
    static Result<QJsonObject> toAnthropic(const QJsonObject &completion, const QString &model,
                                           const QStringList &stopSequences);

    /// Text of a Chat Completions `content`: a string, or the text parts of an array.
    static QString contentText(const QJsonValue &content);
    /// Tool-call arguments (a JSON string, or an object some servers send) as an input object.
    static QJsonObject toolInput(const QJsonValue &arguments);
};
