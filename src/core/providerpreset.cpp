// SPDX-License-Identifier: GPL-3.0-or-later
#include "providerpreset.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

ProviderPreset anthropicFormat(QString id, QString name, QString url, AuthStyle auth,
                               QList<ModelRule> mapping = {}, QStringList otherHosts = {})
{
    ProviderPreset p;
    p.id = std::move(id);
    p.name = std::move(name);
    p.kind = ProviderKind::Anthropic;
    p.baseUrl = QUrl(url);
    p.authStyle = auth;
    p.suggestedMapping = std::move(mapping);
    p.otherHosts = std::move(otherHosts);
    return p;
}

ProviderPreset openAIFormat(QString id, QString name, QString url, OpenAIDialect dialect,
                            QList<ModelRule> mapping = {}, QStringList otherHosts = {})
{
    ProviderPreset p;
    p.id = std::move(id);
    p.name = std::move(name);
    p.kind = ProviderKind::OpenAI;
    p.baseUrl = QUrl(url);
    p.authStyle = AuthStyle::Bearer;
    p.local = p.baseUrl.host() == u"localhost";
    p.dialect = dialect;
    p.suggestedMapping = std::move(mapping);
    p.otherHosts = std::move(otherHosts);
    return p;
}

QList<ProviderPreset> makePresets()
{
    using R = ReasoningStyle;
    const OpenAIDialect openai {
        .cleanToolSchemas = false, .reasoning = R::ReasoningEffort, .maxCompletionTokens = true};
    // Providers whose thinking models want their reasoning back on tool-call turns.
    const OpenAIDialect reasoningBack {.reasoningContent = true};
    return {
        anthropicFormat(u"anthropic"_s, u"Anthropic"_s, u"https://api.anthropic.com"_s,
                        AuthStyle::XApiKey),
        anthropicFormat(u"deepseek-anthropic"_s, u"DeepSeek"_s,
                        u"https://api.deepseek.com/anthropic"_s, AuthStyle::XApiKey,
                        {{u"*"_s, u"deepseek-chat"_s}}),
        anthropicFormat(u"moonshot-anthropic"_s, u"Moonshot Kimi"_s,
                        u"https://api.moonshot.ai/anthropic"_s, AuthStyle::Bearer,
                        {{u"*"_s, u"kimi-k2-turbo-preview"_s}}, {u"api.moonshot.cn"_s}),
        anthropicFormat(u"zhipu-anthropic"_s, u"Zhipu GLM"_s,
                        u"https://open.bigmodel.cn/api/anthropic"_s, AuthStyle::Bearer,
                        {{u"claude-haiku-*"_s, u"glm-4.5-air"_s}, {u"*"_s, u"glm-4.6"_s}},
                        {u"api.z.ai"_s}),
        anthropicFormat(
            u"other-anthropic"_s,
            QString::fromLatin1(QT_TRANSLATE_NOOP("ProviderPreset", "Other Anthropic-compatible")),
            {}, AuthStyle::XApiKey),

        openAIFormat(u"openai"_s, u"OpenAI"_s, u"https://api.openai.com/v1"_s, openai,
                     {{u"claude-haiku-*"_s, u"gpt-4.1-mini"_s}, {u"*"_s, u"gpt-4.1"_s}}),
        openAIFormat(
            u"openrouter"_s, u"OpenRouter"_s, u"https://openrouter.ai/api/v1"_s,
            OpenAIDialect {.reasoning = R::OpenRouter},
            {{u"claude-haiku-*"_s, u"openai/gpt-4.1-mini"_s}, {u"*"_s, u"openai/gpt-4.1"_s}}),
        openAIFormat(u"deepseek"_s, u"DeepSeek"_s, u"https://api.deepseek.com/v1"_s,
                     OpenAIDialect {.imageUrls = false, .reasoningContent = true},
                     {{u"claude-opus-*"_s, u"deepseek-reasoner"_s}, {u"*"_s, u"deepseek-chat"_s}}),
        openAIFormat(u"moonshot"_s, u"Moonshot Kimi"_s, u"https://api.moonshot.ai/v1"_s,
                     reasoningBack, {{u"*"_s, u"kimi-k2-turbo-preview"_s}}, {u"api.moonshot.cn"_s}),
        openAIFormat(u"zhipu"_s, u"Zhipu GLM"_s, u"https://open.bigmodel.cn/api/paas/v4"_s,
                     OpenAIDialect {.reasoning = R::ThinkingType},
                     {{u"claude-haiku-*"_s, u"glm-4.5-air"_s}, {u"*"_s, u"glm-4.6"_s}},
                     {u"api.z.ai"_s}),
        openAIFormat(u"qwen"_s, u"Qwen (DashScope)"_s,
                     u"https://dashscope-intl.aliyuncs.com/compatible-mode/v1"_s,
                     OpenAIDialect {.reasoning = R::EnableThinking, .reasoningContent = true},
                     {{u"claude-haiku-*"_s, u"qwen-flash"_s}, {u"*"_s, u"qwen3-coder-plus"_s}},
                     {u"dashscope.aliyuncs.com"_s}),
        openAIFormat(u"ollama"_s, u"Ollama"_s, u"http://localhost:11434/v1"_s, OpenAIDialect {},
                     {{u"*"_s, u"qwen3-coder"_s}}),
        openAIFormat(u"lmstudio"_s, u"LM Studio"_s, u"http://localhost:1234/v1"_s,
                     OpenAIDialect {}),
        openAIFormat(u"llamacpp"_s, u"llama.cpp server"_s, u"http://localhost:8080/v1"_s,
                     reasoningBack),
        openAIFormat(u"vllm"_s, u"vLLM"_s, u"http://localhost:8000/v1"_s, reasoningBack),
        openAIFormat(
            u"other-openai"_s,
            QString::fromLatin1(QT_TRANSLATE_NOOP("ProviderPreset", "Other OpenAI-compatible")), {},
            OpenAIDialect {}),
    };
}

bool isLoopback(const QString &host)
{
    return host == u"localhost" || host == u"127.0.0.1" || host == u"::1";
}

} // namespace

const QList<ProviderPreset> &ProviderPreset::all()
{
    static const QList<ProviderPreset> presets = makePresets();
    return presets;
}

const ProviderPreset *ProviderPreset::byId(QStringView id)
{
    for (const ProviderPreset &p : all()) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

const ProviderPreset &ProviderPreset::other(ProviderKind kind)
{
    return *byId(kind == ProviderKind::OpenAI ? u"other-openai" : u"other-anthropic");
}

const ProviderPreset &ProviderPreset::forAccount(const Account &account)
{
    const QString host = account.baseUrl.host().toLower();
    for (const ProviderPreset &p : all()) {
        if (p.kind != account.provider || p.baseUrl.isEmpty())
            continue;
        // Local servers are told apart by their port; hosted ones by their host.
        const bool matches = p.local
            ? isLoopback(host) && account.baseUrl.port() == p.baseUrl.port()
            : host == p.baseUrl.host() || p.otherHosts.contains(host);
        if (matches)
            return p;
    }
    return other(account.provider);
}

QString ProviderPreset::displayName() const
{
    // Only the generic presets' names are translated; a provider's name is its own.
    return QCoreApplication::translate("ProviderPreset", name.toLatin1().constData());
}
