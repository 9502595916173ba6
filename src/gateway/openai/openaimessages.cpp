// SPDX-License-Identifier: GPL-3.0-or-later
#include "openaimessages.h"

#include "gateway/openai/openaimapping.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

const QString kJoin = u"\n\n"_s;

QJsonObject textPart(const QString &text)
{
    return {{u"type"_s, u"text"_s}, {u"text"_s, text}};
}

QJsonObject imagePart(const QString &url)
{
    return {{u"type"_s, u"image_url"_s}, {u"image_url"_s, QJsonObject {{u"url"_s, url}}}};
}

/// Parts of one OpenAI message under construction.
class Parts
{
public:
    void append(const QJsonObject &part) { m_parts.append(part); }
    bool isEmpty() const { return m_parts.isEmpty(); }

    /// A string when every part is text (the form every provider accepts), else the array.
    QJsonValue content() const
    {
        QStringList texts;
        for (const QJsonValue &p : m_parts) {
            if (p[u"type"_s] != u"text"_s)
                return m_parts;
            texts.append(p[u"text"_s].toString());
        }
        return texts.join(kJoin);
    }

private:
    QJsonArray m_parts;
};

class Converter
{
public:
    Converter(const OpenAIDialect &dialect)
        : m_dialect(dialect)
    { }

    Result<QJsonArray> run(const QJsonObject &request);

private:
    static QString tr(const char *text) { return OpenAIMessages::tr(text); }

    Status system(const QJsonValue &content, const QString &where);
    Status user(const QJsonValue &content, int index);
    Status assistant(const QJsonValue &content, int index);
    /// Image or document block -> a part; false when the block is neither.
    Result<bool> media(const QJsonObject &block, Parts &parts, const QString &where);
    Result<QJsonObject> image(const QJsonObject &block, const QString &where);
    QString document(const QJsonObject &block);

    const OpenAIDialect &m_dialect;
    QJsonArray m_out;
};

QString blockWhere(int message, int block)
{
    return u"messages[%1].content[%2]"_s.arg(message).arg(block);
}

Result<QJsonArray> Converter::run(const QJsonObject &request)
{
    if (request.contains(u"system"_s)) {
        if (Status s = system(request.value(u"system"_s), u"system"_s); !s)
            return s.error();
    }
    const QJsonValue messages = request.value(u"messages"_s);
    if (!messages.isArray())
        return Error::invalid(tr("The request's \"messages\" must be an array."));
    const QJsonArray list = messages.toArray();
    for (int i = 0; i < list.size(); ++i) {
        if (!list[i].isObject())
            return Error::invalid(tr("messages[%1] must be an object.").arg(i));
        const QJsonObject message = list[i].toObject();
        const QString role = message.value(u"role"_s).toString();
        const QJsonValue content = message.value(u"content"_s);
        Status status;
        if (role == u"user")
            status = user(content, i);
        else if (role == u"assistant")
            status = assistant(content, i);
        else if (role == u"system") // Claude Code sends these mid-conversation
            status = system(content, u"messages[%1]"_s.arg(i));
        else
            return Error::invalid(tr("messages[%1] has the unknown role \"%2\".").arg(i).arg(role));
        if (!status)
            return status.error();
    }
    return m_out;
}

Status Converter::system(const QJsonValue &content, const QString &where)
{
    QStringList texts;
    if (content.isString()) {
        texts.append(content.toString());
    } else if (content.isArray()) {
        for (const QJsonValue &block : content.toArray()) {
            if (block[u"type"_s] == u"text"_s)
                texts.append(block[u"text"_s].toString());
        }
    } else if (!content.isNull() && !content.isUndefined()) {
        return Error::invalid(tr("%1 must be a string or an array of text blocks.").arg(where));
    }
    texts.removeAll(QString());
    if (!texts.isEmpty())
        m_out.append(QJsonObject {{u"role"_s, u"system"_s}, {u"content"_s, texts.join(kJoin)}});
    return {};
}

Result<QJsonObject> Converter::image(const QJsonObject &block, const QString &where)
{
    const QJsonObject source = block.value(u"source"_s).toObject();
    const QString type = source.value(u"type"_s).toString();
    if (type == u"base64") {
        const QString mediaType = source.value(u"media_type"_s).toString();
        const QString data = source.value(u"data"_s).toString();
        if (mediaType.isEmpty() || data.isEmpty())
            return Error::invalid(tr("%1: a base64 image needs media_type and data.").arg(where));
        return imagePart(u"data:%1;base64,%2"_s.arg(mediaType, data));
    }
    if (type == u"url") {
        const QString url = source.value(u"url"_s).toString();
        if (url.isEmpty())
            return Error::invalid(tr("%1: an image URL source needs a url.").arg(where));
        return m_dialect.imageUrls ? imagePart(url) : textPart(u"[image: %1]"_s.arg(url));
    }
    return Error::invalid(tr("%1: unsupported image source type \"%2\".").arg(where, type));
}

QString Converter::document(const QJsonObject &block)
{
    const QJsonObject source = block.value(u"source"_s).toObject();
    const QString type = source.value(u"type"_s).toString();
    const QString mediaType = source.value(u"media_type"_s).toString();
    const QString title = block.value(u"title"_s).toString();
    QString text;
    bool readable = true;
    if (type == u"text") {
        text = source.value(u"data"_s).toString();
    } else if (type == u"base64" && mediaType.startsWith(u"text/")) {
        text = QString::fromUtf8(
            QByteArray::fromBase64(source.value(u"data"_s).toString().toLatin1()));
    } else if (type == u"content") {
        QStringList texts;
        for (const QJsonValue &b : source.value(u"content"_s).toArray()) {
            if (b[u"type"_s] == u"text"_s)
                texts.append(b[u"text"_s].toString());
        }
        text = texts.join(kJoin);
    } else {
        readable = false;
    }
    // Not tr(): this text goes to the model, not to a person using the app.
    if (!readable) {
        const QString what = type == u"url" ? source.value(u"url"_s).toString()
                                            : (mediaType.isEmpty() ? type : mediaType);
        return title.isEmpty()
            ? u"[document omitted (%1): this provider cannot read it]"_s.arg(what)
            : u"[document \"%1\" omitted (%2): this provider cannot read it]"_s.arg(title, what);
    }
    return title.isEmpty() ? text : u"Document: %1\n\n%2"_s.arg(title, text);
}

Result<bool> Converter::media(const QJsonObject &block, Parts &parts, const QString &where)
{
    const QString type = block.value(u"type"_s).toString();
    if (type == u"image") {
        Result<QJsonObject> part = image(block, where);
        if (!part)
            return part.error();
        parts.append(*part);
        return true;
    }
    if (type == u"document") {
        parts.append(textPart(document(block)));
        return true;
    }
    return false;
}

Status Converter::user(const QJsonValue &content, int index)
{
    if (content.isString()) {
        m_out.append(QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, content}});
        return {};
    }
    if (!content.isArray())
        return Error::invalid(tr("messages[%1].content must be a string or an array.").arg(index));

    Parts resultMedia; // images from tool results: only user messages can carry them
    Parts parts;
    const QJsonArray blocks = content.toArray();
    for (int b = 0; b < blocks.size(); ++b) {
        const QJsonObject block = blocks[b].toObject();
        const QString type = block.value(u"type"_s).toString();
        const QString where = blockWhere(index, b);
        if (type == u"text") {
            if (const QString text = block.value(u"text"_s).toString(); !text.isEmpty())
                parts.append(textPart(text));
            continue;
        }
        if (type != u"tool_result") {
            Result<bool> handled = media(block, parts, where);
            if (!handled)
                return handled.error();
            continue;
        }
        const QString id = OpenAIMapping::upstreamToolId(block.value(u"tool_use_id"_s).toString());
        if (id.isEmpty())
            return Error::invalid(tr("%1: tool_result without tool_use_id.").arg(where));
        QStringList texts;
        bool hasMedia = false;
        const QJsonValue result = block.value(u"content"_s);
        if (result.isString()) {
            texts.append(result.toString());
        } else {
            for (const QJsonValue &v : result.toArray()) {
                const QJsonObject inner = v.toObject();
                const QString innerType = inner.value(u"type"_s).toString();
                if (innerType == u"text") {
                    texts.append(inner.value(u"text"_s).toString());
                } else if (innerType == u"image") {
                    if (!hasMedia)
                        resultMedia.append(textPart(u"Images from tool result %1:"_s.arg(id)));
                    Result<QJsonObject> part = image(inner, where);
                    if (!part)
                        return part.error();
                    resultMedia.append(*part);
                    hasMedia = true;
                } else if (innerType == u"document") {
                    texts.append(document(inner));
                }
            }
        }
        texts.removeAll(QString());
        QString text = texts.join(kJoin);
        if (text.isEmpty())
            text = hasMedia ? u"(image output follows)"_s : u"(no output)"_s;
        if (block.value(u"is_error"_s).toBool())
            text.prepend(u"Error: "_s);
        m_out.append(
            QJsonObject {{u"role"_s, u"tool"_s}, {u"tool_call_id"_s, id}, {u"content"_s, text}});
    }
    Parts merged = resultMedia;
    const QJsonValue own = parts.content();
    if (!parts.isEmpty()) {
        for (const QJsonValue &p :
             own.isArray() ? own.toArray() : QJsonArray {textPart(own.toString())})
            merged.append(p.toObject());
    }
    if (!merged.isEmpty())
        m_out.append(QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, merged.content()}});
    return {};
}

Status Converter::assistant(const QJsonValue &content, int index)
{
    if (content.isString()) {
        if (!content.toString().isEmpty())
            m_out.append(QJsonObject {{u"role"_s, u"assistant"_s}, {u"content"_s, content}});
        return {};
    }
    if (!content.isArray())
        return Error::invalid(tr("messages[%1].content must be a string or an array.").arg(index));

    QStringList texts;
    QStringList reasoning;
    QJsonArray calls;
    const QJsonArray blocks = content.toArray();
    for (int b = 0; b < blocks.size(); ++b) {
        const QJsonObject block = blocks[b].toObject();
        const QString type = block.value(u"type"_s).toString();
        if (type == u"text") {
            texts.append(block.value(u"text"_s).toString());
        } else if (type == u"thinking") {
            reasoning.append(block.value(u"thinking"_s).toString());
        } else if (type == u"tool_use") {
            const QString id = OpenAIMapping::upstreamToolId(block.value(u"id"_s).toString());
            const QString name = block.value(u"name"_s).toString();
            if (id.isEmpty() || name.isEmpty())
                return Error::invalid(
                    tr("%1: tool_use needs an id and a name.").arg(blockWhere(index, b)));
            const QJsonObject input = block.value(u"input"_s).toObject();
            calls.append(QJsonObject {{u"id"_s, id},
                                      {u"type"_s, u"function"_s},
                                      {u"function"_s,
                                       QJsonObject {{u"name"_s, name},
                                                    {u"arguments"_s,
                                                     QString::fromUtf8(QJsonDocument(input).toJson(
                                                         QJsonDocument::Compact))}}}});
        }
        // redacted_thinking and server-side blocks are dropped (see the header).
    }
    texts.removeAll(QString());
    if (texts.isEmpty() && calls.isEmpty())
        return {};
    QJsonObject message {{u"role"_s, u"assistant"_s}};
    if (!texts.isEmpty())
        message.insert(u"content"_s, texts.join(kJoin));
    if (!calls.isEmpty()) {
        message.insert(u"tool_calls"_s, calls);
        // Present even when empty: thinking models refuse a tool-call turn without it.
        if (m_dialect.reasoningContent) {
            reasoning.removeAll(QString());
            message.insert(u"reasoning_content"_s, reasoning.join(kJoin));
        }
    }
    m_out.append(message);
    return {};
}

} // namespace

Result<QJsonArray> OpenAIMessages::convert(const QJsonObject &request, const OpenAIDialect &dialect)
{
    return Converter(dialect).run(request);
}
