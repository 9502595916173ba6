// SPDX-License-Identifier: GPL-3.0-or-later
// What the relay does for OpenAI-compatible accounts: answers they cannot give, stream
// translation, and answers converted to Anthropic's format.
#include "gateway/gatewayparts.h"
#include "gateway/healthbook.h"
#include "gateway/messagerelay.h"
#include "gateway/modelcatalog.h"
#include "gateway/openai/openaierror.h"
#include "gateway/openai/openairesponse.h"
#include "gateway/openai/openaistream.h"
#include "gateway/openai/tokenestimate.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

void replaceHeader(QList<QPair<QByteArray, QByteArray>> &headers, const QByteArray &name,
                   const QByteArray &value)
{
    headers.removeIf([&name](const auto &header) { return header.first == name; });
    headers.append({name, value});
}

} // namespace

QStringList MessageRelay::stopSequences() const
{
    QStringList stops;
    for (const QJsonValue &stop : m_request.json.value(u"stop_sequences").toArray())
        stops << stop.toString();
    return stops;
}

bool MessageRelay::answerWithoutOpenAI()
{
    const bool countTokens = m_request.path == u"/v1/messages/count_tokens";
    if (!countTokens && m_request.path != u"/v1/models")
        return false;
    QList<QUuid> anthropic;
    for (const QUuid &id : std::as_const(m_plan)) {
        const Account *account = m_ctx.health.find(id);
        if (account && account->provider == ProviderKind::Anthropic)
            anthropic << id;
    }
    if (anthropic.size() == m_plan.size())
        return false;
    if (!anthropic.isEmpty()) {
        m_plan = anthropic; // exact and free there
        return false;
    }
    // Only OpenAI-compatible accounts: they have neither endpoint in Anthropic's sense.
    QByteArray body;
    ClientWriter::Headers headers {{"content-type"_ba, "application/json"_ba}};
    if (countTokens) {
        body = QJsonDocument(
                   QJsonObject {{u"input_tokens"_s, TokenEstimate::inputTokens(m_request.json)}})
                   .toJson(QJsonDocument::Compact);
        headers.append({"x-switchboard-estimate"_ba, "true"_ba});
    } else {
        body = ModelCatalog::listJson(ModelCatalog::modelsFor(m_ctx.health.accounts()));
    }
    m_client.send(200, headers, body);
    finish(200);
    return true;
}

QList<SseEvent> MessageRelay::translate(const QList<SseEvent> &events)
{
    QList<SseEvent> out;
    for (const SseEvent &event : events) {
        if (!event.data.isEmpty())
            out << m_attempt.translator->feed(event.data);
    }
    return out;
}

void MessageRelay::convertOpenAIOutcome(UpstreamOutcome &outcome)
{
    replaceHeader(outcome.headers, "content-type"_ba, "application/json"_ba);
    const QJsonObject json = QJsonDocument::fromJson(outcome.body).object();
    OpenAIError::Mapped error;
    if (outcome.status >= 400) {
        error = OpenAIError::toAnthropic(outcome.status, outcome.body);
    } else if (json.contains(u"error")) {
        // Some providers answer 200 with an error object instead of a completion.
        error = OpenAIError::fromStreamError(json.value(u"error"));
    } else {
        auto message = OpenAIResponse::toAnthropic(json, m_request.model, stopSequences());
        if (message) {
            m_attempt.body = outcome.body = QJsonDocument(*message).toJson(QJsonDocument::Compact);
            return;
        }
        // Judged like malformed JSON: the account failed, the next may not.
        outcome.transport = UpstreamOutcome::Transport::Unusable;
        outcome.networkError = tr("the upstream's answer is not a chat completion (%1)")
                                   .arg(message.error().message);
        return;
    }
    outcome.status = error.status;
    outcome.body = OpenAIError::anthropicBody(error);
}
