// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreamvalidator.h"

#include "core/clock.h"
#include "core/clocktimer.h"
#include "gateway/healthpolicy.h"
#include "gateway/openai/openaierror.h"
#include "gateway/upstreamcall.h"
#include "gateway/upstreammessage.h"
#include "gateway/upstreampool.h"
#include "gateway/upstreamreply.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <memory>

using namespace Qt::StringLiterals;

UpstreamValidator::UpstreamValidator(UpstreamPool &pool, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_pool(pool)
    , m_clock(clock)
{ }

void UpstreamValidator::validate(const Account &account, const QString &secret,
                                 std::function<void(const ValidationResult &)> done)
{
    attempt(account, secret, false, std::move(done));
}

void UpstreamValidator::attempt(const Account &account, const QString &secret, bool countTokens,
                                std::function<void(const ValidationResult &)> done)
{
    ClientRequest probe;
    if (countTokens) {
        const QString model = account.allowedModels.value(0, u"claude-sonnet-4-5"_s);
        probe.method = "POST";
        probe.path = u"/v1/messages/count_tokens"_s;
        probe.model = model;
        probe.json = QJsonObject {
            {u"model"_s, model},
            {u"messages"_s,
             QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"ping"_s}}}}};
        probe.body = QJsonDocument(probe.json).toJson(QJsonDocument::Compact);
    } else {
        probe.method = "GET";
        probe.path = u"/v1/models"_s;
    }
    const bool openAI = account.provider == ProviderKind::OpenAI;
    UpstreamReply *reply = m_pool.send(openAI ? UpstreamCall::openAIModels(account, secret)
                                              : UpstreamCall::forAnthropic(account, secret, probe));
    // Owned here, so a check still running when the gateway stops goes with it.
    reply->setParent(this);
    auto elapsed = std::make_shared<QElapsedTimer>();
    elapsed->start();
    auto timedOut = std::make_shared<bool>(false);
    ClockTimer::singleShot(m_clock, std::chrono::seconds(m_timeoutSeconds), reply,
                           [reply, timedOut] {
                               if (reply->isRunning()) {
                                   *timedOut = true;
                                   reply->abort();
                               }
                           });
    connect(reply, &UpstreamReply::finished, this,
            [this, reply, account, secret, countTokens, openAI, done, elapsed, timedOut] {
                reply->deleteLater();
                UpstreamOutcome outcome;
                outcome.status = reply->status();
                // A refused key may come back in the message: it must not be kept or shown.
                outcome.body = UpstreamMessage::masked(reply->readAll(), secret);
                outcome.networkError = reply->errorString();
                outcome.headers = reply->headers();
                if (*timedOut)
                    outcome.transport = UpstreamOutcome::Transport::Timeout;
                else if (outcome.status == 0)
                    outcome.transport = reply->hasError() ? reply->transport()
                                                          : UpstreamOutcome::Transport::Reset;
                // Some Anthropic-compatible providers have no model list: ask count_tokens.
                if (!openAI && !countTokens && outcome.status == 404)
                    return attempt(account, secret, true, done);
                if (openAI && outcome.status >= 400) {
                    const OpenAIError::Mapped error
                        = OpenAIError::toAnthropic(outcome.status, outcome.body);
                    outcome.status = error.status;
                    outcome.body = OpenAIError::anthropicBody(error);
                }

                ValidationResult result;
                result.accountId = account.id;
                result.latencyMs = int(elapsed->elapsed());
                result.time = m_clock.now();
                result.verdict = FailureClassifier::classify(outcome, m_policy, result.time);
                // A request error other than the key's (404 model, 400) still proves the key.
                if (result.verdict.route == Verdict::Route::ReturnToClient) {
                    result.verdict = {};
                    result.verdict.effect = Verdict::Effect::Success;
                }
                result.ok = result.verdict.route == Verdict::Route::Done;
                result.message = result.ok ? tr("The key works (%1 ms).").arg(result.latencyMs)
                                           : result.verdict.reason;
                done(result);
            });
}

AccountHealth UpstreamValidator::applyResult(AccountHealth health, const ValidationResult &result,
                                             const CooldownPolicy &policy)
{
    health = HealthPolicy::apply(health, result.verdict, policy, result.time);
    health.lastValidated = result.time;
    health.validationLatencyMs = result.latencyMs;
    health.validationMessage = result.message;
    return health;
}
