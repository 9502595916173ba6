// SPDX-License-Identifier: GPL-3.0-or-later
// The gateway's front against hostile or odd clients, over real sockets: what the
// connection guard refuses before QHttpServer reads it (ambiguous framing, floods, keyless
// bodies, bad heads), the shared cap on buffered bodies, head and body deadlines on the fake
// clock, answers in request order for pipelined requests, Connection: close and HTTP/1.0,
// Expect: 100-continue, and the connection limit. Each found by an adversarial run first.
#include "gatewayharness.h"
#include "support/testprinters.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QByteArray keyLine = "x-api-key: " + GatewayHarness::accessKey.toUtf8();

QByteArray body(bool stream = false)
{
    return QJsonDocument(GatewayHarness::messageBody(stream)).toJson(QJsonDocument::Compact);
}

QByteArray post(quint16 port, const QByteArrayList &headers, const QByteArray &payload)
{
    return RawHttpClient::request("POST", "/v1/messages", port, headers, payload);
}

QByteArray host(quint16 port)
{
    return "host: 127.0.0.1:" + QByteArray::number(port);
}

/// The answer a connection gets, and whether the gateway then closed it.
struct Refusal
{
    int status = 0;
    bool anthropicError = false;
    bool closed = false;
};

Refusal refusalOf(GatewayHarness &h, const QByteArray &bytes)
{
    RawHttpClient client;
    if (!client.connectTo(h.port()))
        return {};
    client.send(bytes);
    const auto answer = client.readAnswer();
    if (!answer)
        return {};
    return {answer->status, answer->isAnthropicError(), client.waitForDisconnected()};
}

} // namespace

class TestGatewayFront : public QObject
{
    Q_OBJECT

private slots:
    void ambiguousFramingIsRefusedAndClosed_data();
    void ambiguousFramingIsRefusedAndClosed();
    void badHeadsAreRefused_data();
    void badHeadsAreRefused();
    void aFloodOfBlankLinesIsRefusedWhileOthersAreServed();
    void keylessBodyIsRefusedFromItsHead();
    void bufferedBodiesAreCappedAcrossConnections();
    void headMustArriveInTime();
    void bodyMustKeepItsPace();
    void pipelinedAnswersKeepRequestOrder();
    void pipelinedStreamsDoNotInterleave();
    void http10AndConnectionCloseEndAfterTheAnswer_data();
    void http10AndConnectionCloseEndAfterTheAnswer();
    void expectContinueGetsAGoAhead();
    void connectionLimitClosesTheLongestIdle();
};

void TestGatewayFront::ambiguousFramingIsRefusedAndClosed_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::newRow("two Content-Lengths (the guard's first, QHttpServer's last)")
        << "content-length: 314572800\r\ncontent-length: 10"_ba;
    QTest::newRow("Content-Length and Transfer-Encoding")
        << "content-length: 10\r\ntransfer-encoding: chunked"_ba;
}

void TestGatewayFront::ambiguousFramingIsRefusedAndClosed()
{
    QFETCH(QByteArray, head);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const QByteArray request = "POST /v1/messages HTTP/1.1\r\n" + host(h.port()) + "\r\n" + keyLine
        + "\r\n" + head + "\r\n\r\n0123456789";
    const Refusal r = refusalOf(h, request);
    QCOMPARE(r.status, 400);
    QVERIFY(r.anthropicError);
    QVERIFY(r.closed);
    QCOMPARE(h.server().tcpServer()->bufferedBytes(), 0);
    QCOMPARE(h.upstream().requestCount(), 0);
}

void TestGatewayFront::badHeadsAreRefused_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QByteArray many = "GET /health HTTP/1.1\r\nhost: 127.0.0.1:{{PORT}}\r\n"_ba;
    for (int i = 0; i < 101; ++i)
        many += "x-" + QByteArray::number(i) + ": v\r\n";
    QTest::newRow("101 headers") << QByteArray(many + "\r\n") << 431;
    QTest::newRow("malformed request line") << "GARBAGE\r\n\r\n"_ba << 400;
    QTest::newRow("HTTP/9.9") << "GET /health HTTP/9.9\r\nhost: 127.0.0.1:{{PORT}}\r\n\r\n"_ba
                              << 505;
    QTest::newRow("two Hosts")
        << "GET /health HTTP/1.1\r\nhost: 127.0.0.1:{{PORT}}\r\nhost: evil.example\r\n\r\n"_ba
        << 400;
    QTest::newRow("Host in hex") << "GET /health HTTP/1.1\r\nhost: 0x7f.1:{{PORT}}\r\n\r\n"_ba
                                 << 403;
    QTest::newRow("another machine's address")
        << "GET /health HTTP/1.1\r\nhost: 10.0.0.5:{{PORT}}\r\n\r\n"_ba << 403;
    QTest::newRow("/health from a rebinding name")
        << "GET /health HTTP/1.1\r\nhost: rebind.example:{{PORT}}\r\n\r\n"_ba << 403;
    QTest::newRow("/health from a refused Origin")
        << "GET /health HTTP/1.1\r\nhost: 127.0.0.1:{{PORT}}\r\norigin: http://evil.example\r\n\r\n"_ba
        << 403;
}

void TestGatewayFront::badHeadsAreRefused()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    GatewayHarness h;
    QVERIFY(h.start());
    const Refusal r = refusalOf(h, request.replace("{{PORT}}", QByteArray::number(h.port())));
    QCOMPARE(r.status, status);
    QVERIFY(r.anthropicError);
    QVERIFY(r.closed);
}

void TestGatewayFront::aFloodOfBlankLinesIsRefusedWhileOthersAreServed()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    RawHttpClient flood;
    QVERIFY(flood.connectTo(h.port()));
    flood.send(QByteArray("\r\n\r\n").repeated(1024 * 1024)); // 4 MiB in one write
    RawHttpClient other;
    QVERIFY(other.connectTo(h.port()));
    other.send(post(h.port(), {keyLine}, body()));
    const auto served = other.readAnswer();
    QVERIFY(served);
    QCOMPARE(served->status, 200);
    const auto refused = flood.readAnswer();
    QVERIFY(refused);
    QCOMPARE(refused->status, 400);
    QVERIFY(flood.waitForDisconnected());
}

void TestGatewayFront::keylessBodyIsRefusedFromItsHead()
{
    GatewayHarness h;
    QVERIFY(h.start());
    // The head announces 31 MiB; the body never comes. The refusal does not wait for it.
    for (const QByteArray &credential : {QByteArray(), "x-api-key: sbk_wrong"_ba}) {
        QByteArrayList headers {host(h.port()), "content-length: 32505856"_ba};
        if (!credential.isEmpty())
            headers << credential;
        QByteArray request = "POST /v1/messages HTTP/1.1\r\n" + headers.join("\r\n") + "\r\n\r\n";
        const Refusal r = refusalOf(h, request);
        QCOMPARE(r.status, 401);
        QVERIFY(r.anthropicError);
        QVERIFY(r.closed);
    }
    QCOMPARE(h.server().tcpServer()->bufferedBytes(), 0);
}

void TestGatewayFront::bufferedBodiesAreCappedAcrossConnections()
{
    GatewayHarness h;
    h.connectionLimits.maxBufferedBytes = 4000;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const QByteArray payload = body();
    QVERIFY(payload.size() < 2500);
    const QByteArray padded = payload + QByteArray(2500 - payload.size(), ' ');
    const QByteArray head = "POST /v1/messages HTTP/1.1\r\n" + host(h.port()) + "\r\n" + keyLine
        + "\r\ncontent-type: application/json\r\ncontent-length: 2500\r\n\r\n";
    RawHttpClient first;
    QVERIFY(first.connectTo(h.port()));
    first.send(head); // admitted: 2500 bytes are now counted for it
    QTRY_COMPARE_WITH_TIMEOUT(h.server().tcpServer()->bufferedBytes(), 2500, testTimeout());
    const Refusal second = refusalOf(h, head + padded);
    QCOMPARE(second.status, 503);
    QVERIFY(second.anthropicError);
    first.send(padded);
    const auto answer = first.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QTRY_COMPARE_WITH_TIMEOUT(h.server().tcpServer()->bufferedBytes(), 0, testTimeout());
}

void TestGatewayFront::headMustArriveInTime()
{
    GatewayHarness h;
    QVERIFY(h.start());
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    const QDateTime start = h.clock.now();
    client.send("GET /health HTTP/1.1\r\nhost: 127.0.0.1"); // and then a byte now and then
    // The guard has the start of the head: its deadline is the next timer due.
    QTRY_COMPARE_WITH_TIMEOUT(h.clock.nextDue(), start.addSecs(30), testTimeout());
    for (int i = 0; i < 29; ++i) {
        h.clock.advance(1s);
        client.send("0");
        QCoreApplication::processEvents();
    }
    QCOMPARE(client.received(), QByteArray()); // 29 s in, still waiting
    h.clock.advance(2s);
    const auto answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 408);
    QVERIFY(answer->isAnthropicError());
    QVERIFY(client.waitForDisconnected());
}

void TestGatewayFront::bodyMustKeepItsPace()
{
    GatewayHarness h;
    QVERIFY(h.start());
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send("POST /v1/messages HTTP/1.1\r\n" + host(h.port()) + "\r\n" + keyLine
                + "\r\ncontent-length: 1000000\r\n\r\n{");
    QTRY_COMPARE_WITH_TIMEOUT(h.server().tcpServer()->bufferedBytes(), 1000000, testTimeout());
    h.clock.advance(31s); // 30 s of grace, then 16 KiB a second: one byte buys nothing
    const auto answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 408);
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(h.server().tcpServer()->bufferedBytes(), 0);
}

void TestGatewayFront::pipelinedAnswersKeepRequestOrder()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    // The message is slow upstream, /health is answered at once: without turns the
    // second answer would overtake the first.
    h.script(u"A"_s, ScriptedReply::message(u"first"_s).withDelay(300ms));
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(post(h.port(), {keyLine}, body())
                + RawHttpClient::request("GET", "/health", h.port(), {}));
    const auto first = client.readAnswer();
    const auto second = client.readAnswer();
    QVERIFY(first && second);
    QCOMPARE(first->status, 200);
    QCOMPARE(first->json().value(u"type").toString(), u"message"_s);
    QCOMPARE(second->status, 200);
    QCOMPARE(second->json().value(u"status").toString(), u"ok"_s);
}

void TestGatewayFront::pipelinedStreamsDoNotInterleave()
{
    GatewayHarness h;
    h.letStreamsWaitOnTheTest();
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    h.script(u"A"_s, ScriptedReply::stream({u"one"_s, u"two"_s}).withPacedEvents());
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(post(h.port(), {keyLine}, body(true)) + post(h.port(), {keyLine}, body(true)));
    QVERIFY(QTest::qWaitFor([&] { return h.upstream().requestCount() >= 2; }, testTimeout()));
    h.upstream().allowEvents(1000); // both upstream streams run at once
    const auto first = client.readAnswer();
    const auto second = client.readAnswer();
    QVERIFY(first && second);
    QCOMPARE(first->status, 200);
    QCOMPARE(deltaText(first->events()), u"onetwo"_s);
    QCOMPARE(second->status, 200);
    QCOMPARE(deltaText(second->events()), u"onetwo"_s);
}

void TestGatewayFront::http10AndConnectionCloseEndAfterTheAnswer_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::newRow("HTTP/1.0") << "GET /health HTTP/1.0\r\nhost: 127.0.0.1:{{PORT}}\r\n\r\n"_ba;
    QTest::newRow("Connection: close")
        << "GET /health HTTP/1.1\r\nhost: 127.0.0.1:{{PORT}}\r\nconnection: close\r\n\r\n"_ba;
}

void TestGatewayFront::http10AndConnectionCloseEndAfterTheAnswer()
{
    QFETCH(QByteArray, request);
    GatewayHarness h;
    QVERIFY(h.start());
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(request.replace("{{PORT}}", QByteArray::number(h.port())));
    const auto answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QVERIFY(client.waitForDisconnected());
}

void TestGatewayFront::expectContinueGetsAGoAhead()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const QByteArray payload = body();
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send("POST /v1/messages HTTP/1.1\r\n" + host(h.port()) + "\r\n" + keyLine
                + "\r\ncontent-type: application/json\r\nexpect: 100-continue\r\ncontent-length: "
                + QByteArray::number(payload.size()) + "\r\n\r\n");
    const auto goAhead = client.readAnswer();
    QVERIFY(goAhead);
    QCOMPARE(goAhead->status, 100);
    client.send(payload);
    const auto answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
}

void TestGatewayFront::connectionLimitClosesTheLongestIdle()
{
    GatewayHarness h;
    QVERIFY(h.start());
    h.server().tcpServer()->setMaxConnections(2);
    RawHttpClient oldest, newer, third;
    QVERIFY(oldest.connectTo(h.port()));
    QTRY_COMPARE_WITH_TIMEOUT(h.server().tcpServer()->openConnections(), 1, testTimeout());
    QVERIFY(newer.connectTo(h.port()));
    QTRY_COMPARE_WITH_TIMEOUT(h.server().tcpServer()->openConnections(), 2, testTimeout());
    QVERIFY(third.connectTo(h.port()));
    QVERIFY(oldest.waitForDisconnected());
    third.send(RawHttpClient::request("GET", "/health", h.port(), {}));
    const auto answer = third.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(newer.socket().state(), QAbstractSocket::ConnectedState);
}

QTEST_GUILESS_MAIN(TestGatewayFront)
#include "tst_gatewayfront.moc"
