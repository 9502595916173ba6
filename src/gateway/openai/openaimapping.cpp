// SPDX-License-Identifier: GPL-3.0-or-later
#include "openaimapping.h"

#include <QCryptographicHash>
#include <QJsonValue>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>
#include <atomic>

using namespace Qt::StringLiterals;

namespace {

std::atomic<quint64> &seed()
{
    static std::atomic<quint64> value {QRandomGenerator::system()->generate64()};
    return value;
}

std::atomic<quint64> &messageCounter()
{
    static std::atomic<quint64> value {0};
    return value;
}

QString hashId(const QString &prefix, const QByteArray &material)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const quint64 s = seed().load();
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(&s), sizeof s));
    hash.addData(material);
    return prefix + QString::fromLatin1(hash.result().left(12).toHex());
}

} // namespace

QString OpenAIMapping::stopReason(const QString &finishReason, bool hasToolCalls,
                                  bool matchedStopSequence)
{
    if (finishReason == u"length")
        return u"max_tokens"_s;
    if (finishReason == u"content_filter")
        return u"refusal"_s;
    if (hasToolCalls || finishReason == u"tool_calls" || finishReason == u"function_call")
        return u"tool_use"_s;
    if (matchedStopSequence)
        return u"stop_sequence"_s;
    return u"end_turn"_s;
}

QString OpenAIMapping::matchedStop(const QJsonObject &choice, const QStringList &stopSequences)
{
    for (const QString &key : {u"stop_reason"_s, u"matched_stop"_s}) {
        const QJsonValue value = choice.value(key);
        // vLLM puts a token id (a number) here when a stop token, not a string, matched.
        if (value.isString() && stopSequences.contains(value.toString()))
            return value.toString();
    }
    return {};
}

QJsonObject OpenAIMapping::usage(const QJsonObject &openaiUsage)
{
    const qint64 prompt = count(openaiUsage.value(u"prompt_tokens"_s));
    const qint64 completion = count(openaiUsage.value(u"completion_tokens"_s));
    QJsonValue cached
        = openaiUsage.value(u"prompt_tokens_details"_s).toObject().value(u"cached_tokens"_s);
    if (!cached.isDouble())
        cached = openaiUsage.value(u"prompt_cache_hit_tokens"_s);

    QJsonObject out {{u"input_tokens"_s, prompt}, {u"output_tokens"_s, completion}};
    if (cached.isDouble()) {
        const qint64 read = qBound<qint64>(0, count(cached), prompt);
        out.insert(u"input_tokens"_s, prompt - read);
        out.insert(u"cache_read_input_tokens"_s, read);
    }
    return out;
}

QJsonObject OpenAIMapping::emptyUsage()
{
    return {{u"input_tokens"_s, 0}, {u"output_tokens"_s, 0}};
}

QString OpenAIMapping::messageId(const QString &upstreamId)
{
    if (!upstreamId.isEmpty())
        return u"msg_"_s + upstreamId;
    return hashId(u"msg_"_s, "message:" + QByteArray::number(messageCounter()++));
}

namespace {
const QString encodedToolPrefix = u"toolu_sb-"_s; // '-' never appears in Anthropic's ids
}

QString OpenAIMapping::anthropicToolId(const QString &upstreamId)
{
    static const QRegularExpression accepted(u"^[a-zA-Z0-9_-]+$"_s);
    if (upstreamId.isEmpty()
        || accepted.match(upstreamId).hasMatch() && !upstreamId.startsWith(encodedToolPrefix))
        return upstreamId;
    return encodedToolPrefix
        + QString::fromLatin1(upstreamId.toUtf8().toBase64(QByteArray::Base64UrlEncoding
                                                           | QByteArray::OmitTrailingEquals));
}

QString OpenAIMapping::upstreamToolId(const QString &anthropicId)
{
    if (!anthropicId.startsWith(encodedToolPrefix))
        return anthropicId;
    const auto decoded = QByteArray::fromBase64Encoding(
        anthropicId.mid(encodedToolPrefix.size()).toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? QString::fromUtf8(*decoded) : anthropicId;
}

QString OpenAIMapping::mintToolId(const QString &messageId, int index)
{
    return hashId(u"toolu_"_s, messageId.toUtf8() + ':' + QByteArray::number(index));
}

void OpenAIMapping::setIdSeed(quint64 value)
{
    seed().store(value);
    messageCounter().store(0);
}

qint64 OpenAIMapping::count(const QJsonValue &value)
{
    constexpr double limit = 9007199254740992.0; // 2^53
    return value.isDouble() ? qint64(std::clamp(value.toDouble(), 0.0, limit)) : 0;
}
