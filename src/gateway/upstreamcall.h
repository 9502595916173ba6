// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"
#include "gateway/clientrequest.h"

#include <QUrl>

/// Everything needed to send one attempt to an upstream account.
struct UpstreamCall
{
    QByteArray method;
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString upstreamModel; ///< the model after the account's mapping

    /// Builds the call: the account's URL, credential and extra headers, the client's
    /// `anthropic-*` and `x-claude-code-*` headers (never its credential), and the body
    /// untouched unless the model mapping changes the model. Pure.
    static UpstreamCall forAnthropic(const Account &account, const QString &secret,
                                     const ClientRequest &request);
    /// Builds the call for an OpenAI-compatible account: the Messages request converted to
    /// Chat Completions in the account's dialect (ProviderPreset::forAccount), sent to
    /// `{base}/chat/completions` with the account's credential and extra headers; no
    /// Anthropic header goes there. An Invalid error when the request cannot be converted.
    static Result<UpstreamCall> forOpenAI(const Account &account, const QString &secret,
                                          const ClientRequest &request);
    /// `GET {base}/models` of an OpenAI-compatible account (validation).
    static UpstreamCall openAIModels(const Account &account, const QString &secret);
    /// The account's URL for an API path ("/v1/messages"), keeping the account's own path
    /// prefix (e.g. https://proxy.example/anthropic).
    static QUrl endpoint(const Account &account, const QString &apiPath, const QString &query = {});
};
