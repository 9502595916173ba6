// SPDX-License-Identifier: GPL-3.0-or-later
#include "scriptedthinking.h"

#include <QAtomicInt>
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ScriptedThinking {

namespace {

QString keyTag(const QByteArray &key)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
}

ScriptedReply invalid(const QString &message)
{
    return ScriptedReply::error(400, u"invalid_request_error"_s, message);
}

bool isThinkingBlock(const QJsonValue &block)
{
    const QString type = block[u"type"].toString();
    return type == u"thinking" || type == u"redacted_thinking";
}

} // namespace

QString sign(const QByteArray &key)
{
    static QAtomicInt counter;
    return u"sig.%1.%2"_s.arg(keyTag(key)).arg(counter.fetchAndAddRelaxed(1));
}

bool signedBy(const QString &signature, const QByteArray &key)
{
    return signature.startsWith(u"sig."_s + keyTag(key) + u'.');
}

std::optional<ScriptedReply> refusal(const QJsonObject &request, const QByteArray &key)
{
    const QJsonArray messages = request.value(u"messages").toArray();
    qsizetype finalAssistant = -1;
    for (qsizetype m = 0; m < messages.size(); ++m) {
        if (messages[m][u"role"].toString() != u"assistant")
            continue;
        finalAssistant = m;
        const QJsonArray content = messages[m][u"content"].toArray();
        for (qsizetype b = 0; b < content.size(); ++b) {
            const QJsonValue block = content[b];
            const QString type = block[u"type"].toString();
            const QString signature = type == u"thinking" ? block[u"signature"].toString()
                : type == u"redacted_thinking"            ? block[u"data"].toString()
                                                          : QString();
            if (isThinkingBlock(block) && !signedBy(signature, key)) {
                return invalid(u"messages.%1.content.%2: Invalid `signature` in `thinking` block"_s
                                   .arg(m)
                                   .arg(b));
            }
        }
    }
    const QString thinking = request.value(u"thinking")[u"type"].toString();
    if ((thinking == u"enabled" || thinking == u"adaptive") && finalAssistant >= 0) {
        const QJsonArray content = messages[finalAssistant][u"content"].toArray();
        const bool toolUse = std::any_of(content.cbegin(), content.cend(), [](const QJsonValue &b) {
            return b[u"type"].toString() == u"tool_use";
        });
        if (toolUse && !isThinkingBlock(content.first())) {
            return invalid(
                u"messages.%1.content.0.type: Expected `thinking` or `redacted_thinking`, but "
                "found `%2`. When `thinking` is enabled, a final `assistant` message must start "
                "with a thinking block (preceeding the lastmost set of `tool_use` and "
                "`tool_result` blocks). We recommend you include thinking blocks from previous "
                "turns. To avoid this requirement, disable `thinking`."_s.arg(finalAssistant)
                    .arg(content.first()[u"type"].toString()));
        }
    }
    return std::nullopt;
}

ScriptedReply thinkingFirst(ScriptedReply reply, const QByteArray &key, const QString &thought)
{
    const QString signature = sign(key);
    if (!reply.streaming) {
        QJsonObject message = QJsonDocument::fromJson(reply.body).object();
        QJsonArray content = message.value(u"content").toArray();
        content.prepend(QJsonObject {{u"type"_s, u"thinking"_s},
                                     {u"thinking"_s, thought},
                                     {u"signature"_s, signature}});
        message.insert(u"content"_s, content);
        reply.body = QJsonDocument(message).toJson(QJsonDocument::Compact);
        return reply;
    }
    QList<ScriptedReply::Event> events;
    bool inserted = false;
    auto add = [&events](const QString &type, QJsonObject data) {
        data.insert(u"type"_s, type);
        events.append({type.toUtf8(), data, {}});
    };
    for (ScriptedReply::Event event : std::as_const(reply.events)) {
        const bool block = event.data.contains(u"index");
        if (block && !inserted) {
            inserted = true;
            add(u"content_block_start"_s,
                {{u"index"_s, 0},
                 {u"content_block"_s, QJsonObject {{u"type"_s, u"thinking"_s},
                                                   {u"thinking"_s, u""_s},
                                                   {u"signature"_s, u""_s}}}});
            add(u"content_block_delta"_s,
                {{u"index"_s, 0},
                 {u"delta"_s, QJsonObject {{u"type"_s, u"thinking_delta"_s},
                                           {u"thinking"_s, thought}}}});
            add(u"content_block_delta"_s,
                {{u"index"_s, 0},
                 {u"delta"_s, QJsonObject {{u"type"_s, u"signature_delta"_s},
                                           {u"signature"_s, signature}}}});
            add(u"content_block_stop"_s, {{u"index"_s, 0}});
        }
        if (block)
            event.data.insert(u"index"_s, event.data.value(u"index").toInt() + 1);
        events.append(event);
    }
    reply.events = events;
    return reply;
}

} // namespace ScriptedThinking
