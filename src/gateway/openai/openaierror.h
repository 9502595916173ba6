// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonValue>
#include <QString>

/// OpenAI-format errors (HTTP bodies and error chunks in streams) -> Anthropic errors, so the
/// failover rules (docs/protocol.md) and the client see what they know.
///
/// Status -> type as ApiError::typeForStatus (503 and 529 -> 529 overloaded_error, other 5xx
/// api_error with the status kept), except `insufficient_quota` -> 402 billing_error: the
/// account is out of credit, waiting will not help. Messages say they come from the
/// provider. A context overflow (`context_length_exceeded`) starts with "prompt is too
/// long", the words Claude clients look for to compact the conversation.
class OpenAIError final
{
    Q_DECLARE_TR_FUNCTIONS(OpenAIError)

public:
    struct Mapped
    {
        int status = 500; ///< the status to answer the client with
        QString type; ///< Anthropic error type, e.g. "rate_limit_error"
        QString message;
    };

    /// An HTTP error answer: `{"error":{"message","type","code"}}`, `{"error":"text"}`,
    /// `{"message":..}`, or not JSON at all (an HTML page from a proxy, plain text).
    static Mapped toAnthropic(int status, const QByteArray &body);
    /// The `error` member of an error chunk inside a stream (no HTTP status there: it comes
    /// from a numeric `code` when the provider gives one, e.g. OpenRouter, else from the type).
    static Mapped fromStreamError(const QJsonValue &error);
    /// `{"type":"error","error":{"type","message"}}`.
    static QByteArray anthropicBody(const Mapped &error);
};
