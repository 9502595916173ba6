// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagerelay.h"

#include "core/clock.h"
#include "core/secretmask.h"
#include "gateway/apierror.h"
#include "gateway/connectionguard.h"
#include "gateway/failureclassifier.h"
#include "gateway/gatewaylogging.h"
#include "gateway/gatewayparts.h"
#include "gateway/healthbook.h"
#include "gateway/healthpolicy.h"
#include "gateway/openai/openaistream.h"
#include "gateway/router.h"
#include "gateway/secretcache.h"
#include "gateway/upstreamcall.h"
#include "gateway/upstreampool.h"
#include "gateway/upstreamreply.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// How long a request waits for keys still being read before it skips their accounts.
constexpr std::chrono::seconds secretWait {5};

// Bodies beyond this are cut in the debug log.
constexpr qsizetype debugBodyLimit = 1024 * 1024;

bool relayedHeader(const QByteArray &name)
{
    return name == "request-id" || name == "retry-after" || name.startsWith("anthropic-ratelimit-");
}

} // namespace

MessageRelay::MessageRelay(GatewayParts &context, ClientRequest request,
                           QHttpServerResponder &&responder, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_request(std::move(request))
    , m_client(std::move(responder))
{
    // Admission let this Origin in; without the header the browser would not read the answer.
    if (const QByteArray origin = m_request.header("origin"); !origin.isEmpty())
        m_client.setCommonHeaders(
            {{"access-control-allow-origin"_ba, origin}, {"vary"_ba, "origin"_ba}});
    m_idle.setSingleShot(true);
    m_idle.setInterval(std::chrono::seconds(m_ctx.settings.upstreamTimeoutSeconds()));
    connect(&m_idle, &QTimer::timeout, this, &MessageRelay::onIdleTimeout);
    if (QTcpSocket *socket = m_client.socket()) {
        connect(socket, &QTcpSocket::disconnected, this, &MessageRelay::onClientGone);
        ConnectionGuard::setBusy(socket, true);
    }
}

MessageRelay::~MessageRelay()
{
    dropReply();
}

void MessageRelay::start()
{
    m_elapsed.start();
    const QDateTime now = m_ctx.clock.now();
    m_deadline = now.addSecs(m_ctx.settings.requestDeadlineSeconds());
    m_usage.time = now;
    m_usage.accessKeyId = m_request.accessKeyId;
    m_usage.model = m_request.model;
    m_usage.stream = m_request.stream;
    m_plan = m_ctx.router.plan(m_ctx.health.accounts(), {m_request.model, m_request.stickyKey});
    if (!m_client.isConnected())
        return onClientGone();
    if (answerWithoutOpenAI())
        return;
    nextAttempt();
}

void MessageRelay::nextAttempt()
{
    while (m_next < m_plan.size()) {
        const QUuid id = m_plan[m_next++];
        const Account *account = m_ctx.health.find(id);
        // Another request may have changed the account since the plan was made.
        if (!account || !HealthPolicy::isAvailable(*account, m_ctx.clock.now()))
            continue;
        if (m_ctx.clock.now() > m_deadline)
            break;
        const QString secret = m_ctx.secrets.secret(id);
        // The client's own key only ever goes to Anthropic-format accounts (pass-through).
        const bool usesOwnKey
            = !m_request.passthroughKey.isEmpty() && account->provider == ProviderKind::Anthropic;
        if (secret.isNull() && !usesOwnKey && m_ctx.secrets.isLoading() && !m_waitedForSecrets) {
            // The key is being read right now (an account just added or edited): wait for
            // it, once and briefly, rather than skip the account.
            --m_next;
            return waitForSecrets();
        }
        if (secret.isNull() && !usesOwnKey) {
            Verdict missing;
            missing.route = Verdict::Route::Failover;
            missing.reason = missing.errorMessage = m_ctx.secrets.isLoading()
                ? tr("Its API key is still being read from the keychain.")
                : tr("Its API key could not be read: %1").arg(m_ctx.secrets.problem(id));
            missing.clientStatus = 503;
            missing.errorType = u"api_error"_s;
            m_failures.append({account->name, missing});
            continue;
        }
        if (!m_ctx.router.beginAttempt(*account))
            continue;
        send(*account, secret);
        return;
    }
    failAll();
}

void MessageRelay::waitForSecrets()
{
    m_waitedForSecrets = true;
    auto resume = [this, waiting = std::make_shared<bool>(true)] {
        if (std::exchange(*waiting, false) && m_phase != Phase::Done)
            nextAttempt();
    };
    connect(&m_ctx.secrets, &SecretCache::ready, this, resume, Qt::SingleShotConnection);
    QTimer::singleShot(secretWait, this, resume);
}

void MessageRelay::send(const Account &account, const QString &secret)
{
    m_account = account.id;
    m_accountName = account.name;
    m_status = 0;
    m_sse = m_timedOut = m_sawStop = false;
    m_body.clear();
    m_held.clear();
    m_parser = SseParser();
    m_phase = Phase::Waiting;
    ++m_usage.attempts;
    // Tokens count for the attempt that answers, not for one that failed before it.
    m_usage.tokens = {};

    m_openAI = account.provider == ProviderKind::OpenAI;
    m_translator.reset();
    UpstreamCall call;
    if (m_openAI) {
        auto converted = UpstreamCall::forOpenAI(account, secret, m_request);
        if (!converted) {
            // The request cannot be put in Chat Completions terms: an Anthropic-format
            // account may still take it; else the client learns why.
            Verdict unconvertible;
            unconvertible.route = Verdict::Route::Failover;
            unconvertible.clientStatus = 400;
            unconvertible.errorType = u"invalid_request_error"_s;
            unconvertible.reason = unconvertible.errorMessage = converted.error().message;
            unconvertible.weight = 100;
            m_ctx.router.endAttempt(account.id);
            m_failures.append({account.name, unconvertible});
            return nextAttempt();
        }
        call = std::move(*converted);
        if (m_request.stream)
            m_translator
                = std::make_unique<OpenAIStreamTranslator>(m_request.model, stopSequences());
    } else {
        call = UpstreamCall::forAnthropic(account, secret, m_request);
    }
    m_usage.upstreamModel = call.upstreamModel;
    qCDebug(lcGateway).noquote() << "→" << account.name << call.url.toString();
    m_reply = m_ctx.pool.send(call);
    connect(m_reply, &UpstreamReply::readyRead, this, &MessageRelay::onReadyRead);
    connect(m_reply, &UpstreamReply::finished, this, &MessageRelay::onReplyFinished);
    m_idle.start();
}

void MessageRelay::onReadyRead()
{
    m_idle.start();
    if (m_status == 0) {
        m_status = m_reply->status();
        m_sse = m_status == 200 && m_reply->header("content-type").contains("event-stream");
        if (m_sse)
            m_phase = Phase::Holding;
    }
    const QByteArray bytes = m_reply->readAll();
    if (!m_sse) {
        m_body += bytes;
        return;
    }
    const QList<SseEvent> events = m_parser.feed(bytes);
    handleEvents(m_translator ? translate(events) : events);
}

void MessageRelay::handleEvents(const QList<SseEvent> &events)
{
    for (qsizetype i = 0; i < events.size(); ++i) {
        const SseEvent &event = events[i];
        if (m_phase == Phase::Done)
            return;
        // Only these events carry what the relay needs (usage, errors): parse no others.
        const bool interesting = event.event == "message_start" || event.event == "message_delta"
            || event.event == "error";
        const QJsonObject data
            = interesting ? QJsonDocument::fromJson(event.data).object() : QJsonObject();
        if (event.event == "message_start")
            takeUsage(data.value(u"message").toObject().value(u"usage").toObject());
        else if (event.event == "message_delta")
            takeUsage(data.value(u"usage").toObject());
        else if (event.event == "message_stop")
            m_sawStop = true;

        if (m_phase == Phase::Holding) {
            if (event.event == "message_start" || event.event == "ping") {
                m_held.append(event);
                continue;
            }
            if (event.event == "error") {
                // Nothing reached the client yet: this account failed, try the next.
                const QString type = data.value(u"error").toObject().value(u"type").toString();
                UpstreamOutcome outcome;
                outcome.status = ApiError::statusForType(type);
                outcome.body = event.data;
                dropReply();
                if (judge(outcome))
                    nextAttempt();
                return;
            }
            commitStream();
        }
        writeEvent(event);
        if (event.event == "error") {
            // A translated stream closes the message after its error (message_delta, stop).
            for (qsizetype rest = i + 1; rest < events.size(); ++rest)
                writeEvent(events[rest]);
            const QString type = data.value(u"error").toObject().value(u"type").toString();
            UpstreamOutcome outcome;
            outcome.status = ApiError::statusForType(type);
            outcome.body = event.data;
            endCommittedStream(
                FailureClassifier::classify(outcome, m_ctx.cooldowns, m_ctx.clock.now()), type);
            return;
        }
    }
}

void MessageRelay::commitStream()
{
    m_phase = Phase::Streaming;
    m_usage.firstTokenMs = int(m_elapsed.elapsed());
    m_client.beginStream(relayedHeaders(m_reply->headers()));
    for (const SseEvent &held : std::as_const(m_held))
        writeEvent(held);
    m_held.clear();
}

void MessageRelay::writeEvent(const SseEvent &event)
{
    const QByteArray wire = event.serialize();
    if (m_ctx.settings.debugLogging() && m_debugResponse.size() < debugBodyLimit)
        m_debugResponse += wire;
    m_client.streamChunk(wire);
}

void MessageRelay::bindSession()
{
    // A pinned account is a manual override: it must not capture the conversation for
    // the time after it is unpinned.
    if (m_account != m_ctx.router.pinned())
        m_ctx.router.bindSession(m_request.stickyKey, m_account);
}

void MessageRelay::takeUsage(const QJsonObject &usage)
{
    auto take = [&](const char16_t *field, qint64 &target) {
        if (usage.contains(field))
            target = usage.value(field).toInteger();
    };
    take(u"input_tokens", m_usage.tokens.input);
    take(u"output_tokens", m_usage.tokens.output);
    take(u"cache_read_input_tokens", m_usage.tokens.cacheRead);
    take(u"cache_creation_input_tokens", m_usage.tokens.cacheWrite);
}

void MessageRelay::endCommittedStream(const Verdict &verdict, const QString &errorType)
{
    dropReply();
    m_ctx.health.apply(m_account, verdict, m_ctx.cooldowns);
    m_ctx.router.endAttempt(m_account);
    m_path << u"%1 %2"_s.arg(m_accountName, errorType.isEmpty() ? u"200"_s : errorType);
    m_client.endStream();
    finish(200, errorType);
}

UpstreamOutcome MessageRelay::outcomeOfReply() const
{
    UpstreamOutcome outcome;
    outcome.status = m_reply->status();
    outcome.headers = m_reply->headers();
    outcome.body = m_body;
    outcome.networkError = m_reply->errorString();
    if (m_timedOut)
        outcome.transport = UpstreamOutcome::Transport::Timeout;
    else if (outcome.status == 0)
        outcome.transport
            = m_reply->hasError() ? m_reply->transport() : UpstreamOutcome::Transport::Reset;
    return outcome;
}

void MessageRelay::onReplyFinished()
{
    m_idle.stop();
    if (!m_reply || m_phase == Phase::Done)
        return;
    UpstreamReply *const reply = m_reply;
    if (!m_timedOut && (m_reply->bytesAvailable() > 0 || m_status == 0))
        onReadyRead();
    // The final bytes may have ended this attempt (an error event before content starts the
    // next one): then this reply is no longer ours to judge.
    if (m_phase == Phase::Done || m_reply != reply)
        return;
    const bool transportError = m_reply->hasError() && m_status == 0;
    const bool streamBroken = m_sse && m_reply->hasError();
    if (m_translator && m_sse && !streamBroken && !m_timedOut) {
        // The OpenAI stream ended: the translator closes the message (or reports the cut).
        handleEvents(m_translator->finish());
        if (m_phase == Phase::Done || m_reply != reply)
            return;
    }

    if (m_phase == Phase::Streaming) {
        if (m_sawStop && !streamBroken) {
            Verdict ok;
            ok.effect = Verdict::Effect::Success;
            m_ctx.health.markUsed(m_account);
            bindSession();
            m_usage.accountId = m_account;
            m_usage.accountName = m_accountName;
            return endCommittedStream(ok, {});
        }
        // Content already reached the client: end the stream with an error event.
        const QString message
            = tr("The upstream stream ended early (%1).")
                  .arg(m_timedOut ? tr("no data for too long") : m_reply->errorString());
        if (m_translator) {
            for (const SseEvent &event : m_translator->fail(u"api_error"_s, message))
                writeEvent(event);
        } else {
            writeEvent({"error", ApiError::body(u"api_error"_s, message)});
        }
        UpstreamOutcome broken;
        broken.transport
            = m_timedOut ? UpstreamOutcome::Transport::Timeout : UpstreamOutcome::Transport::Reset;
        broken.networkError = message;
        return endCommittedStream(
            FailureClassifier::classify(broken, m_ctx.cooldowns, m_ctx.clock.now()),
            u"api_error"_s);
    }

    UpstreamOutcome outcome = outcomeOfReply();
    if (m_openAI && m_phase != Phase::Holding && !transportError && !m_timedOut)
        convertOpenAIOutcome(outcome);
    if (m_phase == Phase::Holding) {
        // The stream ended before any content: nothing reached the client, fail over.
        outcome.transport
            = m_timedOut ? UpstreamOutcome::Transport::Timeout : UpstreamOutcome::Transport::Reset;
    } else if (outcome.transport == UpstreamOutcome::Transport::Ok && outcome.status == 200) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(m_body, &parseError);
        if (!doc.isObject()) {
            outcome.transport = UpstreamOutcome::Transport::Other;
            outcome.networkError = tr("the upstream answered with malformed JSON (%1)")
                                       .arg(parseError.errorString());
        } else {
            takeUsage(doc.object().value(u"usage").toObject());
        }
    }
    dropReply();
    if (judge(outcome))
        nextAttempt();
}

bool MessageRelay::judge(const UpstreamOutcome &outcome)
{
    const Verdict verdict
        = FailureClassifier::classify(outcome, m_ctx.cooldowns, m_ctx.clock.now());
    m_ctx.health.apply(m_account, verdict, m_ctx.cooldowns);
    m_ctx.router.endAttempt(m_account);
    if (verdict.effect == Verdict::Effect::ModelDenied)
        m_ctx.router.denyModel(m_account, m_request.model, verdict.until);
    const QString step = outcome.transport == UpstreamOutcome::Transport::Ok
        ? QString::number(outcome.status)
        : verdict.errorType;
    m_path << u"%1 %2"_s.arg(m_accountName, step);

    switch (verdict.route) {
    case Verdict::Route::Done:
        m_ctx.health.markUsed(m_account);
        bindSession();
        m_usage.accountId = m_account;
        m_usage.accountName = m_accountName;
        Q_FALLTHROUGH();
    case Verdict::Route::ReturnToClient:
        relayAsIs(outcome);
        return false;
    case Verdict::Route::Failover:
        qCInfo(lcGateway).noquote() << "Account" << m_accountName << "failed:" << verdict.reason;
        m_failures.append({m_accountName, verdict});
        return true;
    }
    return false;
}

void MessageRelay::relayAsIs(const UpstreamOutcome &outcome)
{
    // The reply is gone by now (dropped before judging): the outcome kept its headers.
    ClientWriter::Headers headers = relayedHeaders(outcome.headers);
    const QByteArray type = outcome.header("content-type");
    headers.append({"content-type"_ba, type.isEmpty() ? "application/json"_ba : type});
    if (m_ctx.settings.debugLogging())
        m_debugResponse = outcome.body.left(debugBodyLimit);
    m_client.send(outcome.status, headers, outcome.body);
    const QString errorType = outcome.status >= 400 ? QJsonDocument::fromJson(outcome.body)
                                                          .object()
                                                          .value(u"error")
                                                          .toObject()
                                                          .value(u"type")
                                                          .toString()
                                                    : QString();
    finish(outcome.status, errorType);
}

ClientWriter::Headers
MessageRelay::relayedHeaders(const QList<QPair<QByteArray, QByteArray>> &upstreamHeaders) const
{
    ClientWriter::Headers headers;
    for (const auto &[name, value] : upstreamHeaders) {
        const QByteArray lower = name.toLower();
        if (relayedHeader(lower))
            headers.append({lower, value});
        else if (lower == "x-request-id" && m_openAI) // OpenAI's name for it
            headers.append({"request-id"_ba, value});
    }
    headers.append({"x-switchboard-account"_ba, m_accountName.toUtf8()});
    return headers;
}

void MessageRelay::failAll()
{
    const QDateTime now = m_ctx.clock.now();
    // Why the accounts that could serve this model are out, and when the first is back:
    // clients that honour retry-after then wait exactly that long.
    QDateTime soonest, deniedUntil;
    bool soonestAfterErrors = false, probing = false;
    for (const Account &a : m_ctx.health.accounts()) {
        if (!a.enabled || !Router::servesModel(a, m_request.model))
            continue;
        probing = probing || m_ctx.router.isProbing(a.id);
        const QDateTime denied = m_ctx.router.deniedUntil(a.id, m_request.model);
        if (denied > now && (!deniedUntil.isValid() || denied < deniedUntil))
            deniedUntil = denied;
        const QDateTime at = HealthPolicy::availableAt(a, now);
        if (at.isValid() && at > now && (!soonest.isValid() || at < soonest)) {
            soonest = at;
            soonestAfterErrors = a.health.errorCount >= m_ctx.cooldowns.errorThreshold;
        }
    }
    if (probing && (!soonest.isValid() || now.secsTo(soonest) > 1)) {
        soonest = now.addSecs(1); // a probe decides within its timeout; ask to retry soon
        soonestAfterErrors = true;
    }
    ClientWriter::Headers headers;
    auto retryAfter = [&](const QDateTime &at) {
        if (at.isValid())
            headers.append(
                {"retry-after"_ba,
                 QByteArray::number(std::max<qint64>(1, std::llround(now.msecsTo(at) / 1000.0)))});
    };
    auto reply = [&](int status, const QString &type, const QString &message) {
        m_client.sendError(status, type, message, headers);
        finish(status, type);
    };

    if (m_failures.isEmpty()) {
        const auto &accounts = m_ctx.health.accounts();
        const bool anyServes
            = std::any_of(accounts.cbegin(), accounts.cend(), [&](const Account &a) {
                  return a.enabled && Router::servesModel(a, m_request.model);
              });
        if (accounts.isEmpty()) {
            return reply(503, u"api_error"_s,
                         tr("Switchboard has no upstream accounts yet: add one in the window or "
                            "with: switchboard accounts add --name NAME < key.txt"));
        }
        if (!anyServes) {
            return reply(404, u"not_found_error"_s,
                         tr("No enabled account may serve the model \"%1\". Check the accounts' "
                            "allowed models.")
                             .arg(m_request.model));
        }
        if (soonest.isValid()) {
            retryAfter(soonest);
            if (soonestAfterErrors) {
                return reply(503, u"api_error"_s,
                             tr("Every account that serves this model is resting after repeated "
                                "upstream errors; the first is tried again at %1.")
                                 .arg(soonest.toString(Qt::ISODate)));
            }
            return reply(429, u"rate_limit_error"_s,
                         tr("Every account that serves this model is resting; the first is "
                            "available again at %1.")
                             .arg(soonest.toString(Qt::ISODate)));
        }
        if (deniedUntil.isValid()) {
            retryAfter(deniedUntil);
            return reply(403, u"permission_error"_s,
                         tr("Every account that serves the model \"%1\" was refused access to it "
                            "by its provider; they are tried again at %2.")
                             .arg(m_request.model, deniedUntil.toString(Qt::ISODate)));
        }
        return reply(503, u"api_error"_s,
                     tr("No account is available: every account is disabled, parked or has an "
                        "invalid key. Open Switchboard to fix them."));
    }

    const auto best = std::max_element(
        m_failures.cbegin(), m_failures.cend(),
        [](const Failure &a, const Failure &b) { return a.verdict.weight < b.verdict.weight; });
    QStringList reasons;
    for (const Failure &f : std::as_const(m_failures))
        reasons << u"%1: %2"_s.arg(f.account, f.verdict.reason);
    if (best->verdict.clientStatus == 429 || best->verdict.clientStatus == 529)
        retryAfter(soonest);
    const QString message = m_failures.size() == 1
        ? tr("The upstream account failed. %1").arg(reasons.first())
        : tr("All %1 upstream attempts failed. %2").arg(m_failures.size()).arg(reasons.join(u"; "));
    m_client.sendError(best->verdict.clientStatus, best->verdict.errorType, message, headers);
    finish(best->verdict.clientStatus, best->verdict.errorType);
}

void MessageRelay::onIdleTimeout()
{
    if (!m_reply)
        return;
    m_timedOut = true;
    m_reply->abort(); // finished() follows, handled as a timeout
}

void MessageRelay::onClientGone()
{
    if (m_phase == Phase::Done)
        return;
    if (m_reply)
        m_ctx.router.endAttempt(m_account);
    dropReply();
    qCInfo(lcGateway) << "Client went away; upstream request aborted";
    finish(499, u"client_closed"_s);
}

void MessageRelay::dropReply()
{
    m_idle.stop();
    if (!m_reply)
        return;
    UpstreamReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    if (reply->isRunning())
        reply->abort();
    reply->deleteLater();
}

void MessageRelay::finish(int status, const QString &errorType)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    dropReply();
    ConnectionGuard::setBusy(m_client.socket(), false);
    m_usage.status = status;
    m_usage.errorType = errorType;
    m_usage.latencyMs = int(m_elapsed.elapsed());
    m_usage.path = m_path.join(u" → ");
    Q_EMIT finished(m_usage);
    if (m_ctx.settings.debugLogging())
        Q_EMIT debugEntry(debugJson());
    deleteLater();
}

QJsonObject MessageRelay::debugJson() const
{
    QJsonObject headers;
    for (const auto &[name, value] : m_request.headers) {
        const bool secret = name == "x-api-key" || name == "authorization";
        headers.insert(QString::fromLatin1(name),
                       secret ? SecretMask::value(QString::fromLatin1(value))
                              : QString::fromLatin1(value));
    }
    return {
        {u"time"_s, m_usage.time.toString(Qt::ISODateWithMs)},
        {u"request"_s,
         QJsonObject {{u"method"_s, QString::fromLatin1(m_request.method)},
                      {u"path"_s, m_request.path},
                      {u"headers"_s, headers},
                      {u"body"_s, QString::fromUtf8(m_request.body.left(debugBodyLimit))}}},
        {u"response"_s,
         QJsonObject {{u"status"_s, m_usage.status},
                      {u"account"_s, m_usage.accountName},
                      {u"attempts"_s, m_usage.path},
                      {u"body"_s, QString::fromUtf8(m_debugResponse)}}},
    };
}
