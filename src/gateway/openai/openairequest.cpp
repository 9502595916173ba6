// SPDX-License-Identifier: GPL-3.0-or-later
#include "openairequest.h"

#include "gateway/openai/openaimapping.h"
#include "gateway/openai/openaimessages.h"
#include "gateway/openai/toolschema.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxStops = 4;

Result<QJsonArray> tools(const QJsonValue &value, const OpenAIDialect &dialect)
{
    QJsonArray out;
    const QJsonArray list = value.toArray();
    for (int i = 0; i < list.size(); ++i) {
        const QJsonObject tool = list[i].toObject();
        const QString type = tool.value(u"type"_s).toString(u"custom"_s);
        if (type != u"custom")
            continue; // a server tool (web search, code execution, …) only Anthropic runs
        const QString name = tool.value(u"name"_s).toString();
        if (name.isEmpty())
            return Error::invalid(OpenAIRequest::tr("tools[%1] has no name.").arg(i));
        QJsonObject schema = tool.value(u"input_schema"_s).toObject();
        if (schema.isEmpty())
            schema = {{u"type"_s, u"object"_s}, {u"properties"_s, QJsonObject {}}};
        else if (dialect.cleanToolSchemas)
            schema = ToolSchema::clean(schema);
        QJsonObject function {{u"name"_s, name}, {u"parameters"_s, schema}};
        if (const QString description = tool.value(u"description"_s).toString();
            !description.isEmpty())
            function.insert(u"description"_s, description);
        out.append(QJsonObject {{u"type"_s, u"function"_s}, {u"function"_s, function}});
    }
    return out;
}

Status toolChoice(const QJsonObject &choice, QJsonObject &out)
{
    const QString type = choice.value(u"type"_s).toString();
    if (type == u"auto") {
        out.insert(u"tool_choice"_s, u"auto"_s);
    } else if (type == u"any") {
        out.insert(u"tool_choice"_s, u"required"_s);
    } else if (type == u"none") {
        out.insert(u"tool_choice"_s, u"none"_s);
    } else if (type == u"tool") {
        const QString name = choice.value(u"name"_s).toString();
        if (name.isEmpty())
            return Error::invalid(OpenAIRequest::tr("tool_choice of type \"tool\" needs a name."));
        out.insert(u"tool_choice"_s,
                   QJsonObject {{u"type"_s, u"function"_s},
                                {u"function"_s, QJsonObject {{u"name"_s, name}}}});
    } else if (!type.isEmpty()) {
        return Error::invalid(OpenAIRequest::tr("Unknown tool_choice type \"%1\".").arg(type));
    }
    if (choice.value(u"disable_parallel_tool_use"_s).toBool() && type != u"none")
        out.insert(u"parallel_tool_calls"_s, false);
    return {};
}

void thinking(const QJsonObject &thinking, ReasoningStyle style, QJsonObject &out)
{
    const QString type = thinking.value(u"type"_s).toString();
    if (type == u"disabled") {
        // Only these two styles have models that think unless told not to.
        if (style == ReasoningStyle::EnableThinking)
            out.insert(u"enable_thinking"_s, false);
        else if (style == ReasoningStyle::ThinkingType)
            out.insert(u"thinking"_s, QJsonObject {{u"type"_s, u"disabled"_s}});
        return;
    }
    if (type != u"enabled")
        return;
    const qint64 budget = OpenAIMapping::count(thinking.value(u"budget_tokens"_s));
    switch (style) {
    case ReasoningStyle::None:
        break;
    case ReasoningStyle::ReasoningEffort:
        out.insert(u"reasoning_effort"_s,
                   budget < 4096 ? u"low"_s : (budget < 16384 ? u"medium"_s : u"high"_s));
        break;
    case ReasoningStyle::OpenRouter:
        out.insert(u"reasoning"_s, QJsonObject {{u"max_tokens"_s, budget}});
        break;
    case ReasoningStyle::EnableThinking:
        out.insert(u"enable_thinking"_s, true);
        if (budget > 0)
            out.insert(u"thinking_budget"_s, budget);
        break;
    case ReasoningStyle::ThinkingType:
        out.insert(u"thinking"_s, QJsonObject {{u"type"_s, u"enabled"_s}});
        break;
    }
}

} // namespace

Result<QJsonObject> OpenAIRequest::fromAnthropic(const QJsonObject &request,
                                                 const QString &upstreamModel,
                                                 const OpenAIDialect &dialect)
{
    Result<QJsonArray> messages = OpenAIMessages::convert(request, dialect);
    if (!messages)
        return messages.error();

    QJsonObject out {{u"model"_s, upstreamModel}, {u"messages"_s, *messages}};

    if (const QJsonValue max = request.value(u"max_tokens"_s); max.isDouble())
        out.insert(dialect.maxCompletionTokens ? u"max_completion_tokens"_s : u"max_tokens"_s,
                   OpenAIMapping::count(max));
    for (const QString &key : {u"temperature"_s, u"top_p"_s}) {
        if (const QJsonValue v = request.value(key); v.isDouble())
            out.insert(key, v);
    }

    QJsonArray stop;
    for (const QJsonValue &s : request.value(u"stop_sequences"_s).toArray()) {
        if (s.isString() && !s.toString().isEmpty() && stop.size() < kMaxStops)
            stop.append(s);
    }
    if (!stop.isEmpty())
        out.insert(u"stop"_s, stop);

    if (request.value(u"stream"_s).toBool()) {
        out.insert(u"stream"_s, true);
        if (dialect.streamUsage)
            out.insert(u"stream_options"_s, QJsonObject {{u"include_usage"_s, true}});
    }

    Result<QJsonArray> functions = tools(request.value(u"tools"_s), dialect);
    if (!functions)
        return functions.error();
    if (!functions->isEmpty()) {
        out.insert(u"tools"_s, *functions);
        if (Status s = toolChoice(request.value(u"tool_choice"_s).toObject(), out); !s)
            return s.error();
    }

    thinking(request.value(u"thinking"_s).toObject(), dialect.reasoning, out);
    return out;
}
