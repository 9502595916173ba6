// SPDX-License-Identifier: GPL-3.0-or-later
// The gateway's own HTTP/1.1 upstream client: framing, keep-alive reuse, the retry of a stale
// pooled connection, large bodies, TLS with a trusted and an untrusted certificate, refusal.
#include "gateway/upstreampool.h"
#include "gateway/upstreamreply.h"
#include "support/scriptedupstream.h"
#include "support/testtimeout.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>
#include <QTest>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

const QString tlsDir = QStringLiteral(SWITCHBOARD_TEST_DATA_DIR "/tls");

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// A minimal HTTP/1.1 server answering each request with a canned response.
class TinyServer final : public QTcpServer
{
public:
    explicit TinyServer(bool tls)
        : m_tls(tls)
    { }

    std::function<QByteArray(const QByteArray &request)> answer;
    bool closeAfterAnswer = false;
    /// The index of a request that gets its connection closed instead of an answer.
    qsizetype closeInsteadOfAnswering = -1;
    int connections = 0;
    QList<QByteArray> requests;
    QList<int> connectionOf; ///< which connection (counted from 1) carried each request

protected:
    void incomingConnection(qintptr handle) override
    {
        ++connections;
        QTcpSocket *socket = m_tls ? new QSslSocket(this) : new QTcpSocket(this);
        socket->setSocketDescriptor(handle);
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            ssl->setLocalCertificate(QSslCertificate(readFile(tlsDir + u"/server.crt"_s)));
            ssl->setPrivateKey(QSslKey(readFile(tlsDir + u"/server.key"_s), QSsl::Rsa));
            ssl->startServerEncryption();
        }
        auto buffer = std::make_shared<QByteArray>();
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer, id = connections] {
            *buffer += socket->readAll();
            const qsizetype headEnd = buffer->indexOf("\r\n\r\n");
            if (headEnd < 0)
                return;
            qsizetype length = 0;
            for (const QByteArray &line : buffer->left(headEnd).split('\n')) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer->size() < headEnd + 4 + length)
                return;
            const QByteArray request = buffer->left(headEnd + 4 + length);
            buffer->remove(0, request.size());
            requests.append(request);
            connectionOf.append(id);
            if (requests.size() - 1 == closeInsteadOfAnswering)
                return socket->disconnectFromHost();
            socket->write(answer(request));
            if (closeAfterAnswer)
                socket->disconnectFromHost();
        });
    }

private:
    bool m_tls;
};

struct Exchange
{
    int status = 0;
    QByteArray body;
    UpstreamReply::Headers headers;
    UpstreamOutcome::Transport transport = UpstreamOutcome::Transport::Ok;
    QString error;
};

Exchange exchange(UpstreamPool &pool, const QUrl &url, const QByteArray &body = "{}")
{
    UpstreamCall call;
    call.method = "POST";
    call.url = url;
    call.body = body;
    call.headers = {{"content-type"_ba, "application/json"_ba}};
    std::unique_ptr<UpstreamReply> reply(pool.send(call));
    Exchange result;
    QObject::connect(reply.get(), &UpstreamReply::readyRead, reply.get(),
                     [&] { result.body += reply->readAll(); });
    QSignalSpy finished(reply.get(), &UpstreamReply::finished);
    if (!finished.wait(testTimeout())) {
        result.error = u"no answer"_s;
        return result;
    }
    result.body += reply->readAll();
    result.status = reply->status();
    result.headers = reply->headers();
    result.transport = reply->transport();
    result.error = reply->errorString();
    return result;
}

QByteArray ok(const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Thing: Yes\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

} // namespace

class TestUpstreamClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contentLengthBodiesShareOneKeptAliveConnection();
    void chunkedBodyIsDecoded();
    void bodyWithoutLengthEndsWithTheConnection();
    void stalePooledConnectionIsRetriedOnANewOne();
    void largeBodyArrivesWhole();
    void truncatedBodyIsAReset();
    void interimAnswersAreSkipped();
    void closedAfterAnInterimAnswerIsAReset();
    void refusedConnectionIsReportedAsRefused();
    void tlsToATrustedCertificateWorksAndIsReused();
    void untrustedCertificateGetsNothingSent();
};

void TestUpstreamClient::contentLengthBodiesShareOneKeptAliveConnection()
{
    TinyServer server(false);
    server.answer = [](const QByteArray &) { return ok("{\"a\":1}"); };
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const QUrl url(u"http://127.0.0.1:%1/v1/messages?beta=true"_s.arg(server.serverPort()));
    for (int i = 0; i < 3; ++i) {
        const Exchange r = exchange(pool, url);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, "{\"a\":1}"_ba);
        QCOMPARE(r.transport, UpstreamOutcome::Transport::Ok);
        QVERIFY(r.headers.contains(qMakePair("x-thing"_ba, "Yes"_ba))); // names lowercased
    }
    QCOMPARE(server.connections, 1); // one kept-alive connection for all three
    QVERIFY(server.requests.first().startsWith("POST /v1/messages?beta=true HTTP/1.1\r\n"));
    QVERIFY(server.requests.first().contains("\r\nhost: 127.0.0.1:"));
    QVERIFY(server.requests.first().contains("\r\ncontent-length: 2\r\n"));
}

void TestUpstreamClient::chunkedBodyIsDecoded()
{
    TinyServer server(false);
    server.answer = [](const QByteArray &) {
        return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"_ba;
    };
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const QUrl url(u"http://127.0.0.1:%1/"_s.arg(server.serverPort()));
    QCOMPARE(exchange(pool, url).body, "hello world"_ba);
    QCOMPARE(exchange(pool, url).body, "hello world"_ba);
    QCOMPARE(server.connections, 1);
}

void TestUpstreamClient::bodyWithoutLengthEndsWithTheConnection()
{
    TinyServer server(false);
    server.answer
        = [](const QByteArray &) { return "HTTP/1.1 502 Bad Gateway\r\n\r\nerror code: 502"_ba; };
    server.closeAfterAnswer = true;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const Exchange r = exchange(pool, QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
    QCOMPARE(r.status, 502);
    QCOMPARE(r.body, "error code: 502"_ba);
    QCOMPARE(r.transport, UpstreamOutcome::Transport::Ok);
}

void TestUpstreamClient::stalePooledConnectionIsRetriedOnANewOne()
{
    TinyServer server(false);
    server.answer = [](const QByteArray &) { return ok("{}"); };
    // The second request reaches the kept-alive connection just as the server gives up on
    // it (an upstream's keep-alive timeout): it closes the connection without an answer.
    server.closeInsteadOfAnswering = 1;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const QUrl url(u"http://127.0.0.1:%1/"_s.arg(server.serverPort()));
    QCOMPARE(exchange(pool, url).status, 200);

    const Exchange r = exchange(pool, url, "{\"again\":true}");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.transport, UpstreamOutcome::Transport::Ok);
    QCOMPARE(r.body, "{}"_ba);
    // The same request twice: on the pooled connection the server closed, then on a new one.
    QCOMPARE(server.connectionOf, (QList<int> {1, 1, 2}));
    QCOMPARE(server.requests.at(2), server.requests.at(1));
    QVERIFY(server.requests.at(2).endsWith("{\"again\":true}"));
}

void TestUpstreamClient::largeBodyArrivesWhole()
{
    TinyServer server(false);
    server.answer = [](const QByteArray &request) {
        return ok(QByteArray::number(request.size() - request.indexOf("\r\n\r\n") - 4));
    };
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const QByteArray body(300 * 1024, 'x');
    const Exchange r = exchange(pool, QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())), body);
    QCOMPARE(r.body, QByteArray::number(body.size()));
}

void TestUpstreamClient::truncatedBodyIsAReset()
{
    TinyServer server(false);
    server.answer = [](const QByteArray &) {
        return "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"_ba;
    };
    server.closeAfterAnswer = true;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const Exchange r = exchange(pool, QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.transport, UpstreamOutcome::Transport::Reset);
    QCOMPARE(r.body, "short"_ba);
}

void TestUpstreamClient::interimAnswersAreSkipped()
{
    TinyServer server(false);
    server.answer = [](const QByteArray &) -> QByteArray { // not a builder of a temporary
        return "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
            + ok("{\"a\":1}");
    };
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const Exchange r = exchange(pool, QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
    QCOMPARE(r.transport, UpstreamOutcome::Transport::Ok);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.body, "{\"a\":1}"_ba);
    QVERIFY(std::none_of(r.headers.cbegin(), r.headers.cend(),
                         [](const auto &h) { return h.first == "link"; }));
}

void TestUpstreamClient::closedAfterAnInterimAnswerIsAReset()
{
    TinyServer server(false);
    server.answer = [](const QByteArray &) { return "HTTP/1.1 100 Continue\r\n\r\n"_ba; };
    server.closeAfterAnswer = true;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const Exchange r = exchange(pool, QUrl(u"http://127.0.0.1:%1/"_s.arg(server.serverPort())));
    QCOMPARE(r.status, 0); // no final answer: nothing to relay, the account failed
    QCOMPARE(r.transport, UpstreamOutcome::Transport::Reset);
}

void TestUpstreamClient::refusedConnectionIsReportedAsRefused()
{
    UpstreamPool pool;
    const Exchange r
        = exchange(pool, QUrl(u"http://127.0.0.1:%1/"_s.arg(ScriptedUpstream::closedPort())));
    QCOMPARE(r.status, 0);
    QCOMPARE(r.transport, UpstreamOutcome::Transport::Refused);
}

void TestUpstreamClient::tlsToATrustedCertificateWorksAndIsReused()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("This Qt has no TLS backend");
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    QSslConfiguration trusting = original;
    trusting.addCaCertificates(tlsDir + u"/ca.crt"_s);
    QSslConfiguration::setDefaultConfiguration(trusting);
    TinyServer server(true);
    server.answer = [](const QByteArray &) { return ok("{\"tls\":true}"); };
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const QUrl url(u"https://127.0.0.1:%1/v1/models"_s.arg(server.serverPort()));
    const Exchange first = exchange(pool, url);
    const Exchange second = exchange(pool, url);
    QSslConfiguration::setDefaultConfiguration(original);
    QVERIFY2(first.transport == UpstreamOutcome::Transport::Ok, qPrintable(first.error));
    QCOMPARE(first.body, "{\"tls\":true}"_ba);
    QCOMPARE(second.status, 200);
    QCOMPARE(server.connections, 1);
}

void TestUpstreamClient::untrustedCertificateGetsNothingSent()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("This Qt has no TLS backend");
    TinyServer server(true);
    server.answer = [](const QByteArray &) { return ok("{}"); };
    QVERIFY(server.listen(QHostAddress::LocalHost));
    UpstreamPool pool;
    const Exchange r = exchange(pool, QUrl(u"https://127.0.0.1:%1/"_s.arg(server.serverPort())));
    QCOMPARE(r.status, 0);
    QCOMPARE(r.transport, UpstreamOutcome::Transport::Other);
    QVERIFY2(!r.error.isEmpty(), "the certificate failure must be explained");
    QVERIFY(server.requests.isEmpty()); // nothing was sent to an unverified peer
}

QTEST_GUILESS_MAIN(TestUpstreamClient)
#include "tst_upstreamclient.moc"
