// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "gateway/clientrequest.h"
#include "gateway/clientwriter.h"
#include "gateway/sse.h"
#include "gateway/upstreamoutcome.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

struct Account;
struct GatewayParts;
class OpenAIStreamTranslator;
class UpstreamReply;

/// Carries one client request to the upstream accounts: tries them in the router's order,
/// fails over while nothing has reached the client, relays the answer (JSON, or SSE event
/// by event), and reports what happened for the usage log. Deletes itself when done.
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
    enum class Phase { Idle, Waiting, Holding, Streaming, Done };

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
    void takeUsage(const QJsonObject &usage);
    void bindSession();

    UpstreamOutcome outcomeOfReply() const;
    /// Applies the verdict; returns true if the request goes on to another account.
    bool judge(const UpstreamOutcome &outcome);
    void relayAsIs(const UpstreamOutcome &outcome);
    void failAll();
    void finish(int status, const QString &errorType = {});
    void dropReply();
    /// The upstream headers the client gets (request id, rate limits), plus the account.
    ClientWriter::Headers
    relayedHeaders(const QList<QPair<QByteArray, QByteArray>> &upstreamHeaders) const;
    QJsonObject debugJson() const;

    GatewayParts &m_ctx;
    ClientRequest m_request;
    ClientWriter m_client;
    QList<QUuid> m_plan;
    qsizetype m_next = 0;
    QDateTime m_deadline;
    QElapsedTimer m_elapsed;
    QTimer m_idle;
    Phase m_phase = Phase::Idle;

    // The current attempt.
    QPointer<UpstreamReply> m_reply;
    QUuid m_account;
    QString m_accountName;
    int m_status = 0;
    bool m_sse = false;
    bool m_timedOut = false;
    bool m_sawStop = false;
    QByteArray m_body;
    SseParser m_parser;
    QList<SseEvent> m_held;
    bool m_waitedForSecrets = false;
    bool m_openAI = false; ///< the account speaks Chat Completions
    std::unique_ptr<OpenAIStreamTranslator> m_translator; ///< for its streams

    struct Failure
    {
        QString account;
        Verdict verdict;
    };
    QList<Failure> m_failures;
    QStringList m_path;
    UsageRecord m_usage;
    QByteArray m_debugResponse; ///< what the client got, while debug logging is on
};
