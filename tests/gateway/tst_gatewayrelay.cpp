// SPDX-License-Identifier: GPL-3.0-or-later
// Failover over real sockets: a GatewayServer in front of a scripted upstream, every fault
// the upstream can produce, and what the client and the accounts' health make of it.
// (When every account fails or rests: tst_gatewayrouting.)
#include "gateway/healthbook.h"
#include "gatewayharness.h"
#include "support/testprinters.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Reply = ScriptedReply;

Q_DECLARE_METATYPE(ScriptedReply)

namespace {

const QDateTime t0 = FakeClock::defaultStart();

} // namespace

class TestGatewayRelay : public QObject
{
    Q_OBJECT

private slots:
    void failover_data();
    void failover();
    void returnedToClient_data();
    void returnedToClient();
    void errorAfterContentEndsTheStream_data();
    void errorAfterContentEndsTheStream();
    void keyStillBeingRead_data();
    void keyStillBeingRead();
};

void TestGatewayRelay::failover_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<Reply>("fault");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<HealthState>("state");
    QTest::addColumn<int>("errorCount");
    QTest::addColumn<QDateTime>("until");
    QTest::addColumn<QString>("step");
    QTest::addColumn<bool>("triedAgain"); ///< the next request (same model) goes to A first

    struct Row
    {
        const char *name;
        Reply fault;
        bool refused;
        HealthState state;
        int errorCount;
        QDateTime until;
        QString step;
        bool triedAgain;
    };
    const HealthState unknown = HealthState::Unknown;
    const QList<Row> rows = {
        {"401", Reply::unauthorized(), false, HealthState::Invalid, 0, {}, u"A 401"_s, false},
        {"402", Reply::billing(), false, HealthState::Disabled, 0, {}, u"A 402"_s, false},
        {"403", Reply::forbidden(), false, unknown, 0, {}, u"A 403"_s, false},
        {"429 retry-after", Reply::rateLimited(30), false, unknown, 0, t0.addSecs(30), u"A 429"_s,
         false},
        {"429 spend limit", Reply::spendLimit(), false, HealthState::Disabled, 0,
         QDateTime(QDate(2025, 2, 1), QTime(0, 0), Qt::UTC), u"A 429"_s, false},
        {"500", Reply::serverError(), false, unknown, 1, {}, u"A 500"_s, true},
        {"502 plain text", Reply::badGateway(), false, unknown, 1, {}, u"A 502"_s, true},
        {"503", Reply::unavailable(), false, unknown, 1, {}, u"A 503"_s, true},
        {"529", Reply::overloaded(), false, unknown, 0, t0.addSecs(15), u"A 529"_s, false},
        {"timeout", Reply::timeout(), false, unknown, 1, {}, u"A api_error"_s, true},
        {"refused", Reply(), true, unknown, 1, {}, u"A api_error"_s, true},
        {"reset before headers",
         Reply::resetBeforeHeaders(),
         false,
         unknown,
         1,
         {},
         u"A api_error"_s,
         true},
        {"malformed json", Reply::malformedJson(), false, unknown, 1, {}, u"A api_error"_s, true},
        {"reset before content",
         Reply::resetMidStream(2),
         false,
         unknown,
         1,
         {},
         u"A api_error"_s,
         true},
        {"hang before content",
         Reply::hangMidStream(2),
         false,
         unknown,
         1,
         {},
         u"A api_error"_s,
         true},
        {"error event before content", Reply::errorEventMidStream(2), false, unknown, 0,
         t0.addSecs(15), u"A 529"_s, false},
    };
    for (const bool stream : {false, true}) {
        for (Row r : rows) {
            // A stream for a request for one message is the upstream's fault, whatever it holds.
            if (!stream && r.fault.streaming)
                r = {r.name, r.fault, false, unknown, 1, {}, u"A api_error"_s, true};
            QTest::addRow("%s %s", stream ? "stream" : "json", r.name)
                << stream << r.fault << r.refused << r.state << r.errorCount << r.until << r.step
                << r.triedAgain;
        }
    }
}

void TestGatewayRelay::failover()
{
    QFETCH(bool, stream);
    QFETCH(Reply, fault);
    QFETCH(bool, refused);
    QFETCH(HealthState, state);
    QFETCH(int, errorCount);
    QFETCH(QDateTime, until);
    QFETCH(QString, step);
    QFETCH(bool, triedAgain);

    GatewayHarness h;
    QUrl refusedUrl = h.upstream().baseUrl();
    refusedUrl.setPort(ScriptedUpstream::closedPort());
    h.addAccount(u"A"_s, 10, refused ? refusedUrl : QUrl());
    h.addAccount(u"B"_s, 0);
    if (!refused)
        h.script(u"A"_s, fault);
    QVERIFY(h.start());
    // A silent upstream is given up on when the fake clock passes the upstream timeout.
    auto send = [&h, silent = goesSilent(fault)](const QJsonObject &body) {
        return silent ? h.sendPastSilence(body) : h.send(body);
    };

    const HttpAnswer answer = send(GatewayHarness::messageBody(stream));
    const QDateTime servedAt = h.clock.now();
    verifySuccess(answer, stream, u"B"_s);
    if (QTest::currentTestFailed())
        return;

    // The upstream saw A first (QNAM may resend after a reset), then B once.
    QStringList seen = h.upstreamAccounts();
    QCOMPARE(seen.count(u"B"_s), 1);
    QCOMPARE(seen.last(), u"B"_s);
    QCOMPARE(seen.count(u"A"_s) > 0, !refused);

    const Account a = h.live(u"A"_s);
    QCOMPARE(a.health.state, state);
    QCOMPARE(a.health.errorCount, errorCount);
    QCOMPARE(a.health.cooldownUntil, until);
    QCOMPARE(a.health.usageCount, 0);
    QCOMPARE(h.healthChangesOf(u"A"_s), step == u"A 403"_s ? 0 : 1);
    QCOMPARE(h.invalidated, state == HealthState::Invalid ? QStringList {u"A"_s} : QStringList());
    const Account b = h.live(u"B"_s);
    QCOMPARE(b.health.state, HealthState::Valid);
    QCOMPARE(b.health.errorCount, 0);
    QCOMPARE(b.health.usageCount, 1);
    QCOMPARE(b.health.lastUsed, servedAt);

    QVERIFY(h.waitForFinished(1));
    const UsageRecord record = h.finished.first();
    QCOMPARE(record.status, 200);
    QCOMPARE(record.errorType, QString());
    QCOMPARE(record.accountId, h.idOf(u"B"_s));
    QCOMPARE(record.accountName, u"B"_s);
    QCOMPARE(record.attempts, 2);
    QCOMPARE(record.path, step + u" → B 200"_s);
    QCOMPARE(record.stream, stream);
    QCOMPARE(record.tokens.input, 25);
    QCOMPARE(record.tokens.output, 12);

    // The next conversation: A again if it only counted an error, else straight to B.
    h.upstream().clearRequests();
    verifySuccess(send(GatewayHarness::messageBody(stream, GatewayHarness::model, u"2"_s)), stream,
                  u"B"_s);
    seen = h.upstreamAccounts();
    QCOMPARE(!refused && seen.first() == u"A"_s, triedAgain && !refused);
    QCOMPARE(seen.last(), u"B"_s);

    if (step == u"A 403"_s) {
        // Denied for that model only: another model still goes to A first.
        h.upstream().clearRequests();
        verifySuccess(h.send(GatewayHarness::messageBody(stream, u"claude-haiku-4-5"_s, u"3"_s)),
                      stream, u"B"_s);
        QCOMPARE(h.upstreamAccounts(), QStringList({u"A"_s, u"B"_s}));
    }
}

void TestGatewayRelay::returnedToClient_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<Reply>("reply");
    for (const bool stream : {false, true}) {
        const char *kind = stream ? "stream" : "json";
        QTest::addRow("%s 400", kind) << stream << Reply::badRequest();
        QTest::addRow("%s 404", kind) << stream << Reply::notFound();
        QTest::addRow("%s 413", kind)
            << stream
            << Reply::error(413, u"request_too_large"_s, u"Request exceeds the maximum size"_s);
    }
}

void TestGatewayRelay::returnedToClient()
{
    QFETCH(bool, stream);
    QFETCH(Reply, reply);

    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.script(u"A"_s, reply);
    QVERIFY(h.start());

    const HttpAnswer answer = h.send(GatewayHarness::messageBody(stream));
    QVERIFY(answer.finished);
    QCOMPARE(answer.status, reply.status);
    QCOMPARE(answer.body, reply.body); // byte for byte, request_id included
    QVERIFY(answer.isAnthropicError());
    QCOMPARE(answer.header("request-id"), reply.header("request-id"));
    QCOMPARE(h.upstreamAccounts(), QStringList {u"A"_s}); // no failover

    const Account a = h.live(u"A"_s);
    QCOMPARE(a.health, AccountHealth());
    QCOMPARE(h.healthChanges.size(), 0);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().status, reply.status);
    QCOMPARE(h.finished.first().errorType, answer.errorType());
    QCOMPARE(h.finished.first().attempts, 1);
}

void TestGatewayRelay::errorAfterContentEndsTheStream_data()
{
    QTest::addColumn<Reply>("reply");
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<int>("errorCount");
    QTest::addColumn<QDateTime>("until");

    // Four events: message_start, ping, content_block_start, one delta ("Hello").
    QTest::newRow("reset") << Reply::resetMidStream(4) << u"api_error"_s << 1 << QDateTime();
    QTest::newRow("error event") << Reply::errorEventMidStream(4) << u"overloaded_error"_s << 0
                                 << t0.addSecs(15);
    QTest::newRow("hang") << Reply::hangMidStream(4) << u"api_error"_s << 1 << QDateTime();
}

void TestGatewayRelay::errorAfterContentEndsTheStream()
{
    QFETCH(Reply, reply);
    QFETCH(QString, errorType);
    QFETCH(int, errorCount);
    QFETCH(QDateTime, until);

    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.script(u"A"_s, reply);
    QVERIFY(h.start());

    // A stream that stops is given up on once the client has its content and the fake clock
    // passes the upstream timeout.
    const HttpAnswer answer = goesSilent(reply)
        ? h.sendPastSilence(GatewayHarness::messageBody(true), "content_block_delta"_ba)
        : h.send(GatewayHarness::messageBody(true));
    QVERIFY(answer.finished);
    QCOMPARE(answer.error, QNetworkReply::NoError); // the chunked stream ended properly
    QCOMPARE(answer.status, 200);
    const QList<ClientEvent> events = answer.events();
    QCOMPARE(eventNames(events),
             QByteArrayList(
                 {"message_start", "ping", "content_block_start", "content_block_delta", "error"}));
    QCOMPARE(deltaText(events), u"Hello"_s); // nothing twice, nothing from B
    const QJsonObject error = events.last().data;
    QCOMPARE(error.value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(error.value(u"error"_s).toObject().value(u"type"_s).toString(), errorType);
    QVERIFY(!error.value(u"error"_s).toObject().value(u"message"_s).toString().isEmpty());
    QCOMPARE(h.upstreamAccounts(), QStringList {u"A"_s});

    const Account a = h.live(u"A"_s);
    QCOMPARE(a.health.errorCount, errorCount);
    QCOMPARE(a.health.cooldownUntil, until);
    QCOMPARE(h.live(u"B"_s).health, AccountHealth());
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().errorType, errorType);
    QCOMPARE(h.finished.first().attempts, 1);
    QVERIFY(h.finished.first().firstTokenMs >= 0);
}

void TestGatewayRelay::keyStillBeingRead_data()
{
    QTest::addColumn<bool>("keyArrives");
    QTest::newRow("key arrives") << true;
    QTest::newRow("key never arrives") << false;
}

void TestGatewayRelay::keyStillBeingRead()
{
    QFETCH(bool, keyArrives);

    GatewayHarness h;
    h.addAccount(u"B"_s, 0);
    QVERIFY(h.start());
    // A is added while the keychain is slow: its key is still being read.
    h.holdSecrets();
    h.addAccount(u"A"_s, 10);
    QVERIFY(h.updateAccounts());

    QNetworkReply *reply
        = h.post(u"/v1/messages"_s,
                 QJsonDocument(GatewayHarness::messageBody(false)).toJson(QJsonDocument::Compact));
    // The request waits for the key rather than skip A, but only for a while (5 s).
    const QDateTime waitEnd = t0.addSecs(5);
    QTRY_COMPARE_WITH_TIMEOUT(h.clock.nextDue(), waitEnd, testTimeout());
    if (keyArrives)
        h.releaseSecrets();
    else
        h.clock.setNow(waitEnd);
    verifySuccess(h.collect(reply), false, keyArrives ? u"A"_s : u"B"_s);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().attempts, 1);
    QCOMPARE(h.finished.first().path, keyArrives ? u"A 200"_s : u"B 200"_s);
}

QTEST_GUILESS_MAIN(TestGatewayRelay)
#include "tst_gatewayrelay.moc"
