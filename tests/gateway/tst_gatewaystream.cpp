// SPDX-License-Identifier: GPL-3.0-or-later
// Streaming through the gateway over real sockets: events relayed as they come, the head of
// the stream held until content, usage accounting, clients that hang up, and many
// parallel streams through one upstream host.
#include "core/settings.h"
#include "gateway/healthbook.h"
#include "gatewayharness.h"
#include "support/testprinters.h"

#include <QJsonDocument>
#include <QTest>

#include <algorithm>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Reply = ScriptedReply;

namespace {

QByteArray streamRequest(quint16 port, const QJsonObject &body = GatewayHarness::messageBody(true))
{
    return RawHttpClient::request(
        "POST", "/v1/messages", port,
        {"x-api-key: " + GatewayHarness::accessKey.toUtf8(), "content-type: application/json"},
        QJsonDocument(body).toJson(QJsonDocument::Compact));
}

bool hasEvent(const RawHttpClient &client, const QByteArray &name)
{
    return eventNames(client.eventsSoFar()).contains(name);
}

} // namespace

class TestGatewayStream : public QObject
{
    Q_OBJECT

private slots:
    void contentReachesClientBeforeUpstreamFinishes();
    void eventsArriveAsProduced();
    void headHeldUntilContent();
    void pingsKeepASilentStream();
    void pingsAreNoContent();
    void usageIsReported_data();
    void usageIsReported();
    void connectionReusableAfterStream();
    void clientHangsUpMidStream();
    void serverStopsMidStream();
    void fiftyConcurrentStreams();
};

void TestGatewayStream::contentReachesClientBeforeUpstreamFinishes()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    // Four events, then the upstream goes silent with the stream still open.
    h.script(u"A"_s, Reply::stream({u"Hel"_s, u"lo"_s}).withHangAfterEvents(4));
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(streamRequest(h.port()));
    QVERIFY(client.waitUntil(
        [&](const QByteArray &) { return hasEvent(client, "content_block_delta"); }));
    // The first delta is at the client while the upstream has not finished its answer.
    QCOMPARE(
        eventNames(client.eventsSoFar()),
        QByteArrayList({"message_start", "ping", "content_block_start", "content_block_delta"}));
    QVERIFY(client.received().startsWith("HTTP/1.1 200"));
    QCOMPARE(h.finished.size(), 0);

    // Then the upstream stays silent past gateway.upstream_timeout_seconds: an error event.
    h.passUpstreamTimeout();
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    const QList<ClientEvent> events = answer->events();
    QCOMPARE(eventNames(events).last(), "error"_ba);
    QCOMPARE(events.last().data.value(u"error"_s).toObject().value(u"type"_s).toString(),
             u"api_error"_s);
    QCOMPARE(deltaText(events), u"Hel"_s);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.live(u"A"_s).health.errorCount, 1);
}

void TestGatewayStream::eventsArriveAsProduced()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    h.script(u"A"_s,
             Reply::stream({u"one "_s, u"two "_s, u"three "_s, u"four"_s}).withPacedEvents());
    h.letStreamsWaitOnTheTest();
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(streamRequest(h.port()));
    // message_start and ping wait for content (headHeldUntilContent); from then on each
    // event must reach the client while the upstream has produced nothing more.
    const QByteArrayList expected = {"message_start",       "ping",
                                     "content_block_start", "content_block_delta",
                                     "content_block_delta", "content_block_delta",
                                     "content_block_delta", "content_block_stop",
                                     "message_delta",       "message_stop"};
    for (qsizetype produced = 3; produced <= expected.size(); ++produced) {
        h.upstream().allowEvents(int(produced));
        QVERIFY2(client.waitUntil(
                     [&](const QByteArray &) { return client.eventsSoFar().size() == produced; }),
                 qPrintable(u"event %1 (%2) was held back"_s.arg(produced).arg(
                     QString::fromLatin1(expected.at(produced - 1)))));
        QCOMPARE(eventNames(client.eventsSoFar()), expected.first(produced));
    }
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(deltaText(answer->events()), u"one two three four"_s);
}

void TestGatewayStream::headHeldUntilContent()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    // message_start and ping, then silence: no content ever comes.
    h.script(u"A"_s, Reply::hangMidStream(2));
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(streamRequest(h.port()));
    QVERIFY(h.waitForUpstreamRequests(1));
    h.passUpstreamTimeout();
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    // Nothing of the dead stream reached the client, so it still gets a plain error answer.
    QCOMPARE(answer->status, 502);
    QVERIFY(answer->isAnthropicError());
    QCOMPARE(answer->errorType(), u"api_error"_s);
    QVERIFY(!answer->body.contains("message_start"));
    QVERIFY(client.received().isEmpty());
}

void TestGatewayStream::pingsKeepASilentStream()
{
    // Content, then an upstream silent but connected (an OpenAI-compatible provider thinking):
    // the client gets a ping every 12 s; the upstream timeout still counts from its last byte.
    GatewayHarness h;
    h.addAccount(u"A"_s);
    h.script(u"A"_s, Reply::stream({u"Hel"_s, u"lo"_s}).withHangAfterEvents(4));
    (void)h.settings.set(SettingKeys::upstreamTimeout, 30);
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(streamRequest(h.port()));
    QVERIFY(client.waitUntil(
        [&](const QByteArray &) { return hasEvent(client, "content_block_delta"); }));
    h.clock.advance(31s);
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(eventNames(answer->events()),
             QByteArrayList({"message_start", "ping", "content_block_start", "content_block_delta",
                             "ping", "ping", "error"}));
    // The client saw a 200, but the stream the upstream never finished failed.
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.last().status, 500);
    QCOMPARE(h.finished.last().errorType, u"api_error"_s);
}

void TestGatewayStream::pingsAreNoContent()
{
    // An upstream that starts a message and then only pings: its pings do not hold the
    // request; past the upstream timeout from its last other event it is given up on.
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s);
    Reply pings = Reply::hangMidStream(4);
    const Reply::Event ping = pings.events.at(1);
    QCOMPARE(ping.name, "ping"_ba);
    pings.events = {pings.events.at(0), ping, ping, ping};
    h.script(u"A"_s, pings.withPacedEvents());
    (void)h.settings.set(SettingKeys::upstreamTimeout, 30);
    QVERIFY(h.start());

    QNetworkReply *reply
        = h.post(u"/v1/messages"_s,
                 QJsonDocument(GatewayHarness::messageBody(true)).toJson(QJsonDocument::Compact));
    QVERIFY(h.waitForUpstreamRequests(1));
    h.upstream().allowEvents(2);
    QTest::qWait(100);
    h.clock.advance(20s);
    h.upstream().allowEvents(3); // a ping 20 s in
    QTest::qWait(100);
    h.clock.advance(11s);
    const HttpAnswer answer = h.collect(reply);
    verifySuccess(answer, true, u"B"_s);
    QCOMPARE(h.upstreamAccounts(), (QStringList {u"A"_s, u"B"_s}));
}

void TestGatewayStream::usageIsReported_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestGatewayStream::usageIsReported()
{
    QFETCH(bool, stream);
    GatewayHarness h;
    Account &a = h.addAccount(u"A"_s);
    a.modelMapping = ModelMapping({{u"claude-*"_s, u"upstream-model"_s}});
    const ScriptedUsage usage {120, 42, 7, 3};
    h.script(u"A"_s,
             stream ? Reply::stream({u"x"_s}, {}, usage) : Reply::message(u"x"_s, {}, usage));
    QVERIFY(h.start());

    QCOMPARE(h.send(GatewayHarness::messageBody(stream)).status, 200);
    QVERIFY(h.waitForFinished(1));
    const UsageRecord r = h.finished.first();
    QCOMPARE(r.tokens.input, 120);
    QCOMPARE(r.tokens.output, 42);
    QCOMPARE(r.tokens.cacheWrite, 7);
    QCOMPARE(r.tokens.cacheRead, 3);
    QCOMPARE(r.model, GatewayHarness::model);
    QCOMPARE(r.upstreamModel, u"upstream-model"_s);
    QCOMPARE(r.stream, stream);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.accountName, u"A"_s);
    QCOMPARE(r.time, FakeClock::defaultStart());
    QVERIFY(r.accessKeyId != QUuid());
    // Durations are wall-clock time: only that they were taken, and their order, is certain.
    if (stream)
        QVERIFY(r.firstTokenMs >= 0 && r.firstTokenMs <= r.latencyMs);
    else
        QCOMPARE(r.firstTokenMs, -1);
}

void TestGatewayStream::connectionReusableAfterStream()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(streamRequest(h.port()));
    std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(answer->header("transfer-encoding"), "chunked"_ba);
    QCOMPARE(eventNames(answer->events()).last(), "message_stop"_ba);

    // The same connection carries the next request.
    client.send(streamRequest(h.port(), GatewayHarness::messageBody(false)));
    answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(answer->json().value(u"type"_s).toString(), u"message"_s);
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
}

void TestGatewayStream::clientHangsUpMidStream()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    // Three events, then the stream waits for the test, which never lets it go on.
    h.script(u"A"_s, Reply::stream({u"a"_s, u"b"_s, u"c"_s}).withPacedEvents());
    h.upstream().allowEvents(3);
    h.letStreamsWaitOnTheTest();
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(streamRequest(h.port()));
    QVERIFY(client.waitUntil(
        [&](const QByteArray &) { return hasEvent(client, "content_block_start"); }));
    QCOMPARE(h.upstream().requestCount(), 1);
    client.abort();

    // The gateway gives up the request and drops the upstream connection (a finished
    // keep-alive connection would stay open; this one can only end by the gateway).
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().status, 499);
    QVERIFY(QTest::qWaitFor([&] { return h.upstream().findChildren<QTcpSocket *>().isEmpty(); },
                            testTimeout()));
    QCOMPARE(h.finished.size(), 1);
    // A client leaving says nothing about the account.
    QCOMPARE(h.live(u"A"_s).health, AccountHealth());

    // The server carries on.
    h.script(u"A"_s, std::nullopt);
    const HttpAnswer next = h.send(GatewayHarness::messageBody(true));
    QCOMPARE(next.status, 200);
    QCOMPARE(deltaText(next.events()), u"Hello from upstream"_s);
    QCOMPARE(h.upstream().requestCount(), 2);
}

void TestGatewayStream::serverStopsMidStream()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    h.script(u"A"_s, Reply::stream({u"a"_s, u"b"_s, u"c"_s}).withPacedEvents());
    h.upstream().allowEvents(3);
    h.letStreamsWaitOnTheTest();
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(streamRequest(h.port()));
    QVERIFY(client.waitUntil(
        [&](const QByteArray &) { return hasEvent(client, "content_block_start"); }));
    // Stopping the gateway with a stream in flight closes the client and the upstream.
    h.stopServer();
    QVERIFY(client.waitForDisconnected());
    QVERIFY(!hasEvent(client, "message_stop"));
    QVERIFY(QTest::qWaitFor([&] { return h.upstream().findChildren<QTcpSocket *>().isEmpty(); },
                            testTimeout()));
}

void TestGatewayStream::fiftyConcurrentStreams()
{
    constexpr int streams = 50;
    GatewayHarness h(GatewayHarness::UpstreamThread::Own);
    h.addAccount(u"A"_s);
    // Each stream sends up to its first delta, then waits for the test.
    h.script(u"A"_s, Reply::stream({u"a"_s, u"b"_s, u"c"_s}).withPacedEvents());
    h.upstream().allowEvents(4);
    h.letStreamsWaitOnTheTest();
    QVERIFY(h.start());

    std::vector<std::unique_ptr<RawHttpClient>> clients;
    for (int i = 0; i < streams; ++i) {
        clients.push_back(std::make_unique<RawHttpClient>());
        QVERIFY(clients.back()->connectTo(h.port()));
    }
    for (int i = 0; i < streams; ++i) {
        QJsonObject body = GatewayHarness::messageBody(true);
        body.insert(u"metadata"_s, QJsonObject {{u"user_id"_s, u"user-%1"_s.arg(i)}});
        clients[i]->send(streamRequest(h.port(), body));
    }

    // Every client has content while no upstream stream can have ended: a stream queued
    // behind another (a per-host connection cap) would never get there.
    const auto count = [&](const QByteArray &event) {
        return std::count_if(clients.cbegin(), clients.cend(), [&](const auto &client) {
            client->poll();
            return hasEvent(*client, event);
        });
    };
    QVERIFY2(
        QTest::qWaitFor([&] { return count("content_block_delta") == streams; }, testTimeout(60s)),
        qPrintable(
            u"%1 of %2 streams have content"_s.arg(count("content_block_delta")).arg(streams)));
    QCOMPARE(h.upstream().requestCount(), streams);

    h.upstream().allowEvents();
    QVERIFY2(QTest::qWaitFor([&] { return count("message_stop") == streams; }, testTimeout(60s)),
             qPrintable(u"%1 of %2 streams finished"_s.arg(count("message_stop")).arg(streams)));
    for (int i = 0; i < streams; ++i)
        QCOMPARE(deltaText(clients[i]->eventsSoFar()), u"abc"_s);
    QVERIFY(h.waitForFinished(streams));
}

QTEST_GUILESS_MAIN(TestGatewayStream)
#include "tst_gatewaystream.moc"
