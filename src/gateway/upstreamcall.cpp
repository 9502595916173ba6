// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreamcall.h"

#include "core/providerpreset.h"
#include "gateway/openai/openairequest.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

bool forwardedHeader(const QByteArray &name)
{
    return name.startsWith("anthropic-") || name.startsWith("x-claude-code-")
        || name == "user-agent" || name == "x-app";
}

void addCredential(UpstreamCall &call, const Account &account, const QString &secret,
                   const QString &passthroughKey)
{
    for (const auto &[name, value] : account.extraHeaders)
        call.headers.append({name.toLatin1().toLower(), value.toUtf8()});
    const QByteArray credential
        = passthroughKey.isEmpty() ? secret.toUtf8() : passthroughKey.toUtf8();
    if (account.authStyle == AuthStyle::Bearer)
        call.headers.append({"authorization"_ba, "Bearer " + credential});
    else
        call.headers.append({"x-api-key"_ba, credential});
}

} // namespace

QUrl UpstreamCall::endpoint(const Account &account, const QString &apiPath, const QString &query)
{
    QUrl url = account.baseUrl;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + apiPath);
    url.setQuery(query.isEmpty() ? QString() : query);
    return url;
}

UpstreamCall UpstreamCall::forAnthropic(const Account &account, const QString &secret,
                                        const ClientRequest &request)
{
    UpstreamCall call;
    call.method = request.method;
    call.url = endpoint(account, request.path, request.query);
    call.upstreamModel = account.modelMapping.map(request.model);
    if (call.upstreamModel != request.model && !request.json.isEmpty()) {
        QJsonObject json = request.json;
        json.insert(u"model"_s, call.upstreamModel);
        call.body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    } else {
        call.body = request.body;
    }

    bool hasVersion = false;
    for (const auto &[name, value] : request.headers) {
        if (!forwardedHeader(name))
            continue;
        hasVersion = hasVersion || name == "anthropic-version";
        call.headers.append({name, value});
    }
    if (!hasVersion)
        call.headers.append({"anthropic-version"_ba, "2023-06-01"_ba});
    call.headers.append({"content-type"_ba, "application/json"_ba});
    if (request.stream)
        call.headers.append({"accept"_ba, "text/event-stream"_ba});
    addCredential(call, account, secret, request.passthroughKey);
    return call;
}

Result<UpstreamCall> UpstreamCall::forOpenAI(const Account &account, const QString &secret,
                                             const ClientRequest &request)
{
    UpstreamCall call;
    call.upstreamModel = account.modelMapping.map(request.model);
    auto body = OpenAIRequest::fromAnthropic(request.json, call.upstreamModel,
                                             ProviderPreset::forAccount(account).dialect);
    if (!body)
        return body.error();
    call.method = "POST";
    call.url = endpoint(account, u"/chat/completions"_s);
    call.body = QJsonDocument(*body).toJson(QJsonDocument::Compact);
    call.headers.append({"content-type"_ba, "application/json"_ba});
    if (request.stream)
        call.headers.append({"accept"_ba, "text/event-stream"_ba});
    if (const QByteArray agent = request.header("user-agent"); !agent.isEmpty())
        call.headers.append({"user-agent"_ba, agent});
    // Never the client's pass-through key: it is an Anthropic key, useless (and leaked) here.
    addCredential(call, account, secret, {});
    return call;
}

UpstreamCall UpstreamCall::openAIModels(const Account &account, const QString &secret)
{
    UpstreamCall call;
    call.method = "GET";
    call.url = endpoint(account, u"/models"_s);
    addCredential(call, account, secret, {});
    return call;
}
