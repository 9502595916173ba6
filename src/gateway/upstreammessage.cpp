// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreammessage.h"

#include "core/secretmask.h"
#include "gateway/apierror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

QByteArray validUtf8(const QByteArray &bytes)
{
    return bytes.isValidUtf8() ? bytes : QString::fromUtf8(bytes).toUtf8();
}

QString bounded(const QString &text)
{
    const QString simple = text.simplified();
    return simple.size() > UpstreamMessage::maxChars ? simple.left(UpstreamMessage::maxChars) + u'…'
                                                     : simple;
}

/// The words an error object carries, or an empty string.
QString jsonMessage(const QJsonObject &object)
{
    const QJsonValue error = object.value(u"error");
    if (error.isString())
        return error.toString();
    for (const QJsonValue &value :
         {error.toObject().value(u"message"), object.value(u"message"), object.value(u"detail")}) {
        if (value.isString() && !value.toString().trimmed().isEmpty())
            return value.toString();
    }
    return {};
}

QString htmlText(const QString &html)
{
    static const QRegularExpression title(u"<title[^>]*>([^<]*)</title>"_s,
                                          QRegularExpression::CaseInsensitiveOption);
    if (const QRegularExpressionMatch match = title.match(html);
        match.hasMatch() && !match.captured(1).trimmed().isEmpty())
        return match.captured(1);
    static const QRegularExpression hidden(u"<(script|style)\\b.*?</\\1>"_s,
                                           QRegularExpression::CaseInsensitiveOption
                                               | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tag(u"<[^>]*>"_s);
    const QString text = QString(html).remove(hidden).replace(tag, u" "_s).simplified();
    return text.isEmpty() ? UpstreamMessage::tr("an HTML page") : text;
}

QJsonValue maskedValue(const QJsonValue &value, const QString &secret, bool &changed)
{
    if (value.isString()) {
        const QString masked = SecretMask::text(value.toString(), secret);
        changed = changed || masked != value.toString();
        return masked;
    }
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(maskedValue(item, secret, changed));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object;
        const QJsonObject source = value.toObject();
        for (auto it = source.begin(); it != source.end(); ++it)
            object.insert(it.key(), maskedValue(it.value(), secret, changed));
        return object;
    }
    return value;
}

} // namespace

QString UpstreamMessage::summary(const QByteArray &body, const QString &secret)
{
    const QByteArray trimmed = validUtf8(body).trimmed();
    QString text;
    if (const QJsonDocument doc = QJsonDocument::fromJson(trimmed); doc.isObject())
        text = jsonMessage(doc.object());
    if (text.isEmpty()) {
        text = QString::fromUtf8(trimmed);
        if (text.startsWith(u'<'))
            text = htmlText(text);
    }
    // Masked before the cut, so a cut cannot leave a key too short to be recognised.
    return bounded(SecretMask::text(text, secret));
}

QString UpstreamMessage::describe(int status, const QByteArray &body, const QString &secret)
{
    const QString text = summary(body, secret);
    return text.isEmpty() ? tr("HTTP %1 with no details").arg(status) : text;
}

QByteArray UpstreamMessage::clientBody(int status, const QByteArray &body, const QString &secret)
{
    const QByteArray valid = validUtf8(body);
    const QJsonObject json = QJsonDocument::fromJson(valid).object();
    const QJsonObject error = json.value(u"error").toObject();
    if (json.value(u"type").toString() == u"error" && error.value(u"type").isString()
        && error.value(u"message").isString())
        return masked(valid, secret);
    return ApiError::body(ApiError::typeForStatus(status), describe(status, body, secret));
}

QByteArray UpstreamMessage::masked(const QByteArray &body, const QString &secret)
{
    const QByteArray valid = validUtf8(body);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(valid, &error);
    if (error.error == QJsonParseError::NoError) {
        bool changed = false;
        const QJsonValue masked = maskedValue(
            doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array()), secret, changed);
        if (!changed)
            return valid;
        return (masked.isObject() ? QJsonDocument(masked.toObject())
                                  : QJsonDocument(masked.toArray()))
            .toJson(QJsonDocument::Compact);
    }
    const QString text = QString::fromUtf8(valid);
    const QString masked = SecretMask::text(text, secret);
    return masked == text ? valid : masked.toUtf8();
}
