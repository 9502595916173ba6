// SPDX-License-Identifier: GPL-3.0-or-later
#include "relaydebug.h"

#include "core/secretmask.h"
#include "core/usagerecord.h"
#include "gateway/clientrequest.h"

using namespace Qt::StringLiterals;

namespace RelayDebug {

QJsonObject entry(const ClientRequest &request, const UsageRecord &usage,
                  const QByteArray &response)
{
    QJsonObject headers;
    for (const auto &[name, value] : request.headers) {
        const bool secret = name == "x-api-key" || name == "authorization";
        headers.insert(QString::fromLatin1(name),
                       secret ? SecretMask::value(QString::fromLatin1(value))
                              : QString::fromLatin1(value));
    }
    return {
        {u"time"_s, usage.time.toString(Qt::ISODateWithMs)},
        {u"request"_s,
         QJsonObject {{u"method"_s, QString::fromLatin1(request.method)},
                      {u"path"_s, request.path},
                      {u"headers"_s, headers},
                      {u"body"_s, QString::fromUtf8(request.body.left(bodyLimit))}}},
        {u"response"_s,
         QJsonObject {{u"status"_s, usage.status},
                      {u"account"_s, usage.accountName},
                      {u"attempts"_s, usage.path},
                      {u"body"_s, QString::fromUtf8(response)}}},
    };
}

} // namespace RelayDebug
