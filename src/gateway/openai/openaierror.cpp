// SPDX-License-Identifier: GPL-3.0-or-later
#include "openaierror.h"

#include "gateway/apierror.h"
#include "gateway/upstreammessage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kExcerpt = 300;

struct Parsed
{
    QString message;
    QString type;
    QString code;
    int numericCode = 0;
};

Parsed readError(const QJsonValue &error)
{
    Parsed p;
    if (error.isString()) {
        p.message = error.toString();
        return p;
    }
    const QJsonObject o = error.toObject();
    p.message = o.value(u"message"_s).toString();
    p.type = o.value(u"type"_s).toString();
    const QJsonValue code = o.value(u"code"_s);
    if (code.isDouble())
        p.numericCode = code.toInt();
    else
        p.code = code.toString();
    if (p.numericCode == 0 && p.code.toInt() >= 400)
        p.numericCode = p.code.toInt();
    // Google's format through compatibility layers: {"error":{"status":"RESOURCE_EXHAUSTED"}}
    if (p.type.isEmpty())
        p.type = o.value(u"status"_s).toString();
    return p;
}

bool isQuota(const Parsed &p)
{
    return p.code == u"insufficient_quota" || p.type == u"insufficient_quota";
}

bool isContextOverflow(const Parsed &p)
{
    return p.code == u"context_length_exceeded" || p.type == u"context_length_exceeded"
        || p.message.contains(u"maximum context length"_s, Qt::CaseInsensitive);
}

/// inStream: no HTTP status was involved, the provider failed mid-answer.
OpenAIError::Mapped build(int status, const Parsed &p, const QString &text, bool inStream)
{
    OpenAIError::Mapped m;
    m.status = status;
    if (isQuota(p))
        m.status = 402;
    else if (status == 503 || status == 529)
        m.status = 529;
    else if (status < 400 || status > 599)
        m.status = 500;
    m.type = ApiError::typeForStatus(m.status);
    if (isContextOverflow(p) && m.status == 400) {
        // Untranslated on purpose: clients match these words.
        m.message = u"prompt is too long: "_s + text;
    } else if (inStream) {
        m.message = text.isEmpty()
            ? OpenAIError::tr("The provider reported an error in the stream without a message.")
            : OpenAIError::tr("Provider error in the stream: %1").arg(text);
    } else if (text.isEmpty()) {
        m.message = OpenAIError::tr("The provider answered HTTP %1 without an error message.")
                        .arg(status);
    } else {
        m.message = OpenAIError::tr("Provider error (HTTP %1): %2").arg(status).arg(text);
    }
    return m;
}

int statusForType(const Parsed &p)
{
    // Providers' own names; Anthropic's (some providers use them) are ApiError's.
    static const QHash<QString, int> byName {
        {u"context_length_exceeded"_s, 400}, {u"INVALID_ARGUMENT"_s, 400},
        {u"invalid_api_key"_s, 401},         {u"UNAUTHENTICATED"_s, 401},
        {u"insufficient_quota"_s, 402},      {u"PERMISSION_DENIED"_s, 403},
        {u"model_not_found"_s, 404},         {u"rate_limit_exceeded"_s, 429},
        {u"RESOURCE_EXHAUSTED"_s, 429},      {u"UNAVAILABLE"_s, 503},
    };
    if (p.numericCode >= 400 && p.numericCode <= 599)
        return p.numericCode;
    for (const QString &key : {p.code, p.type}) {
        if (const auto it = byName.constFind(key); it != byName.cend())
            return *it;
        if (const int status = ApiError::statusForType(key, 0))
            return status;
    }
    return 500;
}

} // namespace

OpenAIError::Mapped OpenAIError::toAnthropic(int status, const QByteArray &body)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    Parsed p;
    if (parseError.error == QJsonParseError::NoError && doc.isObject()) {
        const QJsonObject o = doc.object();
        if (o.contains(u"error"_s))
            p = readError(o.value(u"error"_s));
        else
            p.message = o.value(u"message"_s).toString(o.value(u"detail"_s).toString());
        // OpenRouter wraps the real provider's words in metadata.raw; the outer message is
        // often just "Provider returned error".
        const QString raw = o.value(u"error"_s)[u"metadata"_s][u"raw"_s].toString();
        if (!raw.isEmpty() && !p.message.contains(raw))
            p.message += u" ("_s + raw.left(kExcerpt) + u')';
    } else if (parseError.error == QJsonParseError::NoError && doc.isArray()) {
        p = readError(doc.array().at(0)[u"error"_s]); // Gemini's list-wrapped errors
    } else {
        p.message = UpstreamMessage::summary(body);
    }
    return build(status, p, p.message, false);
}

OpenAIError::Mapped OpenAIError::fromStreamError(const QJsonValue &error)
{
    const Parsed p = readError(error);
    return build(statusForType(p), p, p.message, true);
}

QByteArray OpenAIError::anthropicBody(const Mapped &error)
{
    return ApiError::body(error.type, error.message);
}
