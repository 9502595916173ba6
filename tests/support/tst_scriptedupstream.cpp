// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/clientevents.h"
#include "support/scriptedupstream.h"
#include "support/testtimeout.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QScopeGuard>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#ifdef Q_OS_UNIX
#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Reply = ScriptedReply;

Q_DECLARE_METATYPE(ScriptedReply)

namespace {

struct Response
{
    bool finished = false;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QUrl urlOf(const ScriptedUpstream &upstream, const QString &path)
{
    return upstream.baseUrl().resolved(QUrl(path));
}

QJsonObject messagesBody(bool stream = false)
{
    QJsonObject body {{u"model"_s, u"claude-opus-4-1"_s},
                      {u"max_tokens"_s, 64},
                      {u"messages"_s,
                       QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"Hi"_s}}}}};
    if (stream)
        body.insert(u"stream"_s, true);
    return body;
}

QNetworkReply *post(QNetworkAccessManager &nam, const QUrl &url, const QJsonObject &body)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    return nam.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
}

Response collect(QNetworkReply *reply)
{
    Response r;
    r.finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, testTimeout());
    r.error = reply->error();
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        r.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return r;
}

Response send(QNetworkAccessManager &nam, const QUrl &url, const QJsonObject &body)
{
    return collect(post(nam, url, body));
}

QString joinedDeltas(const QList<ClientEvent> &events, const QString &field)
{
    QString joined;
    for (const ClientEvent &e : events) {
        if (e.name == "content_block_delta")
            joined += e.data.value(u"delta"_s).toObject().value(field).toString();
    }
    return joined;
}

/// An HTTP/1.1 client over a bare socket, for what QNetworkAccessManager hides: connection
/// reuse, chunk boundaries, request framing.
class RawClient
{
public:
    struct Answer
    {
        int status = 0;
        QHash<QByteArray, QByteArray> headers;
        QByteArray body;
        QByteArrayList chunks;
    };

    bool connectTo(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        return QTest::qWaitFor(
            [this] { return m_socket.state() == QAbstractSocket::ConnectedState; }, testTimeout());
    }

    void send(const QByteArray &request) { m_socket.write(request); }

    std::optional<Answer> read()
    {
        std::optional<Answer> answer;
        (void)QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                answer = parse();
                return answer.has_value();
            },
            testTimeout());
        return answer;
    }

    QTcpSocket &socket() { return m_socket; }

private:
    std::optional<Answer> parse()
    {
        const qsizetype headerEnd = m_buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return std::nullopt;
        Answer a;
        const QByteArrayList lines = m_buffer.left(headerEnd).split('\n');
        a.status = lines.first().split(' ').value(1).toInt();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            a.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                             lines.at(i).mid(colon + 1).trimmed());
        }
        qsizetype pos = headerEnd + 4;
        if (a.headers.value("transfer-encoding"_ba) == "chunked") {
            for (;;) {
                const qsizetype lineEnd = m_buffer.indexOf("\r\n", pos);
                if (lineEnd < 0)
                    return std::nullopt;
                const qsizetype size = m_buffer.mid(pos, lineEnd - pos).toLongLong(nullptr, 16);
                if (m_buffer.size() < lineEnd + 2 + size + 2)
                    return std::nullopt;
                pos = lineEnd + 2 + size + 2;
                if (size == 0)
                    break;
                a.chunks.append(m_buffer.mid(lineEnd + 2, size));
                a.body += a.chunks.constLast();
            }
        } else {
            const qsizetype length = a.headers.value("content-length"_ba).toLongLong();
            if (m_buffer.size() < pos + length)
                return std::nullopt;
            a.body = m_buffer.mid(pos, length);
            pos += length;
        }
        m_buffer.remove(0, pos);
        return a;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray rawRequest(const QByteArray &path, const QByteArray &body,
                      const QByteArray &extraHeaders = {})
{
    return "POST "_ba + path
        + " HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"_ba + extraHeaders
        + "content-length: "_ba + QByteArray::number(body.size()) + "\r\n\r\n"_ba + body;
}

#ifdef Q_OS_UNIX
struct PosixRead
{
    QByteArray data;
    int error = 0; ///< errno of the read that ended it; 0 for an orderly close
};

// Qt reports a reset as RemoteHostClosedError, the same as a clean close, so look at errno.
std::optional<PosixRead> readUntilClosed(quint16 port, const QByteArray &request)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    const auto closeFd = qScopeGuard([fd] { ::close(fd); });
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0)
        return std::nullopt;
    if (::send(fd, request.constData(), size_t(request.size()), 0) != request.size())
        return std::nullopt;
    PosixRead result;
    const bool ended = QTest::qWaitFor(
        [&] {
            char buffer[4096];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
            if (n > 0) {
                result.data.append(buffer, n);
                return false;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return false;
            result.error = n < 0 ? errno : 0;
            return true;
        },
        testTimeout());
    return ended ? std::optional(result) : std::nullopt;
}
#endif

} // namespace

class TestScriptedUpstream : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void defaultMessageEchoesModel();
    void defaultStreamEchoesModel();
    void requestsAreRecorded();
    void queueComesBeforeHandler();
    void messageAndToolUseHaveTheApiShape();
    void errorRepliesHaveTheApiShape_data();
    void errorRepliesHaveTheApiShape();
    void rateLimitedUntilHasResetTimeOnly();
    void spendLimitHasErrorCode();
    void badGatewayIsPlainText();
    void malformedJsonIsCutOff();
    void streamSendsOneChunkPerEvent();
    void toolUseStreamSendsPartialJson();
    void eventIntervalSpacesTheEvents();
    void pacedEventsWaitForTheTest();
    void delayHoldsTheAnswer();
    void keepAliveServesSequentialRequests();
    void chunkedRequestBodyIsDecoded();
    void connectionCloseIsHonoured();
    void malformedRequestGets400();
    void resetBeforeHeadersResetsTheConnection();
    void resetMidStreamCutsTheConnectionAfterTheEvents();
    void errorEventMidStreamEndsTheStreamCleanly();
    void hangMidStreamLeavesTheConnectionSilent();
    void timeoutNeverAnswers();
    void closedPortRefuses();
    void closeStopsListening();
    void concurrentStreamsOnOwnThread();

private:
    std::unique_ptr<ScriptedUpstream> m_upstream;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void TestScriptedUpstream::init()
{
    m_upstream = std::make_unique<ScriptedUpstream>();
    QVERIFY(m_upstream->listen());
    QVERIFY(m_upstream->port() != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void TestScriptedUpstream::cleanup()
{
    m_nam.reset();
    m_upstream.reset();
}

void TestScriptedUpstream::defaultMessageEchoesModel()
{
    QCOMPARE(m_upstream->baseUrl(), QUrl(u"http://127.0.0.1:%1"_s.arg(m_upstream->port())));
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QVERIFY(r.finished);
    QCOMPARE(r.error, QNetworkReply::NoError);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"_ba), "application/json"_ba);
    QVERIFY(r.header("request-id"_ba).startsWith("req_"));
    const QJsonObject message = r.json();
    QVERIFY(message.value(u"id"_s).toString().startsWith(u"msg_"_s));
    QCOMPARE(message.value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(message.value(u"role"_s).toString(), u"assistant"_s);
    QCOMPARE(message.value(u"model"_s).toString(), u"claude-opus-4-1"_s);
    QCOMPARE(message.value(u"stop_reason"_s).toString(), u"end_turn"_s);
    const QJsonObject block = message.value(u"content"_s).toArray().first().toObject();
    QCOMPARE(block.value(u"type"_s).toString(), u"text"_s);
    QCOMPARE(block.value(u"text"_s).toString(), u"Hello from upstream"_s);
    const QJsonObject usage = message.value(u"usage"_s).toObject();
    for (const QString &key : {u"input_tokens"_s, u"output_tokens"_s,
                               u"cache_creation_input_tokens"_s, u"cache_read_input_tokens"_s})
        QVERIFY2(usage.value(key).isDouble(), qPrintable(key));
}

void TestScriptedUpstream::defaultStreamEchoesModel()
{
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody(true));
    QCOMPARE(r.error, QNetworkReply::NoError);
    QCOMPARE(r.header("content-type"_ba), "text/event-stream"_ba);
    const QList<ClientEvent> events = parseEvents(r.body);
    QCOMPARE(events.first().name, "message_start"_ba);
    QCOMPARE(events.first().data.value(u"message"_s).toObject().value(u"model"_s).toString(),
             u"claude-opus-4-1"_s);
    QCOMPARE(joinedDeltas(events, u"text"_s), u"Hello from upstream"_s);
}

void TestScriptedUpstream::requestsAreRecorded()
{
    QList<int> signalled;
    connect(m_upstream.get(), &ScriptedUpstream::requestReceived, this,
            [&signalled](int index) { signalled.append(index); });

    QNetworkRequest request(urlOf(*m_upstream, u"/v1/messages?beta=true"_s));
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setRawHeader("X-Api-Key"_ba, "sk-ant-test"_ba);
    request.setRawHeader("anthropic-version"_ba, "2023-06-01"_ba);
    request.setRawHeader("Anthropic-Beta"_ba, "prompt-caching-2024-07-31"_ba);
    const QByteArray body = QJsonDocument(messagesBody()).toJson(QJsonDocument::Compact);
    const Response r = collect(m_nam->post(request, body));
    QCOMPARE(r.status, 200);

    QCOMPARE(m_upstream->requestCount(), 1);
    QCOMPARE(signalled, QList<int> {0});
    const RecordedRequest recorded = m_upstream->requests().first();
    QCOMPARE(recorded.method, "POST"_ba);
    QCOMPARE(recorded.path, u"/v1/messages?beta=true"_s);
    QCOMPARE(recorded.headers.value("x-api-key"_ba), "sk-ant-test"_ba);
    QCOMPARE(recorded.header("Anthropic-Version"_ba), "2023-06-01"_ba);
    QCOMPARE(recorded.headers.value("anthropic-beta"_ba), "prompt-caching-2024-07-31"_ba);
    QCOMPARE(recorded.headers.value("content-type"_ba), "application/json"_ba);
    QCOMPARE(recorded.body, body);
    QCOMPARE(recorded.json().value(u"max_tokens"_s).toInt(), 64);
    QCOMPARE(recorded.connection, 1);
    QCOMPARE(m_upstream->lastRequest().body, body);

    m_upstream->clearRequests();
    QCOMPARE(m_upstream->requestCount(), 0);
}

void TestScriptedUpstream::queueComesBeforeHandler()
{
    m_upstream->enqueue(Reply::json(201, {{u"first"_s, true}}, {{"x-custom"_ba, "yes"_ba}}));
    m_upstream->enqueue(Reply::message(u"queued"_s).withHeader("REQUEST-ID"_ba, "req_fixed"_ba), 2);
    QCOMPARE(m_upstream->pendingReplies(), 3);
    m_upstream->setHandler([](const RecordedRequest &request) {
        return Reply::message(u"handled "_s + request.path);
    });

    const QUrl url = urlOf(*m_upstream, u"/v1/messages"_s);
    Response r = send(*m_nam, url, messagesBody());
    QCOMPARE(r.status, 201);
    QCOMPARE(r.header("x-custom"_ba), "yes"_ba);
    QCOMPARE(r.json().value(u"first"_s).toBool(), true);
    for (int i = 0; i < 2; ++i) {
        r = send(*m_nam, url, messagesBody());
        QCOMPARE(r.header("request-id"_ba), "req_fixed"_ba);
        QCOMPARE(r.json()[u"content"_s][0][u"text"_s].toString(), u"queued"_s);
    }
    QCOMPARE(m_upstream->pendingReplies(), 0);
    r = send(*m_nam, url, messagesBody());
    QCOMPARE(r.json()[u"content"_s][0][u"text"_s].toString(), u"handled /v1/messages"_s);

    m_upstream->setHandler({});
    r = send(*m_nam, url, messagesBody());
    QCOMPARE(r.json()[u"content"_s][0][u"text"_s].toString(), u"Hello from upstream"_s);
}

void TestScriptedUpstream::messageAndToolUseHaveTheApiShape()
{
    m_upstream->enqueue(Reply::message(u"Hi"_s, u"claude-haiku-4-5"_s, {100, 7, 30, 40}));
    m_upstream->enqueue(Reply::toolUse(u"Read"_s, {{u"file_path"_s, u"/tmp/a"_s}}));
    const QUrl url = urlOf(*m_upstream, u"/v1/messages"_s);

    QJsonObject message = send(*m_nam, url, messagesBody()).json();
    QCOMPARE(message.value(u"model"_s).toString(), u"claude-haiku-4-5"_s);
    const QJsonObject usage = message.value(u"usage"_s).toObject();
    QCOMPARE(usage.value(u"input_tokens"_s).toInt(), 100);
    QCOMPARE(usage.value(u"output_tokens"_s).toInt(), 7);
    QCOMPARE(usage.value(u"cache_creation_input_tokens"_s).toInt(), 30);
    QCOMPARE(usage.value(u"cache_read_input_tokens"_s).toInt(), 40);

    message = send(*m_nam, url, messagesBody()).json();
    QCOMPARE(message.value(u"stop_reason"_s).toString(), u"tool_use"_s);
    QCOMPARE(message.value(u"model"_s).toString(), u"claude-opus-4-1"_s);
    const QJsonObject block = message.value(u"content"_s).toArray().first().toObject();
    QCOMPARE(block.value(u"type"_s).toString(), u"tool_use"_s);
    QVERIFY(block.value(u"id"_s).toString().startsWith(u"toolu_"_s));
    QCOMPARE(block.value(u"name"_s).toString(), u"Read"_s);
    QCOMPARE(block.value(u"input"_s).toObject().value(u"file_path"_s).toString(), u"/tmp/a"_s);
}

void TestScriptedUpstream::errorRepliesHaveTheApiShape_data()
{
    QTest::addColumn<Reply>("reply");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QByteArray>("retryAfter");

    QTest::newRow("401") << Reply::unauthorized() << 401 << u"authentication_error"_s
                         << QByteArray();
    QTest::newRow("402") << Reply::billing() << 402 << u"billing_error"_s << QByteArray();
    QTest::newRow("403") << Reply::forbidden() << 403 << u"permission_error"_s << QByteArray();
    QTest::newRow("429") << Reply::rateLimited(17) << 429 << u"rate_limit_error"_s << "17"_ba;
    QTest::newRow("500") << Reply::serverError() << 500 << u"api_error"_s << QByteArray();
    QTest::newRow("503") << Reply::unavailable() << 503 << u"api_error"_s << QByteArray();
    QTest::newRow("529") << Reply::overloaded() << 529 << u"overloaded_error"_s << QByteArray();
    QTest::newRow("400") << Reply::badRequest(u"messages: empty"_s) << 400
                         << u"invalid_request_error"_s << QByteArray();
    QTest::newRow("404") << Reply::notFound() << 404 << u"not_found_error"_s << QByteArray();
    QTest::newRow("413") << Reply::error(413, u"request_too_large"_s, u"too big"_s) << 413
                         << u"request_too_large"_s << QByteArray();
}

void TestScriptedUpstream::errorRepliesHaveTheApiShape()
{
    QFETCH(Reply, reply);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QByteArray, retryAfter);

    m_upstream->enqueue(reply);
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QVERIFY(r.finished);
    QVERIFY(r.error != QNetworkReply::NoError); // QNAM's view of any 4xx/5xx
    QCOMPARE(r.status, status);
    QCOMPARE(r.header("retry-after"_ba), retryAfter);
    QCOMPARE(r.header("content-type"_ba), "application/json"_ba);
    const QJsonObject body = r.json();
    QCOMPARE(body.value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(body[u"error"_s][u"type"_s].toString(), type);
    QVERIFY(!body[u"error"_s][u"message"_s].toString().isEmpty());
    QVERIFY(body.value(u"request_id"_s).toString().startsWith(u"req_"_s));
    QCOMPARE(r.header("request-id"_ba), body.value(u"request_id"_s).toString().toUtf8());
}

void TestScriptedUpstream::rateLimitedUntilHasResetTimeOnly()
{
    const QDateTime reset = QDateTime::currentDateTimeUtc().addSecs(90);
    m_upstream->enqueue(Reply::rateLimitedUntil(reset));
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QCOMPARE(r.status, 429);
    QVERIFY(!r.headers.contains("retry-after"_ba));
    const QByteArray header = r.header("anthropic-ratelimit-requests-reset"_ba);
    QVERIFY(header.endsWith('Z'));
    const QDateTime parsed = QDateTime::fromString(QString::fromUtf8(header), Qt::ISODate);
    QCOMPARE(parsed.toSecsSinceEpoch(), reset.toSecsSinceEpoch());
    QCOMPARE(r.json()[u"error"_s][u"type"_s].toString(), u"rate_limit_error"_s);
}

void TestScriptedUpstream::spendLimitHasErrorCode()
{
    m_upstream->enqueue(Reply::spendLimit());
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QCOMPARE(r.status, 429);
    const QJsonObject error = r.json().value(u"error"_s).toObject();
    QCOMPARE(error.value(u"type"_s).toString(), u"rate_limit_error"_s);
    QVERIFY(!error.value(u"message"_s).toString().isEmpty());
    QCOMPARE(error[u"details"_s][u"error_code"_s].toString(), u"enforced_spend_limit_reached"_s);
    QVERIFY(!r.headers.contains("retry-after"_ba));
}

void TestScriptedUpstream::badGatewayIsPlainText()
{
    m_upstream->enqueue(Reply::badGateway());
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QCOMPARE(r.status, 502);
    QVERIFY(r.header("content-type"_ba).startsWith("text/plain"));
    QVERIFY(!r.body.isEmpty());
    QJsonParseError error;
    QJsonDocument::fromJson(r.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
}

void TestScriptedUpstream::malformedJsonIsCutOff()
{
    m_upstream->enqueue(Reply::malformedJson());
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QCOMPARE(r.error, QNetworkReply::NoError);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("content-type"_ba), "application/json"_ba);
    QVERIFY(r.body.startsWith(R"({"id": "msg_1")"));
    QJsonParseError error;
    QJsonDocument::fromJson(r.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
}

void TestScriptedUpstream::streamSendsOneChunkPerEvent()
{
    m_upstream->enqueue(Reply::stream({u"Hel"_s, u"lo"_s}, u"claude-x"_s, {9, 4, 0, 0}));
    RawClient client;
    QVERIFY(client.connectTo(m_upstream->port()));
    client.send(rawRequest("/v1/messages"_ba, QJsonDocument(messagesBody(true)).toJson()));
    const auto answer = client.read();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(answer->headers.value("content-type"_ba), "text/event-stream"_ba);
    QVERIFY(answer->headers.value("request-id"_ba).startsWith("req_"));

    const QList<ClientEvent> events = parseEvents(answer->body);
    QCOMPARE(eventNames(events),
             (QByteArrayList {"message_start", "ping", "content_block_start", "content_block_delta",
                              "content_block_delta", "content_block_stop", "message_delta",
                              "message_stop"}));
    QCOMPARE(answer->chunks.size(), events.size());
    for (qsizetype i = 0; i < events.size(); ++i) {
        QCOMPARE(parseEvents(answer->chunks.at(i)).size(), 1);
        QCOMPARE(events.at(i).data.value(u"type"_s).toString().toUtf8(), events.at(i).name);
    }
    const QJsonObject start = events.at(0).data.value(u"message"_s).toObject();
    QCOMPARE(start.value(u"model"_s).toString(), u"claude-x"_s);
    QCOMPARE(start[u"usage"_s][u"input_tokens"_s].toInt(), 9);
    QCOMPARE(events.at(2).data[u"content_block"_s][u"type"_s].toString(), u"text"_s);
    QCOMPARE(events.at(3).data[u"delta"_s][u"type"_s].toString(), u"text_delta"_s);
    QCOMPARE(joinedDeltas(events, u"text"_s), u"Hello"_s);
    QCOMPARE(events.at(6).data[u"delta"_s][u"stop_reason"_s].toString(), u"end_turn"_s);
    QCOMPARE(events.at(6).data[u"usage"_s][u"output_tokens"_s].toInt(), 4);
}

void TestScriptedUpstream::toolUseStreamSendsPartialJson()
{
    m_upstream->enqueue(Reply::toolUseStream(u"Bash"_s, {uR"({"comm)"_s, uR"(and": "ls"})"_s}));
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody(true));
    const QList<ClientEvent> events = parseEvents(r.body);
    QCOMPARE(events.size(), 8);
    const QJsonObject block = events.at(2).data.value(u"content_block"_s).toObject();
    QCOMPARE(block.value(u"type"_s).toString(), u"tool_use"_s);
    QCOMPARE(block.value(u"name"_s).toString(), u"Bash"_s);
    QVERIFY(block.value(u"id"_s).toString().startsWith(u"toolu_"_s));
    QCOMPARE(events.at(3).data[u"delta"_s][u"type"_s].toString(), u"input_json_delta"_s);
    const QJsonObject input
        = QJsonDocument::fromJson(joinedDeltas(events, u"partial_json"_s).toUtf8()).object();
    QCOMPARE(input.value(u"command"_s).toString(), u"ls"_s);
    QCOMPARE(events.at(6).data[u"delta"_s][u"stop_reason"_s].toString(), u"tool_use"_s);
}

void TestScriptedUpstream::eventIntervalSpacesTheEvents()
{
    constexpr auto interval = 60ms;
    m_upstream->enqueue(Reply::stream({u"a"_s, u"b"_s, u"c"_s}).withEventInterval(interval));
    QElapsedTimer elapsed;
    elapsed.start();
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody(true));
    QVERIFY(r.finished);
    const QList<ClientEvent> events = parseEvents(r.body);
    QCOMPARE(events.size(), 9);
    QCOMPARE(eventNames(events).constLast(), "message_stop"_ba);
    // Eight pauses at least between the first event and the last: a slow machine only
    // makes it longer.
    QVERIFY2(elapsed.elapsed() >= 8 * interval.count(),
             QByteArray::number(elapsed.elapsed()).constData());
}

void TestScriptedUpstream::pacedEventsWaitForTheTest()
{
    m_upstream->enqueue(Reply::stream({u"a"_s, u"b"_s, u"c"_s}).withPacedEvents(), 2);
    m_upstream->allowEvents(2);
    QNetworkReply *reply = post(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody(true));
    QByteArray received;
    connect(reply, &QNetworkReply::readyRead, this,
            [&received, reply] { received += reply->readAll(); });
    QVERIFY(QTest::qWaitFor([&] { return parseEvents(received).size() == 2; }, testTimeout()));
    QCOMPARE(eventNames(parseEvents(received)), (QByteArrayList {"message_start", "ping"}));

    m_upstream->allowEvents(5);
    QVERIFY(QTest::qWaitFor([&] { return parseEvents(received).size() == 5; }, testTimeout()));
    QVERIFY(!reply->isFinished());
    m_upstream->allowEvents();
    const Response r = collect(reply);
    QCOMPARE(r.error, QNetworkReply::NoError);
    const QList<ClientEvent> events = parseEvents(received + r.body);
    QCOMPARE(events.size(), 9);
    QCOMPARE(joinedDeltas(events, u"text"_s), u"abc"_s);

    // A paced stream that starts later may send what is allowed by then.
    QCOMPARE(
        parseEvents(send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody(true)).body)
            .size(),
        9);
}

void TestScriptedUpstream::delayHoldsTheAnswer()
{
    constexpr auto delay = 200ms;
    m_upstream->setHandler([delay](const RecordedRequest &request) {
        const Reply reply = Reply::message(request.path);
        // The held one is held for longer than any test runs.
        return request.path == u"/held"_s ? reply.withDelay(24h)
            : request.path == u"/slow"_s  ? reply.withDelay(delay)
                                          : reply;
    });
    QNetworkAccessManager other;
    QNetworkReply *held = post(*m_nam, urlOf(*m_upstream, u"/held"_s), messagesBody());
    const auto abortHeld = qScopeGuard([held] {
        held->abort();
        held->deleteLater();
    });
    QVERIFY(QTest::qWaitFor([this] { return m_upstream->requestCount() == 1; }, testTimeout()));
    // Other connections are answered meanwhile.
    const Response fast = send(other, urlOf(*m_upstream, u"/fast"_s), messagesBody());
    QCOMPARE(fast.status, 200);
    QVERIFY(!held->isFinished());
    QCOMPARE(held->bytesAvailable(), 0);

    QElapsedTimer elapsed;
    elapsed.start();
    const Response slow = send(other, urlOf(*m_upstream, u"/slow"_s), messagesBody());
    QCOMPARE(slow.status, 200);
    QCOMPARE(slow.json()[u"content"_s][0][u"text"_s].toString(), u"/slow"_s);
    QVERIFY2(elapsed.elapsed() >= delay.count(), QByteArray::number(elapsed.elapsed()).constData());
}

void TestScriptedUpstream::keepAliveServesSequentialRequests()
{
    RawClient client;
    QVERIFY(client.connectTo(m_upstream->port()));
    m_upstream->enqueue(Reply::message(u"one"_s));
    m_upstream->enqueue(Reply::stream({u"two"_s}));
    client.send(rawRequest("/v1/messages"_ba, "{}"_ba));
    auto answer = client.read();
    QVERIFY(answer);
    QCOMPARE(QJsonDocument::fromJson(answer->body)[u"content"_s][0][u"text"_s].toString(),
             u"one"_s);
    client.send(rawRequest("/v1/messages"_ba, "{}"_ba));
    answer = client.read();
    QVERIFY(answer);
    QCOMPARE(joinedDeltas(parseEvents(answer->body), u"text"_s), u"two"_s);
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_upstream->connectionCount(), 1);

    // QNetworkAccessManager reuses its connection as well.
    const QUrl url = urlOf(*m_upstream, u"/v1/messages"_s);
    QCOMPARE(send(*m_nam, url, messagesBody()).status, 200);
    QCOMPARE(send(*m_nam, url, messagesBody()).status, 200);
    const QList<RecordedRequest> requests = m_upstream->requests();
    QCOMPARE(requests.size(), 4);
    QCOMPARE(requests.at(0).connection, 1);
    QCOMPARE(requests.at(1).connection, 1);
    QCOMPARE(requests.at(2).connection, 2);
    QCOMPARE(requests.at(3).connection, 2);
}

void TestScriptedUpstream::chunkedRequestBodyIsDecoded()
{
    RawClient client;
    QVERIFY(client.connectTo(m_upstream->port()));
    client.send("POST /v1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5\r\n{\"a\":\r\n4;ext=1\r\n 12}\r\n0\r\nX-Trailer: t\r\n\r\n"_ba);
    QVERIFY(client.read());
    QCOMPARE(m_upstream->lastRequest().body, R"({"a": 12})"_ba);
    QCOMPARE(m_upstream->lastRequest().json().value(u"a"_s).toInt(), 12);
}

void TestScriptedUpstream::connectionCloseIsHonoured()
{
    RawClient client;
    QVERIFY(client.connectTo(m_upstream->port()));
    client.send(rawRequest("/v1/messages"_ba, "{}"_ba, "connection: close\r\n"_ba));
    const auto answer = client.read();
    QVERIFY(answer);
    QCOMPARE(answer->headers.value("connection"_ba), "close"_ba);
    QVERIFY(QTest::qWaitFor(
        [&] { return client.socket().state() == QAbstractSocket::UnconnectedState; },
        testTimeout()));
}

void TestScriptedUpstream::malformedRequestGets400()
{
    RawClient client;
    QVERIFY(client.connectTo(m_upstream->port()));
    client.send("NONSENSE\r\n\r\n"_ba);
    const auto answer = client.read();
    QVERIFY(answer);
    QCOMPARE(answer->status, 400);
    QCOMPARE(m_upstream->requestCount(), 0);
}

void TestScriptedUpstream::resetBeforeHeadersResetsTheConnection()
{
    // QNetworkAccessManager may silently resend a request whose connection closed before any
    // answer (once per fresh connection in Qt 6.4), so every attempt has to fail.
    m_upstream->setHandler([](const RecordedRequest &) { return Reply::resetBeforeHeaders(); });
    const Response r = send(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QVERIFY(r.finished);
    QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(r.status, 0);
    QVERIFY(r.body.isEmpty());
    QVERIFY(m_upstream->requestCount() >= 1);

#ifdef Q_OS_UNIX
    const auto read = readUntilClosed(m_upstream->port(), rawRequest("/v1/messages"_ba, "{}"_ba));
    QVERIFY(read);
    QVERIFY(read->data.isEmpty());
    QCOMPARE(read->error, ECONNRESET);
#endif
}

void TestScriptedUpstream::resetMidStreamCutsTheConnectionAfterTheEvents()
{
    m_upstream->enqueue(Reply::resetMidStream(3));
    QNetworkReply *reply = post(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody(true));
    QByteArray received;
    connect(reply, &QNetworkReply::readyRead, this,
            [&received, reply] { received += reply->readAll(); });
    const Response r = collect(reply);
    QVERIFY(r.finished);
    QCOMPARE(r.status, 200);
    QVERIFY(r.error != QNetworkReply::NoError);
    const QList<ClientEvent> events = parseEvents(received + r.body);
    QCOMPARE(eventNames(events), (QByteArrayList {"message_start", "ping", "content_block_start"}));

#ifdef Q_OS_UNIX
    m_upstream->enqueue(Reply::resetMidStream(2));
    const auto read = readUntilClosed(m_upstream->port(), rawRequest("/v1/messages"_ba, "{}"_ba));
    QVERIFY(read);
    QVERIFY(read->data.startsWith("HTTP/1.1 200"));
    QVERIFY(read->data.contains("event: ping"));
    QVERIFY(!read->data.contains("content_block_start"));
    QCOMPARE(read->error, ECONNRESET);
#endif
}

void TestScriptedUpstream::errorEventMidStreamEndsTheStreamCleanly()
{
    m_upstream->enqueue(Reply::errorEventMidStream(2));
    m_upstream->enqueue(Reply::errorEventMidStream(4, u"api_error"_s));
    const QUrl url = urlOf(*m_upstream, u"/v1/messages"_s);

    Response r = send(*m_nam, url, messagesBody(true));
    QCOMPARE(r.error, QNetworkReply::NoError);
    QList<ClientEvent> events = parseEvents(r.body);
    QCOMPARE(eventNames(events), (QByteArrayList {"message_start", "ping", "error"}));
    QCOMPARE(events.at(2).data.value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(events.at(2).data[u"error"_s][u"type"_s].toString(), u"overloaded_error"_s);
    QVERIFY(!events.at(2).data[u"error"_s][u"message"_s].toString().isEmpty());

    // Ended cleanly: the same connection serves the next request.
    r = send(*m_nam, url, messagesBody(true));
    events = parseEvents(r.body);
    QCOMPARE(events.size(), 5);
    QCOMPARE(events.at(4).data[u"error"_s][u"type"_s].toString(), u"api_error"_s);
    QCOMPARE(m_upstream->connectionCount(), 1);
}

void TestScriptedUpstream::hangMidStreamLeavesTheConnectionSilent()
{
    m_upstream->enqueue(Reply::hangMidStream(2));
    QNetworkReply *reply = post(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody(true));
    const auto abortReply = qScopeGuard([reply] {
        reply->abort();
        reply->deleteLater();
    });
    QByteArray received;
    connect(reply, &QNetworkReply::readyRead, this,
            [&received, reply] { received += reply->readAll(); });
    QVERIFY(
        QTest::qWaitFor([&received] { return parseEvents(received).size() == 2; }, testTimeout()));

    // The upstream serves another connection meanwhile; the hung one stays silent and open.
    QNetworkAccessManager other;
    QCOMPARE(send(other, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody()).status, 200);
    QVERIFY(!reply->isFinished());
    QCOMPARE(eventNames(parseEvents(received)), (QByteArrayList {"message_start", "ping"}));
    reply->abort();
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
}

void TestScriptedUpstream::timeoutNeverAnswers()
{
    m_upstream->enqueue(Reply::timeout());
    QNetworkReply *reply = post(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    const auto abortReply = qScopeGuard([reply] {
        reply->abort();
        reply->deleteLater();
    });
    bool anything = false;
    connect(reply, &QNetworkReply::metaDataChanged, this, [&anything] { anything = true; });
    connect(reply, &QNetworkReply::readyRead, this, [&anything] { anything = true; });
    QVERIFY(QTest::qWaitFor([this] { return m_upstream->requestCount() == 1; }, testTimeout()));

    // The upstream serves another connection meanwhile; the first stays unanswered.
    QNetworkAccessManager other;
    QCOMPARE(send(other, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody()).status, 200);
    QVERIFY(!anything);
    QVERIFY(!reply->isFinished());
    QVERIFY(!reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid());
    reply->abort();
    QCOMPARE(reply->error(), QNetworkReply::OperationCanceledError);
    QCOMPARE(m_upstream->requestCount(), 2);
}

void TestScriptedUpstream::closedPortRefuses()
{
    const quint16 port = ScriptedUpstream::closedPort();
    QVERIFY(port != 0);
    QUrl url(u"http://127.0.0.1/v1/messages"_s);
    url.setPort(port);
    const Response r = send(*m_nam, url, messagesBody());
    QVERIFY(r.finished);
    QCOMPARE(r.error, QNetworkReply::ConnectionRefusedError);
}

void TestScriptedUpstream::closeStopsListening()
{
    m_upstream->enqueue(Reply::timeout());
    QNetworkReply *stuck = post(*m_nam, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody());
    QVERIFY(QTest::qWaitFor([this] { return m_upstream->requestCount() == 1; }, testTimeout()));
    m_upstream->close();
    const Response r = collect(stuck);
    QVERIFY(r.finished);
    QVERIFY(r.error != QNetworkReply::NoError);
    QNetworkAccessManager fresh;
    QCOMPARE(send(fresh, urlOf(*m_upstream, u"/v1/messages"_s), messagesBody()).error,
             QNetworkReply::ConnectionRefusedError);
}

void TestScriptedUpstream::concurrentStreamsOnOwnThread()
{
    constexpr int streams = 20;
    // Declared before the thread and managers so it outlives everything that touches it.
    std::atomic<QThread *> handlerThread = nullptr;
    QList<QByteArray> bodies(streams);
    int finished = 0;

    QThread thread;
    auto *upstream = new ScriptedUpstream;
    upstream->moveToThread(&thread);
    thread.start();
    const auto stop = qScopeGuard([&] {
        QMetaObject::invokeMethod(upstream, &QObject::deleteLater);
        thread.quit();
        thread.wait();
    });
    bool listening = false;
    QVERIFY(QMetaObject::invokeMethod(upstream, &ScriptedUpstream::listen,
                                      Qt::BlockingQueuedConnection, &listening));
    QVERIFY(listening);

    upstream->setHandler([&handlerThread](const RecordedRequest &request) {
        handlerThread = QThread::currentThread();
        const QString n = request.json().value(u"n"_s).toVariant().toString();
        return Reply::stream({u"stream "_s, n, u" done"_s}).withPacedEvents();
    });

    std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < streams; ++i) {
        // One manager each: a single one opens at most six connections per host.
        nams.push_back(std::make_unique<QNetworkAccessManager>());
        QJsonObject body = messagesBody(true);
        body.insert(u"n"_s, i);
        QNetworkReply *reply = post(*nams.back(), urlOf(*upstream, u"/v1/messages"_s), body);
        connect(reply, &QNetworkReply::readyRead, this,
                [&, i, reply] { bodies[i] += reply->readAll(); });
        connect(reply, &QNetworkReply::finished, this, [&finished] { ++finished; });
        replies.append(reply);
    }
    // Every stream sends its first event and waits: all of them run at once.
    upstream->allowEvents(1);
    QVERIFY(QTest::qWaitFor([&] { return !bodies.contains(QByteArray()); }, testTimeout()));
    QCOMPARE(finished, 0);
    upstream->allowEvents();
    QVERIFY(QTest::qWaitFor([&finished] { return finished == streams; }, testTimeout(30s)));

    for (int i = 0; i < streams; ++i) {
        QCOMPARE(replies.at(i)->error(), QNetworkReply::NoError);
        bodies[i] += replies.at(i)->readAll();
        const QList<ClientEvent> events = parseEvents(bodies.at(i));
        QCOMPARE(events.size(), 9);
        QCOMPARE(joinedDeltas(events, u"text"_s), u"stream %1 done"_s.arg(i));
        replies.at(i)->deleteLater();
    }
    QCOMPARE(upstream->requestCount(), streams);
    QCOMPARE(upstream->connectionCount(), streams);
    QCOMPARE(handlerThread.load(), &thread);
}

QTEST_GUILESS_MAIN(TestScriptedUpstream)
#include "tst_scriptedupstream.moc"
