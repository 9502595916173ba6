// SPDX-License-Identifier: GPL-3.0-or-later
//
// OpenAIRequest::fromAnthropic, for the dialect of every OpenAI-compatible preset. Input:
// a client's request body (JSON; anything else is refused before the converter runs).
//
// Invariants: a refusal says why; a converted request names the upstream model, holds only
// the fields a Chat Completions server knows and never a null, sends tool_choice and
// parallel_tool_calls only with tools, at most 4 stop strings, and messages of the four
// roles, each tool message answering a call id.

#include "fuzzcheck.h"

#include "core/providerpreset.h"
#include "gateway/openai/openairequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

using namespace Qt::StringLiterals;

FUZZ_QUIET_QT

namespace {

bool holdsNull(const QJsonValue &value)
{
    if (value.isNull() || value.isUndefined())
        return true;
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::any_of(array.begin(), array.end(), [](const QJsonValue &v) { return holdsNull(v); });
    }
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        return std::any_of(object.begin(), object.end(),
                           [](const QJsonValue &v) { return holdsNull(v); });
    }
    return false;
}

void check(const QJsonObject &out)
{
    static const QSet<QString> known {
        u"model"_s,           u"messages"_s,         u"max_tokens"_s,       u"max_completion_tokens"_s,
        u"temperature"_s,     u"top_p"_s,            u"stop"_s,             u"stream"_s,
        u"stream_options"_s,  u"tools"_s,            u"tool_choice"_s,      u"parallel_tool_calls"_s,
        u"reasoning_effort"_s, u"reasoning"_s,       u"enable_thinking"_s,  u"thinking_budget"_s,
        u"thinking"_s,
    };
    for (auto it = out.begin(); it != out.end(); ++it)
        FUZZ_CHECK(known.contains(it.key()), "a field Chat Completions does not know");
    FUZZ_CHECK(!holdsNull(out), "a null in the converted request");
    FUZZ_CHECK(out.value(u"model"_s) == u"gpt-fuzz"_s, "the upstream model is not sent");
    FUZZ_CHECK(out.value(u"stop"_s).toArray().size() <= 4, "more than 4 stop strings");
    const bool tools = !out.value(u"tools"_s).toArray().isEmpty();
    FUZZ_CHECK(tools || (!out.contains(u"tool_choice"_s) && !out.contains(u"parallel_tool_calls"_s)),
               "tool_choice without tools");
    FUZZ_CHECK(out.value(u"messages"_s).isArray(), "messages is not a list");
    for (const QJsonValue &m : out.value(u"messages"_s).toArray()) {
        const QString role = m.toObject().value(u"role"_s).toString();
        FUZZ_CHECK(role == u"system" || role == u"user" || role == u"assistant" || role == u"tool",
                   "a message of an unknown role");
        if (role == u"tool")
            FUZZ_CHECK(m.toObject().value(u"tool_call_id"_s).isString(),
                       "a tool message without a call id");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument doc = QJsonDocument::fromJson(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!doc.isObject())
        return 0; // the gateway answers 400 before converting
    for (const ProviderPreset &preset : ProviderPreset::all()) {
        if (preset.kind != ProviderKind::OpenAI)
            continue;
        const Result<QJsonObject> out
            = OpenAIRequest::fromAnthropic(doc.object(), u"gpt-fuzz"_s, preset.dialect);
        if (out)
            check(*out);
        else
            FUZZ_CHECK(!out.error().message.isEmpty(), "a refusal without a reason");
    }
    return 0;
}
