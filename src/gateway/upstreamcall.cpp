// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreamcall.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

bool forwardedHeader(const QByteArray &name)
{
    return name.startsWith("anthropic-") || name.startsWith("x-claude-code-")
        || name == "user-agent" || name == "x-app";
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
    for (const auto &[name, value] : account.extraHeaders)
        call.headers.append({name.toLatin1().toLower(), value.toUtf8()});
    const QByteArray credential
        = request.passthroughKey.isEmpty() ? secret.toUtf8() : request.passthroughKey.toUtf8();
    if (account.authStyle == AuthStyle::Bearer)
        call.headers.append({"authorization"_ba, "Bearer " + credential});
    else
        call.headers.append({"x-api-key"_ba, credential});
    return call;
}
