// SPDX-License-Identifier: GPL-3.0-or-later
#include "thinkingblocks.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace ThinkingBlocks {

namespace {

bool isAssistant(const QJsonValue &message)
{
    return message[u"role"].toString() == u"assistant";
}

bool hasToolUse(const QJsonArray &content)
{
    return std::any_of(content.cbegin(), content.cend(), [](const QJsonValue &block) {
        return block[u"type"].toString() == u"tool_use";
    });
}

/// The assistant turns' content arrays with the blocks `keep` refuses removed; assistant
/// turns left empty are dropped. Counts what it removed.
QJsonArray filterMessages(const QJsonArray &messages,
                          const std::function<bool(const QJsonObject &block)> &keep, int &dropped)
{
    QJsonArray out;
    for (const QJsonValue &message : messages) {
        const QJsonValue content = message[u"content"];
        if (!isAssistant(message) || !content.isArray()) {
            out.append(message);
            continue;
        }
        QJsonArray kept;
        for (const QJsonValue &block : content.toArray()) {
            if (isThinking(block.toObject()) && !keep(block.toObject()))
                ++dropped;
            else
                kept.append(block);
        }
        if (kept.isEmpty())
            continue;
        QJsonObject changed = message.toObject();
        changed.insert(u"content"_s, kept);
        out.append(changed);
    }
    return out;
}

/// The final assistant turn is in a tool loop and would not start with a thinking block.
bool finalTurnNeedsThinking(const QJsonArray &messages)
{
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        if (!isAssistant(messages[i]))
            continue;
        const QJsonValue content = messages[i][u"content"];
        if (!content.isArray())
            return false; // a string: no tool_use
        const QJsonArray blocks = content.toArray();
        return hasToolUse(blocks) && !isThinking(blocks.first().toObject());
    }
    return false;
}

void turnThinkingOff(QJsonObject &request)
{
    request.remove(u"thinking"_s);
    QJsonObject management = request.value(u"context_management").toObject();
    if (management.isEmpty())
        return;
    QJsonArray edits;
    for (const QJsonValue &edit : management.value(u"edits").toArray()) {
        if (!edit[u"type"].toString().startsWith(u"clear_thinking"))
            edits.append(edit);
    }
    if (edits.isEmpty() && management.size() == 1) {
        request.remove(u"context_management"_s);
        return;
    }
    management.insert(u"edits"_s, edits);
    request.insert(u"context_management"_s, management);
}

} // namespace

QString signatureOf(const QJsonObject &block)
{
    const QString type = block.value(u"type").toString();
    if (type == u"thinking")
        return block.value(u"signature").toString();
    if (type == u"redacted_thinking")
        return block.value(u"data").toString();
    return {};
}

bool isThinking(const QJsonObject &block)
{
    const QString type = block.value(u"type").toString();
    return type == u"thinking" || type == u"redacted_thinking";
}

bool isThinkingOn(const QJsonObject &request)
{
    const QString type = request.value(u"thinking")[u"type"].toString();
    return type == u"enabled" || type == u"adaptive";
}

bool hasThinking(const QJsonObject &request)
{
    for (const QJsonValue &message : request.value(u"messages").toArray()) {
        if (!isAssistant(message))
            continue;
        const QJsonArray content = message[u"content"].toArray();
        if (std::any_of(content.cbegin(), content.cend(),
                        [](const QJsonValue &block) { return isThinking(block.toObject()); }))
            return true;
    }
    return false;
}

std::optional<Rewrite> withoutForeign(const QJsonObject &request,
                                      const std::function<bool(const QString &signature)> &keep)
{
    const QJsonArray messages = request.value(u"messages").toArray();
    Rewrite rewrite;
    QJsonArray filtered = filterMessages(
        messages,
        [&keep](const QJsonObject &block) {
            const QString signature = signatureOf(block);
            return !signature.isEmpty() && keep(signature);
        },
        rewrite.droppedBlocks);
    if (rewrite.droppedBlocks == 0)
        return std::nullopt;
    rewrite.request = request;
    if (isThinkingOn(request) && finalTurnNeedsThinking(filtered)) {
        rewrite.thinkingOff = true;
        turnThinkingOff(rewrite.request);
        filtered = filterMessages(
            filtered, [](const QJsonObject &) { return false; }, rewrite.droppedBlocks);
    }
    rewrite.request.insert(u"messages"_s, filtered);
    return rewrite;
}

QByteArray betaWithoutThinking(const QByteArray &beta)
{
    QByteArrayList kept;
    for (const QByteArray &value : beta.split(',')) {
        const QByteArray trimmed = value.trimmed();
        if (!trimmed.isEmpty() && !trimmed.contains("thinking"))
            kept.append(trimmed);
    }
    return kept.join(',');
}

bool isThinkingRefusal(int status, const QByteArray &body)
{
    if (status != 400)
        return false;
    const QString message = QJsonDocument::fromJson(body)[u"error"][u"message"].toString();
    return (message.contains(u"signature", Qt::CaseInsensitive)
            && message.contains(u"thinking", Qt::CaseInsensitive))
        || message.contains(u"must start with a thinking block", Qt::CaseInsensitive);
}

} // namespace ThinkingBlocks

SignatureBook::SignatureBook(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{ }

size_t SignatureBook::key(const QString &signature)
{
    return qHash(QStringView(signature), size_t(0x5157'4e42));
}

void SignatureBook::record(const QString &signature, const QUuid &account)
{
    if (signature.isEmpty() || account.isNull())
        return;
    const size_t k = key(signature);
    const auto it = m_signers.find(k);
    if (it != m_signers.end()) {
        *it = account;
        return;
    }
    m_signers.insert(k, account);
    m_order.push_back(k);
    while (qsizetype(m_order.size()) > m_capacity) {
        m_signers.remove(m_order.front());
        m_order.pop_front();
    }
}

QUuid SignatureBook::signer(const QString &signature) const
{
    return signature.isEmpty() ? QUuid() : m_signers.value(key(signature));
}
