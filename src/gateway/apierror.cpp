// SPDX-License-Identifier: GPL-3.0-or-later
#include "apierror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

struct TypeStatus
{
    QStringView type;
    int status;
};

constexpr TypeStatus table[] = {
    {u"invalid_request_error", 400}, {u"authentication_error", 401}, {u"billing_error", 402},
    {u"permission_error", 403},      {u"not_found_error", 404},      {u"request_too_large", 413},
    {u"rate_limit_error", 429},      {u"api_error", 500},            {u"timeout_error", 504},
    {u"overloaded_error", 529},
};

} // namespace

namespace ApiError {

QByteArray body(const QString &type, const QString &message)
{
    return QJsonDocument(
               QJsonObject {{u"type"_s, u"error"_s},
                            {u"error"_s, QJsonObject {{u"type"_s, type}, {u"message"_s, message}}}})
        .toJson(QJsonDocument::Compact);
}

int statusForType(QStringView type, int unknown)
{
    for (const TypeStatus &entry : table) {
        if (entry.type == type)
            return entry.status;
    }
    return unknown;
}

QString typeForStatus(int status)
{
    if (status == 503)
        status = 529;
    for (const TypeStatus &entry : table) {
        if (entry.status == status)
            return entry.type.toString();
    }
    return status >= 400 && status < 500 ? u"invalid_request_error"_s : u"api_error"_s;
}

} // namespace ApiError
