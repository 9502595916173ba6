// SPDX-License-Identifier: GPL-3.0-or-later
#include "ratelimits.h"

#include <QRegularExpression>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 maxDurationMs = 366LL * 24 * 3600 * 1000;

/// OpenAI's reset durations: "1s", "6m0s", "20ms", "1h2m3.5s".
std::optional<qint64> durationMs(const QByteArray &text)
{
    static const QRegularExpression part(u"(\\d+(?:\\.\\d+)?)(ms|h|m|s)"_s);
    qint64 total = 0;
    qsizetype at = 0;
    const QString value = QString::fromLatin1(text.trimmed());
    auto match = part.globalMatch(value);
    while (match.hasNext()) {
        const QRegularExpressionMatch m = match.next();
        if (m.capturedStart() != at)
            return std::nullopt;
        at = m.capturedEnd();
        const double amount = m.captured(1).toDouble();
        const QString unit = m.captured(2);
        const double scale = unit == u"ms" ? 1 : unit == u"s" ? 1e3 : unit == u"m" ? 6e4 : 3.6e6;
        if (amount * scale > maxDurationMs - total)
            return std::nullopt; // no window lasts that long: a broken header
        total += qint64(amount * scale);
    }
    if (at == 0 || at != value.size())
        return std::nullopt;
    return total;
}

/// A reset time: RFC 3339 (Anthropic), a duration (OpenAI) or epoch seconds/milliseconds.
QDateTime resetTime(const QByteArray &text, const QDateTime &now)
{
    const QDateTime date
        = QDateTime::fromString(QString::fromLatin1(text.trimmed()), Qt::ISODateWithMs);
    if (date.isValid())
        return date.toUTC();
    bool number = false;
    const qint64 value = text.trimmed().toLongLong(&number);
    if (number && value > 0) // beyond 10^11 it can only be milliseconds
        return value > 100'000'000'000 ? QDateTime::fromMSecsSinceEpoch(value, Qt::UTC)
                                       : QDateTime::fromSecsSinceEpoch(value, Qt::UTC);
    if (const auto ms = durationMs(text))
        return now.toUTC().addMSecs(*ms);
    return {};
}

qint64 count(const QByteArray &text)
{
    bool ok = false;
    const qint64 value = text.trimmed().toLongLong(&ok);
    return ok && value >= 0 ? value : -1;
}

} // namespace

RateLimits RateLimits::fromHeaders(const Headers &headers, const QDateTime &now)
{
    RateLimits limits;
    auto take = [&](RateLimit &limit, QByteArrayView field, const QByteArray &value) {
        if (field == "limit")
            limit.limit = count(value);
        else if (field == "remaining")
            limit.remaining = count(value);
        else if (field == "reset")
            limit.reset = resetTime(value, now);
    };
    auto byName = [&](QByteArrayView name) -> RateLimit * {
        if (name == "requests")
            return &limits.requests;
        if (name == "tokens")
            return &limits.tokens;
        if (name == "input-tokens")
            return &limits.inputTokens;
        if (name == "output-tokens")
            return &limits.outputTokens;
        return nullptr;
    };
    for (const auto &[rawName, value] : headers) {
        const QByteArray name = rawName.toLower();
        if (name.startsWith("anthropic-ratelimit-")) {
            // anthropic-ratelimit-input-tokens-remaining: the kind, then the field.
            const QByteArrayView rest = QByteArrayView(name).sliced(20);
            const qsizetype dash = rest.lastIndexOf('-');
            if (RateLimit *limit = dash > 0 ? byName(rest.first(dash)) : nullptr)
                take(*limit, rest.sliced(dash + 1), value);
        } else if (name.startsWith("x-ratelimit-")) {
            // x-ratelimit-remaining-tokens, or OpenRouter's x-ratelimit-remaining.
            const QByteArrayView rest = QByteArrayView(name).sliced(12);
            const qsizetype dash = rest.indexOf('-');
            RateLimit *limit = dash < 0 ? &limits.requests : byName(rest.sliced(dash + 1));
            if (limit)
                take(*limit, dash < 0 ? rest : rest.first(dash), value);
        }
    }
    if (!limits.isEmpty())
        limits.seen = now.toUTC();
    return limits;
}

bool RateLimits::isEmpty() const
{
    const QList<RateLimit> limits = all();
    return std::none_of(limits.cbegin(), limits.cend(),
                        [](const RateLimit &limit) { return limit.isKnown(); });
}

void RateLimits::merge(const RateLimits &newer)
{
    for (auto part : {&RateLimits::requests, &RateLimits::tokens, &RateLimits::inputTokens,
                      &RateLimits::outputTokens}) {
        if ((newer.*part).isKnown())
            this->*part = newer.*part;
    }
    seen = newer.seen;
}

RateLimit RateLimits::scarcestTokens() const
{
    RateLimit scarcest;
    for (const RateLimit &limit : {tokens, inputTokens, outputTokens}) {
        if (limit.isKnown() && (!scarcest.isKnown() || limit.left() < scarcest.left()))
            scarcest = limit;
    }
    return scarcest;
}
