// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "account.h"
#include "clientrequest.h"

#include <QUrl>

/// Everything needed to send one attempt to an Anthropic-format upstream.
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
    /// The account's URL for an API path ("/v1/messages"), keeping the account's own path
    /// prefix (e.g. https://proxy.example/anthropic).
    static QUrl endpoint(const Account &account, const QString &apiPath, const QString &query = {});
};
