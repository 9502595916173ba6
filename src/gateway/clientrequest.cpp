// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientrequest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

QByteArray ClientRequest::header(const QByteArray &lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

QString ClientRequest::stickyKeyFor(const QByteArray &sessionHeader, const QJsonObject &body)
{
    if (!sessionHeader.trimmed().isEmpty())
        return u"session:"_s + QString::fromLatin1(sessionHeader.trimmed());
    const QString user = body.value(u"metadata").toObject().value(u"user_id").toString();
    if (!user.isEmpty())
        return u"user:"_s + user;
    // The start of a conversation identifies it: the system prompt and the first user turn.
    QJsonArray start;
    start.append(body.value(u"system"));
    const QJsonArray messages = body.value(u"messages").toArray();
    for (const QJsonValue &m : messages) {
        if (m.toObject().value(u"role").toString() == u"user") {
            start.append(m.toObject().value(u"content"));
            break;
        }
    }
    if (messages.isEmpty())
        return {};
    const QByteArray digest = QCryptographicHash::hash(
        QJsonDocument(start).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256);
    return u"prompt:"_s + QString::fromLatin1(digest.toHex().left(32));
}
