// SPDX-License-Identifier: GPL-3.0-or-later
#include "gatewayharness.h"

#include "gateway/healthbook.h"
#include "support/memorysecretstore.h"
#include "support/openaiupstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

/// A MemorySecretStore that counts answered reads, so the harness knows when the
/// gateway's SecretCache has every key (it reads asynchronously after setAccounts), and
/// that can hold reads back like a keychain slow to answer.
class CountingSecretStore final : public SecretStore
{
public:
    explicit CountingSecretStore(std::shared_ptr<int> reads)
        : m_reads(std::move(reads))
    { }

    QString description() const override { return m_inner.description(); }
    void read(const QString &key, Callback done) override
    {
        if (m_holding) {
            m_held.append({key, std::move(done)});
            return;
        }
        m_inner.read(key, [done = std::move(done), reads = m_reads](const SecretResult &r) {
            done(r);
            ++*reads;
        });
    }
    void write(const QString &key, const QString &secret, Callback done) override
    {
        m_inner.write(key, secret, std::move(done));
    }
    void remove(const QString &key, Callback done) override
    {
        m_inner.remove(key, std::move(done));
    }

    /// Reads wait from now on, until release().
    void hold() { m_holding = true; }
    void release()
    {
        m_holding = false;
        for (auto &[key, done] : std::exchange(m_held, {}))
            read(key, std::move(done));
    }
    bool isHolding() const { return m_holding; }

private:
    MemorySecretStore m_inner;
    std::shared_ptr<int> m_reads;
    bool m_holding = false;
    QList<std::pair<QString, Callback>> m_held;
};

namespace {

// The events of upstream's default stream.
const QByteArrayList fullStream = {"message_start",       "ping",
                                   "content_block_start", "content_block_delta",
                                   "content_block_delta", "content_block_delta",
                                   "content_block_stop",  "message_delta",
                                   "message_stop"};

ScriptedReply defaultReply(const RecordedRequest &request)
{
    const QString path = request.path.section(u'?', 0, 0);
    if (path.endsWith(u"/count_tokens"_s))
        return ScriptedReply::json(200, {{u"input_tokens"_s, 25}});
    if (path.endsWith(u"/models"_s)) {
        const QJsonObject model {{u"type"_s, u"model"_s},
                                 {u"id"_s, ScriptedReply::defaultModel()},
                                 {u"display_name"_s, u"Claude Sonnet 4.5"_s},
                                 {u"created_at"_s, u"2025-09-29T00:00:00Z"_s}};
        return ScriptedReply::json(200, {{u"data"_s, QJsonArray {model}}, {u"has_more"_s, false}});
    }
    if (request.json().value(u"stream"_s).toBool())
        return ScriptedReply::stream({u"Hello"_s, u" from"_s, u" upstream"_s});
    return ScriptedReply::message(u"Hello from upstream"_s);
}

QByteArray keyOf(const RecordedRequest &request)
{
    const QByteArray apiKey = request.header("x-api-key"_ba);
    if (!apiKey.isEmpty())
        return apiKey;
    const QByteArray auth = request.header("authorization"_ba);
    return auth.startsWith("Bearer ") ? auth.mid(7) : QByteArray();
}

} // namespace

QString deltaText(const QList<ClientEvent> &events)
{
    QString text;
    for (const ClientEvent &e : events) {
        if (e.name == "content_block_delta")
            text += e.data.value(u"delta"_s).toObject().value(u"text"_s).toString();
    }
    return text;
}

QJsonObject HttpAnswer::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpAnswer::errorType() const
{
    return json().value(u"error"_s).toObject().value(u"type"_s).toString();
}

QString HttpAnswer::errorMessage() const
{
    return json().value(u"error"_s).toObject().value(u"message"_s).toString();
}

bool HttpAnswer::isAnthropicError() const
{
    const QJsonObject object = json();
    const QJsonObject inner = object.value(u"error"_s).toObject();
    return object.value(u"type"_s) == u"error"_s && inner.value(u"type"_s).isString()
        && !inner.value(u"type"_s).toString().isEmpty() && inner.value(u"message"_s).isString()
        && !inner.value(u"message"_s).toString().isEmpty()
        && header("content-type").startsWith("application/json");
}

bool goesSilent(const ScriptedReply &reply)
{
    return reply.fault == ScriptedReply::Fault::NoAnswer
        || reply.fault == ScriptedReply::Fault::HangAfterEvents;
}

void verifySuccess(const HttpAnswer &answer, bool stream, const QString &account)
{
    QVERIFY(answer.finished);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("x-switchboard-account"), account.toUtf8());
    if (stream) {
        QVERIFY2(answer.header("content-type").startsWith("text/event-stream"),
                 answer.header("content-type").constData());
        const QList<ClientEvent> events = answer.events();
        QCOMPARE(eventNames(events), fullStream);
        QCOMPARE(deltaText(events), u"Hello from upstream"_s);
    } else {
        QCOMPARE(answer.header("content-type"), "application/json"_ba);
        const QJsonArray content = answer.json().value(u"content"_s).toArray();
        QCOMPARE(content.size(), 1);
        QCOMPARE(content.at(0).toObject().value(u"text"_s).toString(), u"Hello from upstream"_s);
    }
}

// --- RawHttpClient

bool RawHttpClient::connectTo(quint16 port)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    return QTest::qWaitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                           testTimeout());
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.flush();
}

void RawHttpClient::pump()
{
    m_buffer += m_socket.readAll();
}

bool RawHttpClient::waitUntil(const std::function<bool(const QByteArray &)> &done, int timeoutMs)
{
    return QTest::qWaitFor(
        [&] {
            pump();
            return done(m_buffer);
        },
        timeoutMs);
}

std::optional<HttpAnswer> RawHttpClient::readAnswer(bool headRequest, int timeoutMs)
{
    std::optional<HttpAnswer> answer;
    (void)QTest::qWaitFor(
        [&] {
            pump();
            answer = parse(headRequest);
            return answer.has_value();
        },
        timeoutMs);
    return answer;
}

bool RawHttpClient::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor(
        [this] {
            pump();
            return m_socket.state() == QAbstractSocket::UnconnectedState;
        },
        timeoutMs);
}

QList<ClientEvent> RawHttpClient::eventsSoFar() const
{
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return {};
    QByteArray body;
    qsizetype pos = headEnd + 4;
    for (;;) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            break;
        const qsizetype size = m_buffer.mid(pos, lineEnd - pos).toLongLong(nullptr, 16);
        if (size == 0 || m_buffer.size() < lineEnd + 2 + size + 2)
            break;
        body += m_buffer.mid(lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
    return parseEvents(body);
}

std::optional<HttpAnswer> RawHttpClient::parse(bool headRequest)
{
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    HttpAnswer a;
    const QByteArrayList lines = m_buffer.left(headEnd).split('\n');
    a.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        a.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                         lines.at(i).mid(colon + 1).trimmed());
    }
    qsizetype pos = headEnd + 4;
    if (headRequest) {
        // no body
    } else if (a.header("transfer-encoding") == "chunked") {
        for (;;) {
            const qsizetype lineEnd = m_buffer.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return std::nullopt;
            const qsizetype size = m_buffer.mid(pos, lineEnd - pos).toLongLong(nullptr, 16);
            if (m_buffer.size() < lineEnd + 2 + size + 2)
                return std::nullopt;
            a.body += m_buffer.mid(lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
            if (size == 0)
                break;
        }
    } else {
        const qsizetype length = a.header("content-length").toLongLong();
        if (m_buffer.size() < pos + length)
            return std::nullopt;
        a.body = m_buffer.mid(pos, length);
        pos += length;
    }
    a.finished = true;
    m_buffer.remove(0, pos);
    return a;
}

QByteArray RawHttpClient::request(const QByteArray &method, const QByteArray &target, quint16 port,
                                  const QByteArrayList &headerLines, const QByteArray &body)
{
    QByteArray out = method + ' ' + target + " HTTP/1.1\r\n";
    const bool hasHost
        = std::any_of(headerLines.cbegin(), headerLines.cend(),
                      [](const QByteArray &l) { return l.toLower().startsWith("host:"); });
    if (!hasHost)
        out += "host: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    for (const QByteArray &line : headerLines)
        out += line + "\r\n";
    const bool hasLength
        = std::any_of(headerLines.cbegin(), headerLines.cend(), [](const QByteArray &l) {
              return l.toLower().startsWith("content-length:");
          });
    if (!body.isEmpty() && !hasLength)
        out += "content-length: " + QByteArray::number(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

// --- GatewayHarness

GatewayHarness::GatewayHarness(UpstreamThread thread)
{
    m_upstream = new ScriptedUpstream;
    if (thread == UpstreamThread::Own) {
        m_upstreamThread.setObjectName(u"upstream"_s);
        m_upstream->moveToThread(&m_upstreamThread);
        m_upstreamThread.start();
        bool listening = false;
        QMetaObject::invokeMethod(m_upstream, &ScriptedUpstream::listen,
                                  Qt::BlockingQueuedConnection, &listening);
        Q_ASSERT(listening);
    } else {
        const bool listening = m_upstream->listen();
        Q_ASSERT(listening);
    }
    (void)settings.set(SettingKeys::upstreamTimeout, 1);
    installHandler(false);
}

GatewayHarness::~GatewayHarness()
{
    m_server.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    if (m_upstreamThread.isRunning()) {
        QMetaObject::invokeMethod(m_upstream, &QObject::deleteLater);
        m_upstreamThread.quit();
        m_upstreamThread.wait();
    } else {
        delete m_upstream;
    }
}

void GatewayHarness::letStreamsWaitOnTheTest()
{
    (void)settings.set(SettingKeys::upstreamTimeout, 3600);
}

Account &GatewayHarness::addAccount(const QString &name, int priority, const QUrl &baseUrl)
{
    Account a;
    a.id = QUuid::createUuid();
    a.name = name;
    a.provider = ProviderKind::Anthropic;
    a.baseUrl = baseUrl.isEmpty() ? m_upstream->baseUrl() : baseUrl;
    a.priority = priority;
    a.createdAt = a.updatedAt = clock.now();
    m_accounts.append(a);
    return m_accounts.last();
}

Account &GatewayHarness::addOpenAIAccount(const QString &name, int priority)
{
    Account &a = addAccount(name, priority);
    a.provider = ProviderKind::OpenAI;
    a.authStyle = AuthStyle::Bearer;
    a.baseUrl = QUrl(m_upstream->baseUrl().toString() + u"/v1"_s);
    a.modelMapping = ModelMapping({{u"*"_s, openAIModel}});
    return a;
}

bool GatewayHarness::start()
{
    auto secrets = std::make_unique<CountingSecretStore>(m_secretsRead);
    m_secrets = secrets.get();
    m_server = std::make_unique<GatewayServer>(clock, std::move(secrets));
    QObject::connect(m_server.get(), &GatewayServer::requestFinished, m_server.get(),
                     [this](const UsageRecord &record) { finished.append(record); });
    QObject::connect(m_server.get(), &GatewayServer::healthChanged, m_server.get(),
                     [this](const QUuid &id, const AccountHealth &health) {
                         healthChanges.append({id, health});
                     });
    QObject::connect(
        m_server.get(), &GatewayServer::accountInvalidated, m_server.get(),
        [this](const QUuid &, const QString &name, const QString &) { invalidated.append(name); });
    m_server->setSettings(settings);
    m_server->setConnectionLimits(connectionLimits);
    AccessKey key;
    key.id = QUuid::createUuid();
    key.name = u"tests"_s;
    key.prefix = accessKey.left(AccessKeyStore::prefixLength);
    key.hash = AccessKeyStore::hashKey(accessKey);
    key.createdAt = clock.now();
    m_server->setAccessKeys({key});
    QObject::connect(m_server.get(), &GatewayServer::validated, m_server.get(),
                     [this](const ValidationResult &result) { validations.append(result); });
    if (!m_server->listen(QHostAddress::LocalHost, 0) || !sendAccounts())
        return false;
    const auto enabled = std::count_if(m_accounts.cbegin(), m_accounts.cend(),
                                       [](const Account &a) { return a.enabled; });
    if (!waitForValidations(enabled))
        return false;
    // A changed updatedAt makes the gateway take the account whole, health included.
    for (Account &a : m_accounts)
        a.updatedAt = a.updatedAt.addMSecs(1);
    if (!sendAccounts())
        return false;
    m_upstream->clearRequests();
    finished.clear();
    healthChanges.clear();
    invalidated.clear();
    validations.clear();
    m_started = true;
    installHandler(true);
    return true;
}

bool GatewayHarness::sendAccounts()
{
    for (const Account &a : std::as_const(m_accounts)) {
        if (m_sentVersions.value(a.id) != a.updatedAt) {
            m_sentVersions.insert(a.id, a.updatedAt);
            m_secrets->write(a.secretKey(), secretOf(a.name), [](const SecretResult &) {});
            ++m_secretsWanted;
        }
    }
    m_server->setAccounts(m_accounts);
    return m_secrets->isHolding()
        || QTest::qWaitFor([this] { return *m_secretsRead >= m_secretsWanted; }, testTimeout());
}

void GatewayHarness::holdSecrets()
{
    m_secrets->hold();
}

void GatewayHarness::releaseSecrets()
{
    m_secrets->release();
}

bool GatewayHarness::updateAccounts()
{
    return sendAccounts();
}

QUrl GatewayHarness::url(const QString &pathAndQuery) const
{
    return QUrl(u"http://127.0.0.1:%1%2"_s.arg(port()).arg(pathAndQuery));
}

void GatewayHarness::script(const QString &accountName, const std::optional<ScriptedReply> &reply)
{
    if (reply)
        m_scripts.insert(secretOf(accountName), *reply);
    else
        m_scripts.remove(secretOf(accountName));
    installHandler(m_started);
}

void GatewayHarness::installHandler(bool withScripts)
{
    const QHash<QString, ScriptedReply> scripts
        = withScripts ? m_scripts : QHash<QString, ScriptedReply>();
    m_upstream->setHandler([scripts](const RecordedRequest &request) {
        // OpenAI-compatible accounts meet a server as strict as the real API.
        const bool chat = request.path.section(u'?', 0, 0).endsWith(u"/chat/completions");
        if (chat) {
            if (auto refused = OpenAIStrict::refusal(request))
                return *refused;
        }
        const auto it = scripts.constFind(QString::fromUtf8(keyOf(request)));
        if (it != scripts.cend())
            return *it;
        return chat ? OpenAIStrict::defaultReply(request) : defaultReply(request);
    });
}

QString GatewayHarness::accountOf(const RecordedRequest &request) const
{
    const QString key = QString::fromUtf8(keyOf(request));
    for (const Account &a : m_accounts) {
        if (secretOf(a.name) == key)
            return a.name;
    }
    return {};
}

QStringList GatewayHarness::upstreamAccounts() const
{
    QStringList names;
    for (const RecordedRequest &r : m_upstream->requests())
        names.append(accountOf(r));
    return names;
}

Account GatewayHarness::live(const QString &name) const
{
    for (const Account &a : m_server->health().accounts()) {
        if (a.name == name)
            return a;
    }
    return {};
}

QUuid GatewayHarness::idOf(const QString &name) const
{
    for (const Account &a : m_accounts) {
        if (a.name == name)
            return a.id;
    }
    return {};
}

QJsonObject GatewayHarness::messageBody(bool stream, const QString &model, const QString &prompt)
{
    QJsonObject body {
        {u"model"_s, model},
        {u"max_tokens"_s, 64},
        {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, prompt}}}}};
    if (stream)
        body.insert(u"stream"_s, true);
    return body;
}

QNetworkReply *GatewayHarness::post(const QString &path, const QByteArray &body,
                                    const QList<QPair<QByteArray, QByteArray>> &headers,
                                    bool withKey)
{
    QNetworkRequest request(url(path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    if (withKey)
        request.setRawHeader("x-api-key"_ba, accessKey.toUtf8());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return m_nam.post(request, body);
}

HttpAnswer GatewayHarness::collect(QNetworkReply *reply)
{
    HttpAnswer a;
    a.finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, testTimeout());
    a.error = reply->error();
    a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    a.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        a.headers.insert(name.toLower(), value);
    if (!a.finished)
        reply->abort();
    reply->deleteLater();
    return a;
}

HttpAnswer GatewayHarness::send(const QJsonObject &body,
                                const QList<QPair<QByteArray, QByteArray>> &headers)
{
    return collect(
        post(u"/v1/messages"_s, QJsonDocument(body).toJson(QJsonDocument::Compact), headers));
}

HttpAnswer GatewayHarness::sendPastSilence(const QJsonObject &body, const QByteArray &clientHas)
{
    const int before = m_upstream->requestCount();
    QNetworkReply *reply
        = post(u"/v1/messages"_s, QJsonDocument(body).toJson(QJsonDocument::Compact));
    const bool silent = QTest::qWaitFor(
        [&] {
            return m_upstream->requestCount() > before
                && (clientHas.isEmpty()
                    || reply->peek(reply->bytesAvailable()).contains(clientHas));
        },
        testTimeout());
    if (silent)
        passUpstreamTimeout();
    return collect(reply);
}

void GatewayHarness::passUpstreamTimeout()
{
    clock.advance(std::chrono::seconds(settings.upstreamTimeoutSeconds()));
}

bool GatewayHarness::waitForUpstreamRequests(int count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_upstream->requestCount() >= count; }, timeoutMs);
}

HttpAnswer GatewayHarness::sendRaw(const QByteArray &method, const QString &path,
                                   const QByteArray &body,
                                   const QList<QPair<QByteArray, QByteArray>> &headers,
                                   bool withKey)
{
    QNetworkRequest request(url(path));
    if (withKey)
        request.setRawHeader("x-api-key"_ba, accessKey.toUtf8());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return collect(m_nam.sendCustomRequest(request, method, body));
}

qsizetype GatewayHarness::healthChangesOf(const QString &name) const
{
    const QUuid id = idOf(name);
    return std::count_if(healthChanges.cbegin(), healthChanges.cend(),
                         [&](const auto &change) { return change.first == id; });
}

bool GatewayHarness::waitForFinished(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return finished.size() >= count; }, timeoutMs);
}

bool GatewayHarness::waitForValidations(qsizetype count, int timeoutMs)
{
    return QTest::qWaitFor([&] { return validations.size() >= count; }, timeoutMs);
}
