// SPDX-License-Identifier: GPL-3.0-or-later
#include "thinkinghandoff.h"

#include "gateway/healthbook.h"
#include "gateway/upstreamoutcome.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QStringList signaturesOf(const QJsonArray &content)
{
    QStringList out;
    for (const QJsonValue &block : content) {
        if (const QString s = ThinkingBlocks::signatureOf(block.toObject()); !s.isEmpty())
            out << s;
    }
    return out;
}

/// Every signature in the assistant turns of a request.
QStringList signaturesIn(const QJsonObject &request)
{
    QStringList out;
    for (const QJsonValue &message : request.value(u"messages").toArray()) {
        if (message[u"role"].toString() == u"assistant")
            out += signaturesOf(message[u"content"].toArray());
    }
    return out;
}

} // namespace

ThinkingHandoff::ThinkingHandoff(SignatureBook &book, const HealthBook &accounts)
    : m_book(book)
    , m_accounts(accounts)
{ }

void ThinkingHandoff::begin(const QUuid &account)
{
    m_account = account;
    m_note.clear();
    m_sent.clear();
    m_rewritten = {};
}

const ClientRequest &ThinkingHandoff::requestFor(const ClientRequest &request)
{
    if (!ThinkingBlocks::hasThinking(request.json))
        return request;
    QStringList signers;
    const auto rewrite
        = ThinkingBlocks::withoutForeign(request.json, [&](const QString &signature) {
              const QUuid signer = m_book.signer(signature);
              if (signer == m_account || (signer.isNull() && !m_strict))
                  return true;
              const Account *account = m_accounts.find(signer);
              const QString name = account ? account->name : tr("an unknown account");
              if (!signers.contains(name))
                  signers << name;
              return false;
          });
    if (!rewrite) {
        m_sent = signaturesIn(request.json);
        return request;
    }
    m_rewritten = request;
    m_rewritten.json = rewrite->request;
    m_rewritten.body = QJsonDocument(rewrite->request).toJson(QJsonDocument::Compact);
    // Only blocks without a signature: reasoning an OpenAI-compatible provider wrote.
    m_note = signers.isEmpty() ? tr("thinking dropped: from another provider")
                               : tr("thinking dropped: signed by %1").arg(signers.join(u", "));
    if (rewrite->thinkingOff) {
        m_note += tr("; thinking turned off for this turn");
        for (auto &[name, value] : m_rewritten.headers) {
            if (name == "anthropic-beta")
                value = ThinkingBlocks::betaWithoutThinking(value);
        }
    }
    m_sent = signaturesIn(m_rewritten.json);
    return m_rewritten;
}

void ThinkingHandoff::eventSeen(const SseEvent &event)
{
    // A cheap look first: these events are one per thinking block.
    QString signature;
    if (event.event == "content_block_delta" && event.data.contains("signature_delta")) {
        signature = QJsonDocument::fromJson(event.data)[u"delta"][u"signature"].toString();
    } else if (event.event == "content_block_start" && event.data.contains("redacted_thinking")) {
        signature = ThinkingBlocks::signatureOf(
            QJsonDocument::fromJson(event.data)[u"content_block"].toObject());
    }
    m_book.record(signature, m_account);
}

void ThinkingHandoff::answerSeen(const QJsonObject &answer)
{
    for (const QString &signature : signaturesOf(answer.value(u"content").toArray()))
        m_book.record(signature, m_account);
}

void ThinkingHandoff::succeeded()
{
    for (const QString &signature : std::as_const(m_sent))
        m_book.record(signature, m_account);
}

bool ThinkingHandoff::retryAfter(const UpstreamOutcome &outcome)
{
    // A retry helps only when some block the account got is not known to be its own.
    const auto unproven = [this](const QString &s) { return m_book.signer(s) != m_account; };
    if (m_strict || std::none_of(m_sent.cbegin(), m_sent.cend(), unproven)
        || !ThinkingBlocks::isThinkingRefusal(outcome.status, outcome.body))
        return false;
    m_strict = true;
    return true;
}
