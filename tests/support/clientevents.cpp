// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientevents.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

QList<ClientEvent> parseEvents(const QByteArray &stream)
{
    QList<ClientEvent> events;
    qsizetype pos = 0;
    for (qsizetype end; (end = stream.indexOf("\n\n", pos)) >= 0; pos = end + 2) {
        ClientEvent event;
        for (const QByteArray &line : stream.mid(pos, end - pos).split('\n')) {
            if (line.startsWith("event: "))
                event.name = line.mid(7);
            else if (line.startsWith("data: "))
                event.data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        events.append(event);
    }
    return events;
}

QByteArrayList eventNames(const QList<ClientEvent> &events)
{
    QByteArrayList names;
    for (const ClientEvent &e : events)
        names.append(e.name);
    return names;
}

QJsonObject assembledMessage(const QList<ClientEvent> &events)
{
    QJsonObject message;
    QList<QJsonObject> blocks;
    QList<QString> partialJson;
    for (const ClientEvent &e : events) {
        const qsizetype index = e.data.value(u"index").toInt();
        if (e.name == "message_start") {
            message = e.data.value(u"message").toObject();
        } else if (e.name == "content_block_start") {
            blocks.resize(index + 1);
            partialJson.resize(index + 1);
            blocks[index] = e.data.value(u"content_block").toObject();
        } else if (e.name == "content_block_delta" && index < blocks.size()) {
            const QJsonObject delta = e.data.value(u"delta").toObject();
            QJsonObject &block = blocks[index];
            const auto append = [&block](const QString &key, const QJsonValue &piece) {
                block.insert(key, QString(block.value(key).toString() + piece.toString()));
            };
            const QString type = delta.value(u"type").toString();
            if (type == u"text_delta")
                append(u"text"_s, delta.value(u"text"));
            else if (type == u"thinking_delta")
                append(u"thinking"_s, delta.value(u"thinking"));
            else if (type == u"signature_delta")
                append(u"signature"_s, delta.value(u"signature"));
            else if (type == u"input_json_delta")
                partialJson[index] += delta.value(u"partial_json").toString();
        } else if (e.name == "content_block_stop" && index < blocks.size()
                   && !partialJson[index].isEmpty()) {
            blocks[index].insert(u"input"_s,
                                 QJsonDocument::fromJson(partialJson[index].toUtf8()).object());
        } else if (e.name == "message_delta") {
            const QJsonObject delta = e.data.value(u"delta").toObject();
            for (auto it = delta.begin(); it != delta.end(); ++it)
                message.insert(it.key(), it.value());
        }
    }
    QJsonArray content;
    for (const QJsonObject &block : std::as_const(blocks))
        content.append(block);
    message.insert(u"content"_s, content);
    return message;
}
