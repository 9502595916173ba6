// SPDX-License-Identifier: GPL-3.0-or-later
#include "openairesponse.h"

#include "gateway/openai/openaimapping.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

QString OpenAIResponse::contentText(const QJsonValue &content)
{
    if (content.isString())
        return content.toString();
    QString text;
    for (const QJsonValue &part : content.toArray()) {
        if (part[u"type"_s] == u"text"_s)
            text += part[u"text"_s].toString();
    }
    return text;
}

QJsonObject OpenAIResponse::toolInput(const QJsonValue &arguments)
{
    if (arguments.isObject())
        return arguments.toObject();
    return QJsonDocument::fromJson(arguments.toString().toUtf8()).object();
}

Result<QJsonObject> OpenAIResponse::toAnthropic(const QJsonObject &completion, const QString &model,
                                                const QStringList &stopSequences)
{
    const QJsonArray choices = completion.value(u"choices"_s).toArray();
    if (choices.isEmpty()) {
        const QJsonValue error = completion.value(u"error"_s);
        const QString detail = error.isObject() ? error[u"message"_s].toString() : error.toString();
        return Error::invalid(detail.isEmpty()
                                  ? tr("The provider's answer has no choices.")
                                  : tr("The provider answered with an error: %1").arg(detail));
    }
    QJsonObject choice = choices.first().toObject();
    for (const QJsonValue &c : choices) { // n > 1 is never asked for, but be exact about it
        if (c[u"index"_s].toInt() == 0) {
            choice = c.toObject();
            break;
        }
    }
    const QJsonObject message = choice.value(u"message"_s).toObject();
    const QString id = OpenAIMapping::messageId(completion.value(u"id"_s).toString());

    QJsonArray content;
    QString reasoning = message.value(u"reasoning_content"_s).toString();
    if (reasoning.isEmpty())
        reasoning = message.value(u"reasoning"_s).toString();
    if (!reasoning.isEmpty())
        content.append(QJsonObject {
            {u"type"_s, u"thinking"_s}, {u"thinking"_s, reasoning}, {u"signature"_s, u""_s}});
    if (const QString text = contentText(message.value(u"content"_s)); !text.isEmpty())
        content.append(QJsonObject {{u"type"_s, u"text"_s}, {u"text"_s, text}});

    const QJsonArray calls = message.value(u"tool_calls"_s).toArray();
    for (int i = 0; i < calls.size(); ++i) {
        const QJsonObject call = calls[i].toObject();
        const QJsonObject function = call.value(u"function"_s).toObject();
        QString callId = OpenAIMapping::anthropicToolId(call.value(u"id"_s).toString());
        if (callId.isEmpty())
            callId = OpenAIMapping::mintToolId(id, i);
        content.append(QJsonObject {{u"type"_s, u"tool_use"_s},
                                    {u"id"_s, callId},
                                    {u"name"_s, function.value(u"name"_s).toString()},
                                    {u"input"_s, toolInput(function.value(u"arguments"_s))}});
    }

    const QString finish = choice.value(u"finish_reason"_s).toString();
    const QString matched
        = finish == u"stop" ? OpenAIMapping::matchedStop(choice, stopSequences) : QString();
    const QString stopReason
        = OpenAIMapping::stopReason(finish, !calls.isEmpty(), !matched.isEmpty());
    const QJsonValue usage = completion.value(u"usage"_s);

    return QJsonObject {
        {u"id"_s, id},
        {u"type"_s, u"message"_s},
        {u"role"_s, u"assistant"_s},
        {u"model"_s, model},
        {u"content"_s, content},
        {u"stop_reason"_s, stopReason},
        {u"stop_sequence"_s,
         stopReason == u"stop_sequence" ? QJsonValue(matched) : QJsonValue(QJsonValue::Null)},
        {u"usage"_s,
         usage.isObject() ? OpenAIMapping::usage(usage.toObject()) : OpenAIMapping::emptyUsage()},
    };
}
