// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clocktimer.h"
#include "core/usagerecord.h"
#include "gateway/clientrequest.h"
#include "gateway/clientwriter.h"
#include "gateway/relayattempt.h"
#include "gateway/thinkinghandoff.h"
#include "gateway/streampacer.h"
#include "gateway/unservedanswer.h"
#include "gateway/upstreamoutcome.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

struct Account;
struct GatewayParts;
class UpstreamReply;

/// Carries one client request to the upstream accounts: tries them in the router's order,
/// fails over while nothing has reached the client (StreamGate decides for streams),
/// relays the answer (JSON, or SSE event by event), answers with UnservedAnswer when no
/// account served, and reports what happened for the usage log. Deletes itself when done.
class MessageRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageRelay)

public:
    MessageRelay(GatewayParts &context, ClientRequest request, QHttpServerResponder &&responder,
                 QObject *parent = nullptr);
    ~MessageRelay() override;

    void start();

Q_SIGNALS:
    void finished(const UsageRecord &record);
    /// Only while debug logging is on: the request and response, for the debug log.
    void debugEntry(const QJsonObject &entry);

private:
    /// Requests no OpenAI-compatible account can answer (count_tokens, the model list) go to
    /// Anthropic-format accounts only; without one they are answered here. True if answered.
    bool answerWithoutOpenAI();
    void nextAttempt();
    void waitForSecrets();
    void send(const Account &account, const QString &secret);
    void onReadyRead();
    void onReplyFinished();
    void onIdleTimeout();
    void onClientGone();

    void handleEvents(const QList<SseEvent> &events);
    /// An OpenAI stream's events, translated to Anthropic ones.
    QList<SseEvent> translate(const QList<SseEvent> &events);
    /// Converts an OpenAI-compatible account's answer (JSON or error) to Anthropic format.
    void convertOpenAIOutcome(UpstreamOutcome &outcome);
    QStringList stopSequences() const;
    void commitStream();
    void writeEvent(const SseEvent &event);
    void endCommittedStream(const Verdict &verdict, const QString &errorType);
    /// The upstream stream broke off (or timed out) after content reached the client.
    void endBrokenStream(bool timedOut);
    /// The attempt's account served the request: it and the conversation go together.
    void served();
    /// The record names the attempt's account (served, refused as the client's fault, or
    /// left by the client).
    void attribute();

    /// Ends the attempt as the upstream's fault (an answer that cannot be relayed) and goes on.
    void abandon(const UpstreamOutcome &unusable);
    /// Applies the verdict; returns true if the request goes on to another account.
    bool judge(const UpstreamOutcome &outcome);
    void relayAsIs(const UpstreamOutcome &outcome);
    void failAll();
    void finish(int status, const QString &errorType = {});
    void dropReply();

    GatewayParts &m_ctx;
    ClientRequest m_request;
    ClientWriter m_client;
    StreamPacer m_pacer; ///< reads the upstream only as fast as the client takes the stream
    QList<QUuid> m_plan;
    qsizetype m_next = 0;
    QDateTime m_deadline;
    QElapsedTimer m_elapsed;
    /// Restarted by every upstream byte (before content: every event but a ping); while the
    /// upstream is paused for a slow client, the client's deadline.
    ClockTimer m_idle;
    ClockTimer m_ping; ///< keeps a started stream alive while the upstream is silent
    bool m_waitedForSecrets = false;
    bool m_done = false;

    QPointer<UpstreamReply> m_reply; ///< the current attempt's exchange with its account
    RelayAttempt m_attempt;
    ThinkingHandoff m_thinking; ///< what each attempt may carry of the signed thinking
    QList<AttemptFailure> m_failures;
    QStringList m_path;
    UsageRecord m_usage;
    QByteArray m_debugResponse; ///< what the client got, while debug logging is on
};
