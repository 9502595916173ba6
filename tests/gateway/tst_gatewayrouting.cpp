// SPDX-License-Identifier: GPL-3.0-or-later
// Routing over real sockets when accounts run out: the most telling error when every
// account failed, resting accounts and their recovery on the fake clock, per-model
// denials, the circuit breaker's half-open probe, and sticky sessions.
#include "gateway/healthbook.h"
#include "gatewayharness.h"
#include "support/testprinters.h"
#include "support/testtimeout.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using Reply = ScriptedReply;

Q_DECLARE_METATYPE(ScriptedReply)

namespace {

const QDateTime t0 = FakeClock::defaultStart();

/// Waits until the upstream has seen `count` requests, e.g. the check the gateway sends
/// when an account's rest ends.
bool waitForUpstreamRequests(GatewayHarness &h, int count)
{
    return QTest::qWaitFor([&] { return h.upstream().requestCount() >= count; }, testTimeout());
}

} // namespace

class TestGatewayRouting : public QObject
{
    Q_OBJECT

private slots:
    void mostTellingErrorWhenAllFail_data();
    void mostTellingErrorWhenAllFail();
    void noAccounts();
    void restingAccountsGet429UntilCooldownEnds();
    void deniedModelStaysDenied();
    void circuitBreakerOpensAndProbes();
    void failedProbeReopensTheCircuit();
    void stickySessionsUnderRoundRobin();
};

void TestGatewayRouting::mostTellingErrorWhenAllFail_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<Reply>("replyA");
    QTest::addColumn<Reply>("replyB");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<QByteArray>("retryAfter");

    for (const bool stream : {false, true}) {
        const char *kind = stream ? "stream" : "json";
        QTest::addRow("%s 429+500", kind)
            << stream << Reply::rateLimited(30) << Reply::serverError() << 429
            << u"rate_limit_error"_s << "30"_ba;
        QTest::addRow("%s 500+429", kind) << stream << Reply::serverError() << Reply::rateLimited(7)
                                          << 429 << u"rate_limit_error"_s << "7"_ba;
        QTest::addRow("%s 500+529", kind) << stream << Reply::serverError() << Reply::overloaded()
                                          << 529 << u"overloaded_error"_s << "15"_ba;
        QTest::addRow("%s 401+500", kind) << stream << Reply::unauthorized() << Reply::serverError()
                                          << 502 << u"api_error"_s << QByteArray();
        QTest::addRow("%s 402+401", kind) << stream << Reply::billing() << Reply::unauthorized()
                                          << 503 << u"api_error"_s << QByteArray();
        QTest::addRow("%s 403+403", kind) << stream << Reply::forbidden() << Reply::forbidden()
                                          << 403 << u"permission_error"_s << QByteArray();
        QTest::addRow("%s timeout+reset", kind)
            << stream << Reply::timeout() << Reply::resetMidStream(1) << 502 << u"api_error"_s
            << QByteArray();
    }
}

void TestGatewayRouting::mostTellingErrorWhenAllFail()
{
    QFETCH(bool, stream);
    QFETCH(Reply, replyA);
    QFETCH(Reply, replyB);
    QFETCH(int, status);
    QFETCH(QString, errorType);
    QFETCH(QByteArray, retryAfter);

    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.script(u"A"_s, replyA);
    h.script(u"B"_s, replyB);
    QVERIFY(h.start());

    // A silent upstream is given up on when the fake clock passes the upstream timeout.
    const HttpAnswer answer = goesSilent(replyA)
        ? h.sendPastSilence(GatewayHarness::messageBody(stream))
        : h.send(GatewayHarness::messageBody(stream));
    QVERIFY(answer.finished);
    QCOMPARE(answer.status, status);
    QVERIFY2(answer.isAnthropicError(), answer.body.constData());
    QCOMPARE(answer.errorType(), errorType);
    QCOMPARE(answer.header("retry-after"), retryAfter);
    // The message names both accounts, so the user sees why each failed.
    QVERIFY2(answer.errorMessage().contains(u"A: "_s) && answer.errorMessage().contains(u"B: "_s),
             qPrintable(answer.errorMessage()));
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().status, status);
    QCOMPARE(h.finished.first().errorType, errorType);
    QCOMPARE(h.finished.first().accountId, QUuid());
    QCOMPARE(h.finished.first().attempts, 2);
}

void TestGatewayRouting::noAccounts()
{
    GatewayHarness h;
    QVERIFY(h.start());
    for (const bool stream : {false, true}) {
        const HttpAnswer answer = h.send(GatewayHarness::messageBody(stream));
        QCOMPARE(answer.status, 503);
        QVERIFY(answer.isAnthropicError());
        QCOMPARE(answer.errorType(), u"api_error"_s);
        QVERIFY2(answer.errorMessage().contains(u"add one"_s), qPrintable(answer.errorMessage()));
    }
    QCOMPARE(h.upstream().requestCount(), 0);
}

void TestGatewayRouting::restingAccountsGet429UntilCooldownEnds()
{
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.script(u"A"_s, Reply::rateLimited(30));
    h.script(u"B"_s, Reply::overloaded()); // rests 15 s
    QVERIFY(h.start());

    HttpAnswer answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(answer.status, 429);
    QCOMPARE(answer.header("retry-after"), "15"_ba); // B is back first
    QCOMPARE(h.upstream().requestCount(), 2);

    // Both resting: answered at once, nothing sent upstream.
    h.clock.advanceSecs(10);
    answer = h.send(GatewayHarness::messageBody(true));
    QCOMPARE(answer.status, 429);
    QVERIFY(answer.isAnthropicError());
    QCOMPARE(answer.errorType(), u"rate_limit_error"_s);
    QCOMPARE(answer.header("retry-after"), "5"_ba);
    QCOMPARE(h.upstream().requestCount(), 2);

    // B's rest is over; A's is not. The gateway checks B as its rest ends, and B passes.
    h.script(u"B"_s, std::nullopt);
    h.clock.advanceSecs(6);
    QVERIFY(h.waitForValidations(1));
    QCOMPARE(h.validations.first().accountId, h.idOf(u"B"_s));
    QVERIFY(h.validations.first().ok);
    QCOMPARE(h.upstream().lastRequest().path, u"/v1/models"_s);
    verifySuccess(h.send(GatewayHarness::messageBody(false)), false, u"B"_s);
    QCOMPARE(h.upstreamAccounts().last(), u"B"_s);
    QCOMPARE(h.upstream().requestCount(), 4);

    // A's rest is over: used again (for a new conversation; the last one stays on B), and
    // its cooldown is cleared by the success. (A's own check at the end of its rest gets
    // no answer here, so the request is what clears it.)
    h.script(u"A"_s, std::nullopt);
    h.upstream().enqueue(Reply::timeout());
    h.clock.advanceSecs(15);
    QVERIFY(waitForUpstreamRequests(h, 5));
    QCOMPARE(h.upstreamAccounts().last(), u"A"_s);
    verifySuccess(h.send(GatewayHarness::messageBody(true, GatewayHarness::model, u"new"_s)), true,
                  u"A"_s);
    QCOMPARE(h.upstreamAccounts().last(), u"A"_s);
    QCOMPARE(h.upstream().lastRequest().path, u"/v1/messages"_s);
    QCOMPARE(h.live(u"A"_s).health.cooldownUntil, QDateTime());
    QCOMPARE(h.live(u"A"_s).health.state, HealthState::Valid);
    QCOMPARE(h.validations.size(), 1);
}

void TestGatewayRouting::deniedModelStaysDenied()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    h.script(u"A"_s, Reply::forbidden());
    QVERIFY(h.start());

    HttpAnswer answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(answer.status, 403);
    QCOMPARE(answer.errorType(), u"permission_error"_s);

    // The account is skipped for this model for permission_seconds: the client should get
    // the same answer, not a claim that the account is disabled or its key invalid.
    answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(h.upstream().requestCount(), 1);
    QVERIFY(answer.isAnthropicError());
    QCOMPARE(answer.status, 403);
    QCOMPARE(answer.errorType(), u"permission_error"_s);
}

void TestGatewayRouting::circuitBreakerOpensAndProbes()
{
    GatewayHarness h;
    (void)h.settings.set(SettingKeys::errorThreshold, 3);
    (void)h.settings.set(SettingKeys::circuitCooldown, 60);
    h.letStreamsWaitOnTheTest();
    h.addAccount(u"A"_s);
    h.script(u"A"_s, Reply::serverError());
    QVERIFY(h.start());

    for (int i = 1; i <= 3; ++i) {
        const HttpAnswer answer = h.send(GatewayHarness::messageBody(false));
        QCOMPARE(answer.status, 502);
        QCOMPARE(answer.errorType(), u"api_error"_s);
        QCOMPARE(h.live(u"A"_s).health.errorCount, i);
        QCOMPARE(h.live(u"A"_s).health.cooldownUntil, i < 3 ? QDateTime() : t0.addSecs(60));
    }
    QCOMPARE(h.upstream().requestCount(), 3);

    // Open: nothing goes upstream until the rest is over.
    // Resting after errors is not a rate limit: 503 api_error, with when to come back.
    HttpAnswer answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(answer.status, 503);
    QCOMPARE(answer.errorType(), u"api_error"_s);
    QCOMPARE(answer.header("retry-after"), "60"_ba);
    QCOMPARE(h.upstream().requestCount(), 3);

    // Half-open: the first request is the probe; a second one meanwhile does not go to A.
    // (The gateway also checks A as its rest ends; that check gets no answer here, so the
    // requests alone decide.) The probe streams up to its first delta, then waits for the
    // test: the second request certainly comes while the probe runs.
    h.upstream().enqueue(Reply::timeout());
    h.clock.advanceSecs(61);
    QVERIFY(waitForUpstreamRequests(h, 4));
    QCOMPARE(h.upstream().lastRequest().path, u"/v1/models"_s);
    h.script(u"A"_s, Reply::stream({u"a"_s, u"b"_s, u"c"_s, u"d"_s}).withPacedEvents());
    h.upstream().allowEvents(4);
    RawHttpClient probe;
    QVERIFY(probe.connectTo(h.port()));
    probe.send(RawHttpClient::request(
        "POST", "/v1/messages", h.port(),
        {"x-api-key: " + GatewayHarness::accessKey.toUtf8(), "content-type: application/json"},
        QJsonDocument(GatewayHarness::messageBody(true)).toJson(QJsonDocument::Compact)));
    QVERIFY(probe.waitUntil([&](const QByteArray &) {
        return eventNames(probe.eventsSoFar()).contains("content_block_delta");
    }));
    answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(h.upstream().requestCount(), 5);
    QVERIFY(answer.isAnthropicError());
    QCOMPARE(answer.status, 503);
    QVERIFY2(!answer.errorMessage().contains(u"invalid key"_s), qPrintable(answer.errorMessage()));
    QVERIFY(answer.errorMessage().contains(u"repeated upstream errors"_s));

    h.upstream().allowEvents();
    const std::optional<HttpAnswer> probed = probe.readAnswer();
    QVERIFY(probed);
    QCOMPARE(probed->status, 200);
    QCOMPARE(deltaText(probed->events()), u"abcd"_s);
    const Account a = h.live(u"A"_s);
    QCOMPARE(a.health.errorCount, 0);
    QCOMPARE(a.health.cooldownUntil, QDateTime());
    QCOMPARE(a.health.state, HealthState::Valid);

    // Closed: requests flow again.
    h.script(u"A"_s, std::nullopt);
    verifySuccess(h.send(GatewayHarness::messageBody(false)), false, u"A"_s);
}

void TestGatewayRouting::failedProbeReopensTheCircuit()
{
    GatewayHarness h;
    (void)h.settings.set(SettingKeys::errorThreshold, 2);
    (void)h.settings.set(SettingKeys::circuitCooldown, 60);
    h.addAccount(u"A"_s);
    h.script(u"A"_s, Reply::unavailable());
    QVERIFY(h.start());

    for (int i = 0; i < 2; ++i)
        QCOMPARE(h.send(GatewayHarness::messageBody(false)).status, 502);
    QCOMPARE(h.live(u"A"_s).health.cooldownUntil, t0.addSecs(60));

    // The check at the end of the rest gets no answer here: the probe alone decides.
    h.upstream().enqueue(Reply::timeout());
    h.clock.advanceSecs(60);
    QVERIFY(waitForUpstreamRequests(h, 3));
    QCOMPARE(h.send(GatewayHarness::messageBody(true)).status, 502);
    QCOMPARE(h.upstream().requestCount(), 4);
    QCOMPARE(h.upstream().lastRequest().path, u"/v1/messages"_s);
    QCOMPARE(h.live(u"A"_s).health.errorCount, 3);
    QCOMPARE(h.live(u"A"_s).health.cooldownUntil, t0.addSecs(120));
    QCOMPARE(h.send(GatewayHarness::messageBody(false)).status, 503);
    QCOMPARE(h.upstream().requestCount(), 4);
}

void TestGatewayRouting::stickySessionsUnderRoundRobin()
{
    GatewayHarness h;
    (void)h.settings.set(SettingKeys::strategy, u"round_robin"_s);
    h.addAccount(u"A"_s);
    h.addAccount(u"B"_s);
    QVERIFY(h.start());

    QHash<QByteArray, QStringList> served;
    for (int i = 0; i < 6; ++i) {
        const QByteArray session = i % 2 == 0 ? "session-one"_ba : "session-two"_ba;
        const HttpAnswer answer = h.send(GatewayHarness::messageBody(i % 3 == 0),
                                         {{"x-claude-code-session-id"_ba, session}});
        QCOMPARE(answer.status, 200);
        served[session].append(QString::fromUtf8(answer.header("x-switchboard-account")));
    }
    const QStringList one = served.value("session-one");
    const QStringList two = served.value("session-two");
    QCOMPARE(one.count(one.first()), 3);
    QCOMPARE(two.count(two.first()), 3);
    // Round robin put the second session on the other account, and stickiness kept it there.
    QVERIFY(one.first() != two.first());
    QCOMPARE(h.upstreamAccounts().size(), 6);
}

QTEST_GUILESS_MAIN(TestGatewayRouting)
#include "tst_gatewayrouting.moc"
