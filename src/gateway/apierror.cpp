// SPDX-License-Identifier: GPL-3.0-or-later
#include "apierror.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace ApiError {

QByteArray body(const QString &type, const QString &message)
{
    return QJsonDocument(
               QJsonObject {{u"type"_s, u"error"_s},
                            {u"error"_s, QJsonObject {{u"type"_s, type}, {u"message"_s, message}}}})
        .toJson(QJsonDocument::Compact);
}

} // namespace ApiError
