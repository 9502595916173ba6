// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"
#include "core/account.h"
#include "core/settings.h"
#include "core/usagerecord.h"
#include "gateway/gatewayserver.h"
#include "gateway/upstreamvalidator.h"
#include "support/clientevents.h"
#include "support/fakeclock.h"
#include "support/scriptedupstream.h"
#include "support/testtimeout.h"

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QThread>

#include <memory>
#include <optional>

class CountingSecretStore;

/// The text of every text_delta, joined.
QString deltaText(const QList<ClientEvent> &events);

/// A complete HTTP answer as the client saw it.
struct HttpAnswer
{
    bool finished = false;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QHash<QByteArray, QByteArray> headers; ///< names lowercased
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QJsonObject json() const;
    /// error.type / error.message of an Anthropic error body.
    QString errorType() const;
    QString errorMessage() const;
    /// True for a JSON body {"type":"error","error":{"type":T,"message":M}} with T and M
    /// non-empty (other members, such as the upstream's request_id, may be there too).
    bool isAnthropicError() const;
    QList<ClientEvent> events() const { return parseEvents(body); }
};

/// True when `reply` leaves its request hanging (no answer, or a stream that stops): the
/// gateway gives up on it only when the upstream timeout has passed.
bool goesSilent(const ScriptedReply &reply);

/// Checks (QCOMPARE) that the client got upstream's default success, the text "Hello from
/// upstream" as a message or a complete stream, from `account`.
void verifySuccess(const HttpAnswer &answer, bool stream, const QString &account);

/// An HTTP/1.1 client over a bare socket, for exact bytes, arrival order of stream chunks
/// and hanging up mid-stream.
class RawHttpClient
{
public:
    bool connectTo(quint16 port);
    void send(const QByteArray &bytes);
    /// Runs the event loop until `done` holds for the bytes received so far.
    bool waitUntil(const std::function<bool(const QByteArray &received)> &done,
                   int timeoutMs = testTimeout());
    /// Reads one complete response (Content-Length or chunked) off the connection; the
    /// answer to a HEAD request has no body whatever its Content-Length says.
    std::optional<HttpAnswer> readAnswer(bool headRequest = false, int timeoutMs = testTimeout());
    bool waitForDisconnected(int timeoutMs = testTimeout());
    /// Takes whatever has arrived, without running the event loop.
    void poll() { pump(); }
    void abort() { m_socket.abort(); }

    QTcpSocket &socket() { return m_socket; }
    /// Every byte received and not yet consumed by readAnswer().
    const QByteArray &received() const { return m_buffer; }
    /// The SSE events decoded from the chunked body received so far (after the head).
    QList<ClientEvent> eventsSoFar() const;

    /// A request with CRLF line ends; `head` lists the header lines without the framing.
    static QByteArray request(const QByteArray &method, const QByteArray &target, quint16 port,
                              const QByteArrayList &headerLines, const QByteArray &body = {});

private:
    void pump();
    std::optional<HttpAnswer> parse(bool headRequest);

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

/// One GatewayServer built directly on the test thread, in front of a ScriptedUpstream,
/// with a fake clock, accounts whose secrets sit in a memory store, and one access key.
///
/// Each account's requests are told apart by the key the gateway sends upstream
/// (sk-ant-NAME): script() gives an account its own answer.
class GatewayHarness
{
public:
    enum class UpstreamThread { Test, Own };

    explicit GatewayHarness(UpstreamThread thread = UpstreamThread::Test);
    ~GatewayHarness();
    Q_DISABLE_COPY_MOVE(GatewayHarness)

    static inline const QString accessKey = QStringLiteral("sbk_relay-test-key");
    static inline const QString model = QStringLiteral("claude-sonnet-4-5");

    FakeClock clock;
    Settings settings;
    /// The connection guard's limits, applied by start().
    ConnectionGuard::Limits connectionLimits;

    ScriptedUpstream &upstream() { return *m_upstream; }
    /// For tests whose streams wait on them (ScriptedReply::withPacedEvents()): the relay's
    /// upstream timeout must not end a stream meanwhile. Call before start().
    void letStreamsWaitOnTheTest();
    /// Adds an account on the scripted upstream (or `baseUrl`); call before start(), or
    /// updateAccounts() after it.
    Account &addAccount(const QString &name, int priority = 0, const QUrl &baseUrl = {});
    /// Adds an OpenAI-compatible account on the scripted upstream (its /v1, bearer key,
    /// every model mapped to openAIModel). Its requests meet OpenAIStrict's checks.
    Account &addOpenAIAccount(const QString &name, int priority = 0);
    static inline const QString openAIModel = QStringLiteral("gpt-test");
    static QString secretOf(const QString &accountName)
    {
        return QStringLiteral("sk-ant-") + accountName;
    }

    /// Builds the server, listens on 127.0.0.1:0 and waits until every secret is loaded.
    /// The gateway validates new accounts on arrival: start() lets that finish against
    /// default answers, then resets each account's health (as a user edit would), forgets
    /// the validation requests and only then applies script(), so each test starts from
    /// fresh accounts that nothing has touched yet.
    bool start();
    GatewayServer &server() { return *m_server; }
    /// Destroys the server now, as stopping the gateway does.
    void stopServer()
    {
        m_server.reset();
        m_secrets = nullptr;
    }
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &pathAndQuery) const;

    /// Sends the accounts again (e.g. after editing one); waits for changed secrets unless
    /// they are held.
    bool updateAccounts();
    /// From now on the gateway's key reads go unanswered until releaseSecrets(), as with a
    /// keychain slow to answer.
    void holdSecrets();
    void releaseSecrets();

    /// From now on `accountName` gets `reply` for every request; std::nullopt restores the
    /// default answer (a message or stream saying "Hello from upstream").
    void script(const QString &accountName, const std::optional<ScriptedReply> &reply);
    /// The account whose key an upstream request carried, or an empty string.
    QString accountOf(const RecordedRequest &request) const;
    /// The accounts of every upstream request so far, in order.
    QStringList upstreamAccounts() const;

    /// The live account (health included) by name.
    Account live(const QString &name) const;
    QUuid idOf(const QString &name) const;

    /// A Messages API body. The gateway keeps a conversation (same system prompt and first
    /// user message) on the account that served it: vary `prompt` for a new conversation.
    static QJsonObject messageBody(bool stream, const QString &model = GatewayHarness::model,
                                   const QString &prompt = QStringLiteral("Hi"));

    QNetworkReply *post(const QString &path, const QByteArray &body,
                        const QList<QPair<QByteArray, QByteArray>> &headers = {},
                        bool withKey = true);
    HttpAnswer collect(QNetworkReply *reply);
    /// POST /v1/messages with the access key and `body`.
    HttpAnswer send(const QJsonObject &body,
                    const QList<QPair<QByteArray, QByteArray>> &headers = {});
    /// POST /v1/messages to a first account that goes silent (no answer, or a stream that
    /// stops): once the upstream has the request and the client has received `clientHas`,
    /// the clock passes the upstream timeout, so the gateway gives up on that account.
    HttpAnswer sendPastSilence(const QJsonObject &body, const QByteArray &clientHas = {});
    /// Moves the clock past gateway.upstream_timeout_seconds.
    void passUpstreamTimeout();
    /// Waits until the upstream has read `count` requests (since clearRequests()).
    bool waitForUpstreamRequests(int count, int timeoutMs = testTimeout());
    HttpAnswer sendRaw(const QByteArray &method, const QString &path, const QByteArray &body,
                       const QList<QPair<QByteArray, QByteArray>> &headers, bool withKey);

    /// Usage records of finished requests, in order.
    QList<UsageRecord> finished;
    /// healthChanged signals, in order.
    QList<QPair<QUuid, AccountHealth>> healthChanges;
    /// The names of accounts announced by accountInvalidated.
    QStringList invalidated;
    /// Account checks finished (validated signals), in order.
    QList<ValidationResult> validations;
    /// How many healthChanged signals named `name`.
    qsizetype healthChangesOf(const QString &name) const;
    /// Waits until `count` requests have finished.
    bool waitForFinished(qsizetype count, int timeoutMs = testTimeout());
    /// Waits until `count` account checks have finished.
    bool waitForValidations(qsizetype count, int timeoutMs = testTimeout());

private:
    void installHandler(bool withScripts);
    bool sendAccounts();

    QThread m_upstreamThread;
    ScriptedUpstream *m_upstream = nullptr;
    QList<Account> m_accounts;
    QHash<QString, ScriptedReply> m_scripts; ///< by secret
    bool m_started = false;
    QHash<QUuid, QDateTime> m_sentVersions; ///< updatedAt of each account the server has
    std::shared_ptr<int> m_secretsRead = std::make_shared<int>(0);
    CountingSecretStore *m_secrets = nullptr; ///< owned by the server
    int m_secretsWanted = 0;
    std::unique_ptr<GatewayServer> m_server;
    QNetworkAccessManager m_nam;
};
