// SPDX-License-Identifier: GPL-3.0-or-later
// OpenAIStrict::problem() and refusal(): what the real Chat Completions endpoint refuses.
//
// Rules, each refused with the offending field's path:
// - POST …/chat/completions or GET …/models (else 404), `authorization: Bearer KEY` (else
//   401); for completions a JSON object body (content-type, when sent, application/json).
// - Only known fields at every level; no explicit nulls, except `content: null` on an
//   assistant message with tool_calls. Schemas (tools[].function.parameters,
//   response_format.json_schema) are not looked into.
// - model a non-empty string; messages a non-empty array of objects whose role is system,
//   developer, user, assistant or tool, with the fields that role takes.
// - content: a string or a non-empty array of {type:"text",text} parts; user messages also
//   {type:"image_url",image_url:{url,detail?}} with an http(s) URL or
//   data:image/…;base64,<valid base64>.
// - assistant tool_calls: a non-empty array of {id, type:"function", function:{name,
//   arguments}} with unique ids and arguments a string holding JSON. Every call must be
//   answered by tool messages directly after it; a tool message must answer a call of the
//   assistant message just before it that has not been answered yet.
// - tools: a non-empty array of {type:"function", function:{name ^[a-zA-Z0-9_-]{1,64}$,
//   description?, parameters? (object), strict?}}; tool_choice, parallel_tool_calls only with
//   tools, tool_choice "none"/"auto"/"required" or a function that tools defines.
// - Ranges: temperature 0..2, top_p 0..1, max_tokens / max_completion_tokens ≥ 1, penalties
//   -2..2, n ≥ 1, top_logprobs 0..20 (with logprobs), stop a string or ≤ 4 strings,
//   stream_options {include_usage} only with stream: true.
// - reasoning_content on assistant messages: an unknown field, except for deepseek-* models,
//   which (as DeepSeek in thinking mode does) require it on every turn with tool_calls.
#include "support/openaiupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

/// Why a request is refused: `path` names the field (empty for the request as a whole).
struct Problem
{
    int status = 400;
    QString path;
    QString text;
    /// The text is the whole message (OpenAI's own wording for unknown top-level fields).
    bool bare = false;

    QString message() const { return path.isEmpty() || bare ? text : path + u": "_s + text; }
};

using Result = std::optional<Problem>;
/// Checks one value found at `path`.
using Check = std::function<Result(const QJsonValue &value, const QString &path)>;

/// One key of an object: its check, whether it must be there and whether it may be null
/// (then the check sees the null).
struct Field
{
    QString key;
    Check check;
    bool required = false;
    bool nullable = false;
};

Result fail(const QString &path, const QString &text)
{
    return Problem {400, path, text, false};
}

QString field(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}

QString item(const QString &path, qsizetype index)
{
    return path + u'[' + QString::number(index) + u']';
}

QString typeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"nothing"_s;
}

Result wrongType(const QJsonValue &value, const QString &path, const QString &expected)
{
    return fail(path, u"expected %1, got %2"_s.arg(expected, typeName(value)));
}

// Checks

Check isString(bool nonEmpty = false)
{
    return [nonEmpty](const QJsonValue &value, const QString &path) -> Result {
        if (!value.isString())
            return wrongType(value, path, u"a string"_s);
        if (nonEmpty && value.toString().isEmpty())
            return fail(path, u"must not be empty"_s);
        return std::nullopt;
    };
}

Check isOneOf(const QStringList &allowed)
{
    return [allowed](const QJsonValue &value, const QString &path) -> Result {
        if (!value.isString())
            return wrongType(value, path, u"a string"_s);
        if (!allowed.contains(value.toString()))
            return fail(path,
                        u"'%1' is not one of %2"_s.arg(value.toString(), allowed.join(u", "_s)));
        return std::nullopt;
    };
}

Check isBool()
{
    return [](const QJsonValue &value, const QString &path) -> Result {
        return value.isBool() ? std::nullopt : wrongType(value, path, u"a boolean"_s);
    };
}

Check inRange(double min, double max, bool integer = false)
{
    return [=](const QJsonValue &value, const QString &path) -> Result {
        const QString expected = integer ? u"an integer"_s : u"a number"_s;
        if (!value.isDouble())
            return wrongType(value, path, expected);
        const double n = value.toDouble();
        if (integer && n != std::floor(n))
            return wrongType(value, path, expected);
        if (n < min || n > max)
            return fail(path, u"%1 is out of range [%2, %3]"_s.arg(n).arg(min).arg(max));
        return std::nullopt;
    };
}

constexpr double huge = 9.0e15;

Check isObject()
{
    return [](const QJsonValue &value, const QString &path) -> Result {
        return value.isObject() ? std::nullopt : wrongType(value, path, u"an object"_s);
    };
}

Check isArrayOf(const Check &element, bool nonEmpty = true)
{
    return [=](const QJsonValue &value, const QString &path) -> Result {
        if (!value.isArray())
            return wrongType(value, path, u"an array"_s);
        const QJsonArray array = value.toArray();
        if (nonEmpty && array.isEmpty())
            return fail(path, u"empty array: expected at least one element"_s);
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto p = element(array.at(i), item(path, i)))
                return p;
        }
        return std::nullopt;
    };
}

/// An object with exactly these fields: unknown keys and nulls refused, then the required
/// ones, then each present value in the order given.
Result shape(const QJsonValue &value, const QString &path, const QList<Field> &fields)
{
    if (auto p = isObject()(value, path))
        return p;
    const QJsonObject object = value.toObject();
    const auto find = [&fields](const QString &key) {
        return std::find_if(fields.begin(), fields.end(),
                            [&key](const Field &f) { return f.key == key; });
    };
    for (auto it = object.begin(); it != object.end(); ++it) {
        const auto f = find(it.key());
        if (f == fields.end()) {
            const QString text = u"Unrecognized request argument supplied: "_s + it.key();
            return Problem {400, field(path, it.key()), text, path.isEmpty()};
        }
        if (it.value().isNull() && !f->nullable)
            return fail(field(path, it.key()), u"null is not allowed: leave the field out"_s);
    }
    for (const Field &f : fields) {
        if (f.required && !object.contains(f.key))
            return fail(field(path, f.key), u"Missing required parameter"_s);
    }
    for (const Field &f : fields) {
        if (object.contains(f.key) && f.check) {
            if (auto p = f.check(object.value(f.key), field(path, f.key)))
                return p;
        }
    }
    return std::nullopt;
}

Check isShape(const QList<Field> &fields)
{
    return [fields](const QJsonValue &value, const QString &path) {
        return shape(value, path, fields);
    };
}

Check isFunctionName()
{
    static const QRegularExpression pattern(u"^[a-zA-Z0-9_-]{1,64}$"_s);
    return [](const QJsonValue &value, const QString &path) -> Result {
        if (auto p = isString()(value, path))
            return p;
        if (!pattern.match(value.toString()).hasMatch())
            return fail(path,
                        u"'%1' does not match '^[a-zA-Z0-9_-]{1,64}$'"_s.arg(value.toString()));
        return std::nullopt;
    };
}

Check isJsonString()
{
    return [](const QJsonValue &value, const QString &path) -> Result {
        if (auto p = isString()(value, path))
            return p;
        QJsonParseError error;
        QJsonDocument::fromJson(value.toString().toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            return fail(path, u"not valid JSON (%1)"_s.arg(error.errorString()));
        return std::nullopt;
    };
}

Result imageUrl(const QJsonValue &value, const QString &path)
{
    static const QRegularExpression dataUrl(u"^data:image/[a-zA-Z0-9.+-]+;base64,(.+)$"_s);
    if (auto p = isString()(value, path))
        return p;
    const QString url = value.toString();
    if (url.startsWith(u"data:"_s)) {
        const QRegularExpressionMatch m = dataUrl.match(url);
        if (!m.hasMatch())
            return fail(path, u"expected data:image/<type>;base64,<data>"_s);
        const auto decoded = QByteArray::fromBase64Encoding(
            m.captured(1).toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.isEmpty())
            return fail(path, u"the data URL does not hold valid base64"_s);
        return std::nullopt;
    }
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty()
        || (parsed.scheme() != u"http"_s && parsed.scheme() != u"https"_s))
        return fail(path, u"expected an http(s) URL or a base64 data URL"_s);
    return std::nullopt;
}

/// A content value: a string or a non-empty array of text (and, with `images`, image) parts;
/// null only with `nullable`.
Check isContent(bool images, bool nullable = false)
{
    const Check text = isShape({{u"type"_s, {}, true}, {u"text"_s, isString(), true}});
    const Check image
        = isShape({{u"type"_s, {}, true},
                   {u"image_url"_s,
                    isShape({{u"url"_s, imageUrl, true},
                             {u"detail"_s, isOneOf({u"auto"_s, u"low"_s, u"high"_s})}}),
                    true}});
    const Check part = [=](const QJsonValue &value, const QString &path) -> Result {
        if (auto p = isObject()(value, path))
            return p;
        const QString type = value.toObject().value(u"type"_s).toString();
        if (type == u"text"_s)
            return text(value, path);
        if (type == u"image_url"_s && images)
            return image(value, path);
        return fail(field(path, u"type"_s),
                    images ? u"expected 'text' or 'image_url'"_s : u"expected 'text'"_s);
    };
    const Check parts = isArrayOf(part);
    return [=](const QJsonValue &value, const QString &path) -> Result {
        if (value.isString() || (value.isNull() && nullable))
            return std::nullopt;
        if (!value.isArray())
            return wrongType(value, path, u"a string or an array of content parts"_s);
        return parts(value, path);
    };
}

Check isToolCall()
{
    return isShape(
        {{u"id"_s, isString(true), true},
         {u"type"_s, isOneOf({u"function"_s}), true},
         {u"function"_s,
          isShape({{u"name"_s, isFunctionName(), true}, {u"arguments"_s, isJsonString(), true}}),
          true}});
}

/// Walks the messages, keeping track of tool calls still waiting for their tool message.
class MessageCheck
{
public:
    explicit MessageCheck(const QString &model)
        : m_deepSeek(model.startsWith(u"deepseek"_s))
    { }

    Result run(const QJsonArray &messages)
    {
        for (qsizetype i = 0; i < messages.size(); ++i) {
            if (auto p = message(messages.at(i), item(u"messages"_s, i)))
                return p;
        }
        if (!m_pending.isEmpty())
            return unanswered(u"the conversation ends first"_s);
        return std::nullopt;
    }

private:
    Result message(const QJsonValue &value, const QString &path)
    {
        if (auto p = isObject()(value, path))
            return p;
        const QJsonObject m = value.toObject();
        const Field role {
            u"role"_s, isOneOf({u"system"_s, u"developer"_s, u"user"_s, u"assistant"_s, u"tool"_s}),
            true};
        if (auto p = shape(QJsonObject {{u"role"_s, m.value(u"role"_s)}}, path, {role}))
            return p;

        const QString roleName = m.value(u"role"_s).toString();
        if (roleName == u"tool"_s) {
            if (auto p = shape(m, path,
                               {role,
                                {u"content"_s, isContent(false), true, true},
                                {u"tool_call_id"_s, isString(true), true}}))
                return p;
            return toolAnswer(m.value(u"tool_call_id"_s).toString(),
                              field(path, u"tool_call_id"_s));
        }
        if (!m_pending.isEmpty())
            return unanswered(path + u" comes first"_s);

        QList<Field> fields {role, {u"name"_s, isString(true)}};
        if (roleName == u"assistant"_s) {
            const bool calls = m.contains(u"tool_calls"_s);
            fields.append({u"content"_s, isContent(false, calls), !calls, true});
            fields.append({u"tool_calls"_s, isArrayOf(isToolCall())});
            if (m_deepSeek)
                fields.append({u"reasoning_content"_s, isString(), calls});
        } else {
            fields.append({u"content"_s, isContent(roleName == u"user"_s), true, true});
        }
        if (auto p = shape(m, path, fields))
            return p;
        if (m.contains(u"tool_calls"_s))
            return expectAnswers(m.value(u"tool_calls"_s).toArray(), field(path, u"tool_calls"_s));
        return std::nullopt;
    }

    Result expectAnswers(const QJsonArray &calls, const QString &path)
    {
        for (qsizetype k = 0; k < calls.size(); ++k) {
            const QString id = calls.at(k).toObject().value(u"id"_s).toString();
            if (m_pending.contains(id))
                return fail(field(item(path, k), u"id"_s), u"duplicate tool call id %1"_s.arg(id));
            m_pending.append(id);
        }
        m_callsPath = path;
        return std::nullopt;
    }

    Result toolAnswer(const QString &id, const QString &path)
    {
        if (m_pending.removeOne(id)) {
            m_answered.insert(id);
            return std::nullopt;
        }
        if (m_answered.contains(id))
            return fail(path, u"tool call %1 was already answered"_s.arg(id));
        return fail(path, u"no assistant tool call with id %1 precedes it"_s.arg(id));
    }

    Result unanswered(const QString &where) const
    {
        return fail(m_callsPath,
                    u"An assistant message with 'tool_calls' must be followed by tool messages "
                    "responding to each 'tool_call_id'. The following tool_call_ids did not "
                    "have response messages: %1 (%2)"_s.arg(m_pending.join(u", "_s), where));
    }

    bool m_deepSeek = false;
    QStringList m_pending;
    QString m_callsPath;
    QSet<QString> m_answered;
};

// A check for a field that is only allowed when the body's `key` is true.
Check onlyWith(const QJsonObject &body, const QString &key, const Check &check)
{
    return [=](const QJsonValue &value, const QString &path) -> Result {
        if (body.value(key).toBool())
            return check ? check(value, path) : std::nullopt;
        return fail(path, u"only allowed when '%1' is true"_s.arg(key));
    };
}

Check onlyWithTools(const QJsonObject &body, const Check &check)
{
    return [=](const QJsonValue &value, const QString &path) -> Result {
        if (!body.contains(u"tools"_s))
            return fail(path, u"only allowed when 'tools' are specified"_s);
        return check(value, path);
    };
}

Check isToolChoice(const QJsonObject &body)
{
    const Check definedTool = [body](const QJsonValue &value, const QString &path) -> Result {
        if (auto p = isString()(value, path))
            return p;
        for (const QJsonValue &tool : body.value(u"tools"_s).toArray()) {
            if (tool[u"function"_s][u"name"_s] == value)
                return std::nullopt;
        }
        return fail(path, u"no tool named '%1' is defined in tools"_s.arg(value.toString()));
    };
    const Check function
        = isShape({{u"type"_s, isOneOf({u"function"_s}), true},
                   {u"function"_s, isShape({{u"name"_s, definedTool, true}}), true}});
    const Check mode = isOneOf({u"none"_s, u"auto"_s, u"required"_s});
    return [=](const QJsonValue &value, const QString &path) {
        return value.isString() ? mode(value, path) : function(value, path);
    };
}

Result stop(const QJsonValue &value, const QString &path)
{
    if (value.isString())
        return std::nullopt;
    if (!value.isArray())
        return wrongType(value, path, u"a string or an array of strings"_s);
    if (value.toArray().size() > 4)
        return fail(path, u"at most 4 stop sequences, got %1"_s.arg(value.toArray().size()));
    return isArrayOf(isString(), false)(value, path);
}

Result logitBias(const QJsonValue &value, const QString &path)
{
    if (auto p = isObject()(value, path))
        return p;
    const QJsonObject bias = value.toObject();
    for (auto it = bias.begin(); it != bias.end(); ++it) {
        if (auto p = inRange(-100, 100)(it.value(), field(path, it.key())))
            return p;
    }
    return std::nullopt;
}

Result responseFormat(const QJsonValue &value, const QString &path)
{
    if (auto p = shape(value, path,
                       {{u"type"_s, isOneOf({u"text"_s, u"json_object"_s, u"json_schema"_s}), true},
                        {u"json_schema"_s, isObject()}}))
        return p;
    const QJsonObject format = value.toObject();
    if (format.value(u"type"_s) == u"json_schema"_s && !format.contains(u"json_schema"_s))
        return fail(field(path, u"json_schema"_s), u"Missing required parameter"_s);
    return std::nullopt;
}

Result checkBody(const QJsonObject &body)
{
    const QStringList efforts {u"none"_s,   u"minimal"_s, u"low"_s,
                               u"medium"_s, u"high"_s,    u"xhigh"_s};
    const Check tool = isShape({{u"type"_s, isOneOf({u"function"_s}), true},
                                {u"function"_s,
                                 isShape({{u"name"_s, isFunctionName(), true},
                                          {u"description"_s, isString()},
                                          {u"parameters"_s, isObject()},
                                          {u"strict"_s, isBool()}}),
                                 true}});
    // model and messages first; tools before what refers to them.
    const QList<Field> fields {
        {u"model"_s, isString(true), true},
        {u"messages"_s, isArrayOf(isObject()), true},
        {u"max_tokens"_s, inRange(1, huge, true)},
        {u"max_completion_tokens"_s, inRange(1, huge, true)},
        {u"temperature"_s, inRange(0, 2)},
        {u"top_p"_s, inRange(0, 1)},
        {u"stop"_s, stop},
        {u"stream"_s, isBool()},
        {u"stream_options"_s,
         onlyWith(body, u"stream"_s, isShape({{u"include_usage"_s, isBool()}}))},
        {u"tools"_s, isArrayOf(tool)},
        {u"tool_choice"_s, onlyWithTools(body, isToolChoice(body))},
        {u"parallel_tool_calls"_s, onlyWithTools(body, isBool())},
        {u"reasoning_effort"_s, isOneOf(efforts)},
        {u"reasoning"_s,
         isShape({{u"effort"_s, isOneOf(efforts)},
                  {u"max_tokens"_s, inRange(0, huge, true)},
                  {u"exclude"_s, isBool()},
                  {u"enabled"_s, isBool()}})},
        {u"enable_thinking"_s, isBool()},
        {u"thinking_budget"_s, inRange(0, huge, true)},
        {u"thinking"_s,
         isShape({{u"type"_s, isOneOf({u"enabled"_s, u"disabled"_s, u"auto"_s}), true},
                  {u"budget_tokens"_s, inRange(1, huge, true)}})},
        {u"user"_s, isString()},
        {u"n"_s, inRange(1, 128, true)},
        {u"seed"_s, inRange(-huge, huge, true)},
        {u"presence_penalty"_s, inRange(-2, 2)},
        {u"frequency_penalty"_s, inRange(-2, 2)},
        {u"response_format"_s, responseFormat},
        {u"logprobs"_s, isBool()},
        {u"top_logprobs"_s, onlyWith(body, u"logprobs"_s, inRange(0, 20, true))},
        {u"logit_bias"_s, logitBias},
    };
    if (auto p = shape(body, {}, fields)) {
        if (p->path == u"model"_s && !body.contains(u"model"_s))
            p->text = u"you must provide a model parameter"_s;
        return p;
    }
    return MessageCheck(body.value(u"model"_s).toString())
        .run(body.value(u"messages"_s).toArray());
}

QString pathOf(const RecordedRequest &request)
{
    return request.path.section(u'?', 0, 0);
}

Result check(const RecordedRequest &request)
{
    const bool completions
        = request.method == "POST" && pathOf(request).endsWith(u"/chat/completions"_s);
    if (!completions && !OpenAIStrict::isModelsRequest(request)) {
        const QString what = QString::fromLatin1(request.method) + u' ' + pathOf(request);
        return Problem {404, {}, u"Invalid URL (%1)"_s.arg(what), false};
    }
    const QByteArray authorization = request.header("authorization"_ba);
    if (!authorization.startsWith("Bearer ") || authorization.mid(7).trimmed().isEmpty()) {
        return Problem {401,
                        {},
                        u"You didn't provide an API key. You need to provide your API key in an "
                        "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                        "YOUR_KEY)."_s,
                        false};
    }
    if (!completions)
        return std::nullopt;
    const QByteArray contentType = request.header("content-type"_ba);
    if (!contentType.isEmpty() && !contentType.toLower().startsWith("application/json"))
        return fail({},
                    u"content-type must be application/json, got %1"_s.arg(
                        QString::fromLatin1(contentType)));
    const QJsonDocument document = QJsonDocument::fromJson(request.body);
    if (!document.isObject())
        return fail({},
                    u"We could not parse the JSON body of your request: expected a JSON "
                    "object"_s);
    return checkBody(document.object());
}

} // namespace

namespace OpenAIStrict {

QString problem(const RecordedRequest &request)
{
    const Result p = check(request);
    return p ? p->message() : QString();
}

std::optional<ScriptedReply> refusal(const RecordedRequest &request)
{
    const Result p = check(request);
    if (!p)
        return std::nullopt;
    ScriptedReply r = OpenAIReplies::error(p->status, u"invalid_request_error"_s, p->message());
    if (!p->path.isEmpty()) {
        QJsonObject body = QJsonDocument::fromJson(r.body).object();
        QJsonObject error = body.value(u"error"_s).toObject();
        error.insert(u"param"_s, p->path);
        body.insert(u"error"_s, error);
        r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    return r;
}

bool isModelsRequest(const RecordedRequest &request)
{
    return request.method == "GET" && pathOf(request).endsWith(u"/models"_s);
}

} // namespace OpenAIStrict
