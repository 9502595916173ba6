// SPDX-License-Identifier: GPL-3.0-or-later
#include "account.h"

using namespace Qt::StringLiterals;

QString toString(ProviderKind kind)
{
    return kind == ProviderKind::OpenAI ? u"openai"_s : u"anthropic"_s;
}

QString toString(AuthStyle style)
{
    return style == AuthStyle::Bearer ? u"bearer"_s : u"x-api-key"_s;
}

QString toString(HealthState state)
{
    switch (state) {
    case HealthState::Valid:
        return u"valid"_s;
    case HealthState::Invalid:
        return u"invalid"_s;
    case HealthState::Disabled:
        return u"disabled"_s;
    case HealthState::Unknown:
        break;
    }
    return u"unknown"_s;
}

std::optional<ProviderKind> providerKindFromString(QStringView text)
{
    if (text.compare(u"anthropic", Qt::CaseInsensitive) == 0)
        return ProviderKind::Anthropic;
    if (text.compare(u"openai", Qt::CaseInsensitive) == 0)
        return ProviderKind::OpenAI;
    return std::nullopt;
}

std::optional<AuthStyle> authStyleFromString(QStringView text)
{
    if (text.compare(u"x-api-key", Qt::CaseInsensitive) == 0)
        return AuthStyle::XApiKey;
    if (text.compare(u"bearer", Qt::CaseInsensitive) == 0)
        return AuthStyle::Bearer;
    return std::nullopt;
}

std::optional<HealthState> healthStateFromString(QStringView text)
{
    for (HealthState s :
         {HealthState::Unknown, HealthState::Valid, HealthState::Invalid, HealthState::Disabled}) {
        if (text == toString(s))
            return s;
    }
    return std::nullopt;
}

AuthStyle defaultAuthStyle(ProviderKind kind)
{
    return kind == ProviderKind::OpenAI ? AuthStyle::Bearer : AuthStyle::XApiKey;
}

QUrl defaultBaseUrl(ProviderKind kind)
{
    return kind == ProviderKind::OpenAI ? QUrl(u"https://api.openai.com/v1"_s)
                                        : QUrl(u"https://api.anthropic.com"_s);
}

AccountHealth AccountHealth::resetByUser() const
{
    AccountHealth fresh;
    fresh.lastValidated = lastValidated;
    fresh.lastUsed = lastUsed;
    fresh.usageCount = usageCount;
    fresh.validationLatencyMs = validationLatencyMs;
    fresh.validationMessage = validationMessage;
    return fresh;
}
