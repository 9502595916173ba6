// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagerelay.h"

#include "core/clock.h"
#include "gateway/answerpolicy.h"
#include "gateway/failureclassifier.h"
#include "gateway/gatewaylogging.h"
#include "gateway/gatewayparts.h"
#include "gateway/healthbook.h"
#include "gateway/healthpolicy.h"
#include "gateway/relaydebug.h"
#include "gateway/router.h"
#include "gateway/secretcache.h"
#include "gateway/upstreamcall.h"
#include "gateway/upstreampool.h"
#include "gateway/upstreamreply.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

// How long a request waits for keys still being read before it skips their accounts.
constexpr std::chrono::seconds secretWait {5};
// A started stream silent this long gets a ping (as Anthropic's do) for clients' idle timeouts.
constexpr std::chrono::seconds pingInterval {12};

} // namespace

MessageRelay::MessageRelay(GatewayParts &context, ClientRequest request,
                           QHttpServerResponder &&responder, QObject *parent)
    : QObject(parent)
    , m_ctx(context)
    , m_request(std::move(request))
    , m_client(std::move(responder))
    , m_pacer(m_client.socket())
    , m_idle(m_ctx.clock)
    , m_ping(m_ctx.clock)
    , m_thinking(m_ctx.signatures, m_ctx.health)
{
    // Admission let this Origin in; without the header the browser would not read the answer.
    if (const QByteArray origin = m_request.header("origin"); !origin.isEmpty())
        m_client.setCommonHeaders(
            {{"access-control-allow-origin"_ba, origin}, {"vary"_ba, "origin"_ba}});
    m_idle.setSingleShot(true);
    m_idle.setInterval(std::chrono::seconds(m_ctx.settings.upstreamTimeoutSeconds()));
    connect(&m_idle, &ClockTimer::timeout, this, &MessageRelay::onIdleTimeout);
    m_ping.setInterval(pingInterval);
    connect(&m_ping, &ClockTimer::timeout, this, [this] {
        writeEvent({"ping"_ba, "{\"type\": \"ping\"}"_ba});
    });
    if (QTcpSocket *socket = m_client.socket())
        connect(socket, &QTcpSocket::disconnected, this, &MessageRelay::onClientGone);
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
            const Verdict missing = Verdict::failover(
                Verdict::Effect::None,
                m_ctx.secrets.isLoading()
                    ? tr("Its API key is still being read from the keychain.")
                    : tr("Its API key could not be read: %1").arg(m_ctx.secrets.problem(id)),
                503, u"api_error"_s);
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
        if (std::exchange(*waiting, false) && !m_done)
            nextAttempt();
    };
    connect(&m_ctx.secrets, &SecretCache::ready, this, resume, Qt::SingleShotConnection);
    ClockTimer::singleShot(m_ctx.clock, secretWait, this, resume);
}

void MessageRelay::send(const Account &account, const QString &secret)
{
    // A fresh attempt: nothing of a failed one (its tokens included) counts for this one.
    m_attempt = RelayAttempt();
    m_attempt.account = account.id;
    m_attempt.accountName = account.name;
    m_attempt.openAI = account.provider == ProviderKind::OpenAI;
    m_thinking.begin(account.id);
    const bool passthrough = !m_attempt.openAI && !m_request.passthroughKey.isEmpty();
    m_attempt.credential = passthrough ? m_request.passthroughKey : secret;
    ++m_usage.attempts;

    UpstreamCall call;
    if (m_attempt.openAI) {
        auto converted = UpstreamCall::forOpenAI(account, secret, m_request);
        if (!converted) {
            // The request cannot be put in Chat Completions terms: an Anthropic-format
            // account may still take it; else the client learns why.
            const Verdict unconvertible
                = Verdict::failover(Verdict::Effect::None, converted.error().message, 400,
                                    u"invalid_request_error"_s, 100);
            m_ctx.router.endAttempt(account.id);
            m_failures.append({account.name, unconvertible});
            return nextAttempt();
        }
        call = std::move(*converted);
        if (m_request.stream)
            m_attempt.translator.emplace(m_request.model, stopSequences());
    } else {
        call = UpstreamCall::forAnthropic(account, secret, m_thinking.requestFor(m_request));
    }
    m_usage.upstreamModel = call.upstreamModel;
    qCDebug(lcGateway).noquote() << "→" << account.name << call.url.toString();
    m_reply = m_ctx.pool.send(call);
    connect(m_reply, &UpstreamReply::readyRead, this, &MessageRelay::onReadyRead);
    connect(m_reply, &UpstreamReply::finished, this, &MessageRelay::onReplyFinished);
    m_pacer.setReply(m_reply);
    m_idle.start();
}

void MessageRelay::onReadyRead()
{
    if (m_attempt.status == 0) {
        m_attempt.status = m_reply->status();
        m_attempt.sse
            = m_attempt.status == 200 && m_reply->header("content-type").contains("event-stream");
        m_ctx.health.noteRateLimits(m_attempt.account, m_reply->headers());
    }
    const QByteArray bytes = m_reply->readAll();
    const qsizetype bodyBytes = m_attempt.body.size() + bytes.size();
    if (const auto refused
        = AnswerPolicy::refusal(m_attempt.status, m_attempt.sse, m_request.stream, bodyBytes))
        return abandon(*refused);
    if (!m_attempt.sse) {
        m_idle.start();
        m_attempt.body += bytes;
        return;
    }
    const QList<SseEvent> events = m_attempt.parser.feed(bytes);
    // Before content, pings are no progress: an upstream that only pings is given up on.
    if (m_attempt.gate.isCommitted()
        || std::any_of(events.cbegin(), events.cend(),
                       [](const SseEvent &e) { return e.event != "ping"; }))
        m_idle.start();
    handleEvents(m_attempt.translator ? translate(events) : events);
}

void MessageRelay::served()
{
    using Route = UsageRecord::Route;
    const QUuid account = m_attempt.account;
    m_ctx.health.markUsed(account);
    if (account == m_ctx.router.pinned())
        m_usage.route = Route::Pinned;
    else if (m_plan.value(0) != account)
        m_usage.route = Route::Failover;
    else
        m_usage.route = m_ctx.router.sessionAccount(m_request.stickyKey) == account
            ? Route::Session
            : Route::Strategy;
    // A pinned account is a manual override: it must not capture the conversation for
    // the time after it is unpinned.
    if (account != m_ctx.router.pinned())
        m_ctx.router.bindSession(m_request.stickyKey, account);
    attribute();
    m_thinking.succeeded();
    m_usage.note = m_thinking.note();
    m_usage.thinkingDropped = !m_usage.note.isEmpty();
}

void MessageRelay::attribute()
{
    m_usage.accountId = m_attempt.account;
    m_usage.accountName = m_attempt.accountName;
}

void MessageRelay::onReplyFinished()
{
    m_idle.stop();
    if (!m_reply || m_done)
        return;
    UpstreamReply *const reply = m_reply;
    const bool timedOut = m_attempt.timedOut;
    if (!timedOut && (m_reply->bytesAvailable() > 0 || m_attempt.status == 0))
        onReadyRead();
    // The final bytes may have ended this attempt (an error event before content starts the
    // next one): then this reply is no longer ours to judge.
    if (m_done || m_reply != reply)
        return;
    const bool transportError = m_reply->hasError() && m_attempt.status == 0;
    const bool streamBroken = m_attempt.sse && m_reply->hasError();
    if (m_attempt.translator && m_attempt.sse && !streamBroken && !timedOut) {
        // The OpenAI stream ended: the translator closes the message (or reports the cut).
        handleEvents(m_attempt.translator->finish());
        if (m_done || m_reply != reply)
            return;
    }

    if (m_attempt.gate.isCommitted()) {
        if (m_attempt.gate.sawStop() && !streamBroken) {
            Verdict ok;
            ok.effect = Verdict::Effect::Success;
            served();
            return endCommittedStream(ok, {});
        }
        return endBrokenStream(timedOut);
    }

    UpstreamOutcome outcome = m_attempt.outcome(*m_reply);
    if (m_attempt.openAI && !m_attempt.isHolding() && !transportError && !timedOut)
        convertOpenAIOutcome(outcome);
    if (m_attempt.isHolding()) {
        // The stream ended before any content: nothing reached the client, fail over.
        outcome.transport
            = timedOut ? UpstreamOutcome::Transport::Timeout : UpstreamOutcome::Transport::Reset;
    } else if (outcome.transport == UpstreamOutcome::Transport::Ok && outcome.status == 200) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(outcome.body, &parseError);
        if (!doc.isObject()) {
            outcome.transport = UpstreamOutcome::Transport::Unusable;
            outcome.networkError = tr("the upstream answered with malformed JSON (%1)")
                                       .arg(parseError.errorString());
        } else {
            m_attempt.takeUsage(doc.object().value(u"usage").toObject());
            m_thinking.answerSeen(doc.object());
        }
    }
    dropReply();
    if (judge(outcome))
        nextAttempt();
}

void MessageRelay::abandon(const UpstreamOutcome &unusable)
{
    dropReply();
    if (judge(unusable))
        nextAttempt();
}

bool MessageRelay::judge(const UpstreamOutcome &outcome)
{
    if (!m_attempt.openAI && m_thinking.retryAfter(outcome)) {
        // The account refused thinking the gateway could not tell was foreign: the same
        // account once more without it; neither the account's health nor the client's fault.
        m_ctx.router.endAttempt(m_attempt.account);
        m_path << tr("%1 400 (thinking refused)").arg(m_attempt.accountName);
        --m_next;
        return true;
    }
    const Verdict verdict
        = FailureClassifier::classify(outcome, m_ctx.cooldowns, m_ctx.clock.now());
    m_ctx.health.apply(m_attempt.account, verdict, m_ctx.cooldowns);
    m_ctx.router.endAttempt(m_attempt.account);
    if (verdict.effect == Verdict::Effect::ModelDenied)
        m_ctx.router.denyModel(m_attempt.account, m_request.model, verdict.until);
    const QString step = outcome.transport == UpstreamOutcome::Transport::Ok
        ? QString::number(outcome.status)
        : verdict.errorType;
    m_path << u"%1 %2"_s.arg(m_attempt.accountName, step);

    switch (verdict.route) {
    case Verdict::Route::Done:
        served();
        relayAsIs(outcome);
        return false;
    case Verdict::Route::ReturnToClient:
        attribute(); // the client's fault, answered by this account
        relayAsIs(outcome);
        return false;
    case Verdict::Route::Failover:
        qCInfo(lcGateway).noquote()
            << "Account" << m_attempt.accountName << "failed:" << verdict.reason;
        m_failures.append({m_attempt.accountName, verdict});
        return true;
    }
    return false;
}

void MessageRelay::relayAsIs(const UpstreamOutcome &outcome)
{
    // The reply is gone by now (dropped before judging): the outcome kept its headers.
    ClientWriter::Headers headers = m_attempt.relayedHeaders(outcome.headers);
    const QByteArray type = outcome.header("content-type");
    headers.append({"content-type"_ba, type.isEmpty() ? "application/json"_ba : type});
    if (m_ctx.settings.debugLogging())
        m_debugResponse = outcome.body.left(RelayDebug::bodyLimit);
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

void MessageRelay::failAll()
{
    const UnservedAnswer answer
        = UnservedAnswer::explain(m_ctx.health.accounts(), m_ctx.router, m_request.model,
                                  m_failures, m_ctx.cooldowns, m_ctx.clock.now());
    ClientWriter::Headers headers;
    if (answer.retryAfterSeconds > 0)
        headers.append({"retry-after"_ba, QByteArray::number(answer.retryAfterSeconds)});
    m_client.sendError(answer.status, answer.errorType, answer.message, headers);
    finish(answer.status, answer.errorType);
}

void MessageRelay::onIdleTimeout()
{
    if (!m_reply)
        return;
    if (m_pacer.isPaused()) { // the upstream waited for the client, which reads nothing
        m_client.socket()->abort();
        return onClientGone();
    }
    m_attempt.timedOut = true;
    m_reply->abort(); // finished() follows, handled as a timeout
}

void MessageRelay::onClientGone()
{
    if (m_done)
        return;
    if (m_reply) {
        m_ctx.router.endAttempt(m_attempt.account);
        attribute(); // the account was answering when the client left
    }
    dropReply();
    qCInfo(lcGateway) << "Client went away; upstream request aborted";
    finish(499, u"client_closed"_s);
}

void MessageRelay::dropReply()
{
    m_idle.stop();
    m_ping.stop();
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
    if (m_done)
        return;
    m_done = true;
    dropReply();
    m_usage.tokens = m_attempt.tokens;
    m_usage.status = status;
    m_usage.errorType = errorType;
    m_usage.latencyMs = int(m_elapsed.elapsed());
    m_usage.path = m_path.join(u" → ");
    Q_EMIT finished(m_usage);
    if (m_ctx.settings.debugLogging())
        Q_EMIT debugEntry(RelayDebug::entry(m_request, m_usage, m_debugResponse));
    deleteLater();
}
