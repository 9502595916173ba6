// SPDX-License-Identifier: GPL-3.0-or-later
#include "tokenestimate.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kImage = 1600;
constexpr qint64 kPdfBytesPerToken = 30;
constexpr qint64 kPerMessage = 4;
constexpr qint64 kPerBlock = 4;
constexpr qint64 kSystem = 8;
constexpr qint64 kPerTool = 20;
constexpr qint64 kToolPrompt = 346;

bool isWide(char32_t c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) // CJK radicals, kana, ideographs
        || (c >= 0xAC00 && c <= 0xD7AF) // Hangul syllables
        || (c >= 0xF900 && c <= 0xFAFF) // CJK compatibility ideographs
        || (c >= 0xFF00 && c <= 0xFFEF) // full-width forms
        || (c >= 0x20000 && c <= 0x3FFFF); // CJK extensions
}

QString compact(const QJsonValue &value)
{
    if (value.isString())
        return value.toString();
    const QJsonDocument doc
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return QString::fromUtf8(doc.toJson(QJsonDocument::Compact));
}

qint64 blocks(const QJsonValue &content);

qint64 block(const QJsonObject &b)
{
    const QString type = b.value(u"type"_s).toString();
    qint64 n = kPerBlock;
    if (type == u"text") {
        n += TokenEstimate::textTokens(b.value(u"text"_s).toString());
    } else if (type == u"image") {
        n += kImage;
    } else if (type == u"document") {
        const QJsonObject source = b.value(u"source"_s).toObject();
        const QString data = source.value(u"data"_s).toString();
        if (source.value(u"media_type"_s).toString() == u"application/pdf")
            n += qMax(kImage, qint64(data.size()) * 3 / 4 / kPdfBytesPerToken);
        else if (source.value(u"type"_s).toString() == u"content")
            n += blocks(source.value(u"content"_s));
        else if (source.value(u"type"_s).toString() == u"base64")
            n += TokenEstimate::textTokens(
                QString::fromUtf8(QByteArray::fromBase64(data.toLatin1())));
        else
            n += TokenEstimate::textTokens(data);
        n += TokenEstimate::textTokens(b.value(u"title"_s).toString());
    } else if (type == u"tool_use" || type == u"server_tool_use") {
        n += TokenEstimate::textTokens(b.value(u"name"_s).toString())
            + TokenEstimate::textTokens(compact(b.value(u"input"_s)));
    } else if (type == u"tool_result") {
        n += blocks(b.value(u"content"_s));
    } else if (type == u"thinking") {
        n += TokenEstimate::textTokens(b.value(u"thinking"_s).toString());
    } else {
        n += TokenEstimate::textTokens(compact(b));
    }
    return n;
}

qint64 blocks(const QJsonValue &content)
{
    if (content.isString())
        return TokenEstimate::textTokens(content.toString());
    qint64 n = 0;
    for (const QJsonValue &b : content.toArray())
        n += block(b.toObject());
    return n;
}

} // namespace

qint64 TokenEstimate::textTokens(QStringView text)
{
    double tokens = 0;
    for (const char32_t c : text.toUcs4()) {
        if (c < 0x80)
            tokens += 0.25;
        else if (isWide(c))
            tokens += 1.0;
        else
            tokens += 0.5;
    }
    return qint64(std::ceil(tokens));
}

qint64 TokenEstimate::inputTokens(const QJsonObject &request)
{
    qint64 n = 0;
    if (request.contains(u"system"_s))
        n += kSystem + blocks(request.value(u"system"_s));
    for (const QJsonValue &m : request.value(u"messages"_s).toArray())
        n += kPerMessage + blocks(m[u"content"_s]);
    const QJsonArray tools = request.value(u"tools"_s).toArray();
    if (!tools.isEmpty())
        n += kToolPrompt;
    for (const QJsonValue &t : tools) {
        const QJsonObject tool = t.toObject();
        n += kPerTool + textTokens(tool.value(u"name"_s).toString())
            + textTokens(tool.value(u"description"_s).toString());
        if (tool.contains(u"input_schema"_s))
            n += textTokens(compact(tool.value(u"input_schema"_s)));
    }
    return qMax<qint64>(1, n);
}
