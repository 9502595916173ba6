// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateway/healthpolicy.h"
#include "support/testprinters.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {

const QDateTime t0 = QDateTime(QDate(2025, 3, 14), QTime(12, 0), QTimeZone::utc());

CooldownPolicy testPolicy()
{
    CooldownPolicy policy;
    policy.rateLimitSeconds = 61;
    policy.overloadedSeconds = 17;
    policy.permissionSeconds = 3601;
    policy.circuitSeconds = 121;
    policy.errorThreshold = 3;
    return policy;
}

Verdict verdict(Verdict::Effect effect, const QString &reason, const QDateTime &until = {})
{
    Verdict v;
    v.route = effect == Verdict::Effect::Success ? Verdict::Route::Done : Verdict::Route::Failover;
    v.effect = effect;
    v.reason = reason;
    v.until = until;
    return v;
}

// A used, healthy-looking account with some history that no verdict should lose.
AccountHealth history()
{
    AccountHealth h;
    h.state = HealthState::Valid;
    h.lastValidated = t0.addSecs(-3600);
    h.lastUsed = t0.addSecs(-60);
    h.usageCount = 42;
    return h;
}

Account account(bool enabled, HealthState state, const QDateTime &cooldownUntil = {},
                int errorCount = 0)
{
    Account a;
    a.id = QUuid(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    a.name = u"test"_s;
    a.enabled = enabled;
    a.health.state = state;
    a.health.cooldownUntil = cooldownUntil;
    a.health.errorCount = errorCount;
    return a;
}

} // namespace

class TestHealthPolicy : public QObject
{
    Q_OBJECT

private slots:
    void successClearsTrouble();
    void invalidKeyKeepsTheAccountOutForGood();
    void parkedAccountReturnsAtItsUntil();
    void parkUntilTheUserActs();
    void cooldownKeepsTheLater();
    void countErrorBelowThresholdOnlyCounts();
    void countErrorAtThresholdOpensTheCircuit();
    void circuitDoesNotShortenALongerCooldown();
    void noneAndModelDeniedLeaveHealthAlone();
    void availabilityFollowsStateCooldownAndSwitch_data();
    void availabilityFollowsStateCooldownAndSwitch();
    void halfOpenMeansErrorsAtThresholdAndRestOver_data();
    void halfOpenMeansErrorsAtThresholdAndRestOver();
    void halfOpenAfterCircuitRest();
    void availableAtIsWhenTheRestEndsOrNever_data();
    void availableAtIsWhenTheRestEndsOrNever();
};

void TestHealthPolicy::successClearsTrouble()
{
    AccountHealth h = history();
    h.state = HealthState::Unknown;
    h.reason = u"2 errors"_s;
    h.errorCount = 2;
    h.cooldownUntil = t0.addSecs(30);

    AccountHealth expected = history();
    expected.state = HealthState::Valid;

    const AccountHealth after
        = HealthPolicy::apply(h, verdict(Verdict::Effect::Success, {}), testPolicy(), t0);
    QCOMPARE(after, expected);
    QCOMPARE(after.state, HealthState::Valid);
    QVERIFY(after.reason.isEmpty());
    QCOMPARE(after.errorCount, 0);
    QVERIFY(!after.cooldownUntil.isValid());
}

void TestHealthPolicy::invalidKeyKeepsTheAccountOutForGood()
{
    AccountHealth h = history();
    h.cooldownUntil = t0.addSecs(30);

    const AccountHealth after = HealthPolicy::apply(
        h, verdict(Verdict::Effect::Invalid, u"The API key was rejected."_s), testPolicy(), t0);
    QCOMPARE(after.state, HealthState::Invalid);
    QCOMPARE(after.reason, u"The API key was rejected."_s);
    QVERIFY(!after.cooldownUntil.isValid());
    QCOMPARE(after.usageCount, 42);
    QCOMPARE(after.lastUsed, t0.addSecs(-60));

    Account a = account(true, HealthState::Valid);
    a.health = after;
    QVERIFY(!HealthPolicy::isAvailable(a, t0));
    QVERIFY(!HealthPolicy::isAvailable(a, t0.addYears(1)));
    QVERIFY(!HealthPolicy::availableAt(a, t0).isValid());
}

void TestHealthPolicy::parkedAccountReturnsAtItsUntil()
{
    const QDateTime until = QDateTime(QDate(2025, 4, 1), QTime(0, 0), QTimeZone::utc());
    const AccountHealth after = HealthPolicy::apply(
        history(), verdict(Verdict::Effect::Park, u"spend limit"_s, until), testPolicy(), t0);
    QCOMPARE(after.state, HealthState::Disabled);
    QCOMPARE(after.reason, u"spend limit"_s);
    QCOMPARE(after.cooldownUntil, until);

    Account a = account(true, HealthState::Valid);
    a.health = after;
    QVERIFY(!HealthPolicy::isAvailable(a, t0));
    QVERIFY(!HealthPolicy::isAvailable(a, until.addMSecs(-1)));
    QCOMPARE(HealthPolicy::availableAt(a, t0), until);
    QVERIFY(HealthPolicy::isAvailable(a, until));
    QVERIFY(HealthPolicy::isAvailable(a, until.addDays(3)));
}

void TestHealthPolicy::parkUntilTheUserActs()
{
    AccountHealth h = history();
    h.cooldownUntil = t0.addSecs(30); // a rate limit from before must not bring it back
    const AccountHealth after = HealthPolicy::apply(
        h, verdict(Verdict::Effect::Park, u"out of credit"_s), testPolicy(), t0);
    QCOMPARE(after.state, HealthState::Disabled);
    QCOMPARE(after.reason, u"out of credit"_s);
    QVERIFY(!after.cooldownUntil.isValid());

    Account a = account(true, HealthState::Valid);
    a.health = after;
    QVERIFY(!HealthPolicy::isAvailable(a, t0));
    QVERIFY(!HealthPolicy::isAvailable(a, t0.addYears(1)));
    QVERIFY(!HealthPolicy::availableAt(a, t0).isValid());
}

void TestHealthPolicy::cooldownKeepsTheLater()
{
    const CooldownPolicy policy = testPolicy();
    AccountHealth h = HealthPolicy::apply(
        history(), verdict(Verdict::Effect::Cooldown, u"rate limited"_s, t0.addSecs(100)), policy,
        t0);
    QCOMPARE(h.cooldownUntil, t0.addSecs(100));
    QCOMPARE(h.reason, u"rate limited"_s);
    QCOMPARE(h.state, HealthState::Valid); // cooling down is not a state change
    QCOMPARE(h.errorCount, 0);

    // A shorter cooldown (an overload) does not cut the rate limit's rest short.
    h = HealthPolicy::apply(h, verdict(Verdict::Effect::Cooldown, u"overloaded"_s, t0.addSecs(15)),
                            policy, t0);
    QCOMPARE(h.cooldownUntil, t0.addSecs(100));

    // A longer one extends it.
    h = HealthPolicy::apply(
        h, verdict(Verdict::Effect::Cooldown, u"rate limited"_s, t0.addSecs(200)), policy, t0);
    QCOMPARE(h.cooldownUntil, t0.addSecs(200));

    // A cooldown that ended long ago is replaced by any new one.
    AccountHealth old = history();
    old.cooldownUntil = t0.addSecs(-500);
    old = HealthPolicy::apply(old, verdict(Verdict::Effect::Cooldown, u"x"_s, t0.addSecs(5)),
                              policy, t0);
    QCOMPARE(old.cooldownUntil, t0.addSecs(5));
}

void TestHealthPolicy::countErrorBelowThresholdOnlyCounts()
{
    const CooldownPolicy policy = testPolicy();
    AccountHealth h = history();
    h = HealthPolicy::apply(h, verdict(Verdict::Effect::CountError, u"HTTP 500"_s), policy, t0);
    QCOMPARE(h.errorCount, 1);
    QVERIFY(!h.cooldownUntil.isValid());
    QCOMPARE(h.state, HealthState::Valid);
    QCOMPARE(h.reason, u"HTTP 500"_s);

    h = HealthPolicy::apply(h, verdict(Verdict::Effect::CountError, u"timeout"_s), policy,
                            t0.addSecs(1));
    QCOMPARE(h.errorCount, 2);
    QVERIFY(!h.cooldownUntil.isValid());

    Account a = account(true, HealthState::Valid);
    a.health = h;
    QVERIFY(HealthPolicy::isAvailable(a, t0.addSecs(1)));
    QVERIFY(!HealthPolicy::isHalfOpen(a, policy.errorThreshold, t0.addSecs(1)));

    // An existing cooldown is neither cut nor extended by a counted error.
    AccountHealth cooling = history();
    cooling.cooldownUntil = t0.addSecs(40);
    cooling
        = HealthPolicy::apply(cooling, verdict(Verdict::Effect::CountError, u"x"_s), policy, t0);
    QCOMPARE(cooling.errorCount, 1);
    QCOMPARE(cooling.cooldownUntil, t0.addSecs(40));
}

void TestHealthPolicy::countErrorAtThresholdOpensTheCircuit()
{
    const CooldownPolicy policy = testPolicy();
    AccountHealth h = history();
    h.errorCount = 2;
    const QDateTime now = t0.addSecs(7);
    h = HealthPolicy::apply(h, verdict(Verdict::Effect::CountError, u"HTTP 503"_s), policy, now);
    QCOMPARE(h.errorCount, 3);
    QCOMPARE(h.cooldownUntil, now.addSecs(121));
    QCOMPARE(h.state, HealthState::Valid);
    QVERIFY2(h.reason.contains(u"HTTP 503"_s), qPrintable(h.reason));

    Account a = account(true, HealthState::Valid);
    a.health = h;
    QVERIFY(!HealthPolicy::isAvailable(a, now));
    QVERIFY(!HealthPolicy::isAvailable(a, now.addSecs(120)));
    QCOMPARE(HealthPolicy::availableAt(a, now), now.addSecs(121));
    QVERIFY(HealthPolicy::isAvailable(a, now.addSecs(121)));

    // The failed probe of a half-open account opens the circuit again, from its own time.
    const QDateTime probe = now.addSecs(125);
    h = HealthPolicy::apply(h, verdict(Verdict::Effect::CountError, u"HTTP 503"_s), policy, probe);
    QCOMPARE(h.errorCount, 4);
    QCOMPARE(h.cooldownUntil, probe.addSecs(121));
}

void TestHealthPolicy::circuitDoesNotShortenALongerCooldown()
{
    // Two requests in flight on one account: one is rate limited for 10 minutes, then the
    // other fails for the third time. The circuit's 2 minutes must not cut the upstream's
    // 10 minutes short.
    const CooldownPolicy policy = testPolicy();
    AccountHealth h = history();
    h.errorCount = 2;
    h = HealthPolicy::apply(
        h, verdict(Verdict::Effect::Cooldown, u"rate limited"_s, t0.addSecs(600)), policy, t0);
    h = HealthPolicy::apply(h, verdict(Verdict::Effect::CountError, u"HTTP 500"_s), policy, t0);
    QCOMPARE(h.errorCount, 3);
    QCOMPARE(h.cooldownUntil, t0.addSecs(600));
}

void TestHealthPolicy::noneAndModelDeniedLeaveHealthAlone()
{
    AccountHealth h = history();
    h.errorCount = 1;
    h.reason = u"earlier"_s;
    QCOMPARE(HealthPolicy::apply(h, verdict(Verdict::Effect::None, u"x"_s), testPolicy(), t0), h);
    QCOMPARE(
        HealthPolicy::apply(h, verdict(Verdict::Effect::ModelDenied, u"denied"_s, t0.addSecs(3601)),
                            testPolicy(), t0),
        h);
}

void TestHealthPolicy::availabilityFollowsStateCooldownAndSwitch_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<HealthState>("state");
    QTest::addColumn<QDateTime>("cooldownUntil");
    QTest::addColumn<bool>("available");

    const QDateTime none;
    const QDateTime future = t0.addSecs(1);
    const QDateTime past = t0.addSecs(-1);

    QTest::newRow("fresh") << true << HealthState::Unknown << none << true;
    QTest::newRow("valid") << true << HealthState::Valid << none << true;
    QTest::newRow("disabled by user") << false << HealthState::Valid << none << false;
    QTest::newRow("disabled by user, cooldown over")
        << false << HealthState::Valid << past << false;
    QTest::newRow("invalid") << true << HealthState::Invalid << none << false;
    QTest::newRow("invalid, old cooldown over") << true << HealthState::Invalid << past << false;
    QTest::newRow("parked until the user acts") << true << HealthState::Disabled << none << false;
    QTest::newRow("parked until future") << true << HealthState::Disabled << future << false;
    QTest::newRow("parked until past") << true << HealthState::Disabled << past << true;
    QTest::newRow("parked until now") << true << HealthState::Disabled << t0 << true;
    QTest::newRow("cooling down, future") << true << HealthState::Valid << future << false;
    QTest::newRow("cooling down, past") << true << HealthState::Valid << past << true;
    QTest::newRow("cooling down, ends now") << true << HealthState::Valid << t0 << true;
    QTest::newRow("unknown cooling down") << true << HealthState::Unknown << future << false;
}

void TestHealthPolicy::availabilityFollowsStateCooldownAndSwitch()
{
    QFETCH(bool, enabled);
    QFETCH(HealthState, state);
    QFETCH(QDateTime, cooldownUntil);
    QFETCH(bool, available);
    QCOMPARE(HealthPolicy::isAvailable(account(enabled, state, cooldownUntil), t0), available);
}

void TestHealthPolicy::halfOpenMeansErrorsAtThresholdAndRestOver_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<HealthState>("state");
    QTest::addColumn<int>("errorCount");
    QTest::addColumn<QDateTime>("cooldownUntil");
    QTest::addColumn<bool>("halfOpen");

    const QDateTime future = t0.addSecs(1);
    const QDateTime past = t0.addSecs(-1);

    QTest::newRow("no errors") << true << HealthState::Valid << 0 << QDateTime() << false;
    QTest::newRow("below threshold") << true << HealthState::Valid << 2 << QDateTime() << false;
    QTest::newRow("circuit open") << true << HealthState::Valid << 3 << future << false;
    QTest::newRow("rest over") << true << HealthState::Valid << 3 << past << true;
    QTest::newRow("rest ends now") << true << HealthState::Valid << 3 << t0 << true;
    QTest::newRow("above threshold, rest over") << true << HealthState::Valid << 7 << past << true;
    QTest::newRow("disabled by user") << false << HealthState::Valid << 3 << past << false;
    QTest::newRow("invalid") << true << HealthState::Invalid << 3 << past << false;
    QTest::newRow("parked") << true << HealthState::Disabled << 3 << QDateTime() << false;
}

void TestHealthPolicy::halfOpenMeansErrorsAtThresholdAndRestOver()
{
    QFETCH(bool, enabled);
    QFETCH(HealthState, state);
    QFETCH(int, errorCount);
    QFETCH(QDateTime, cooldownUntil);
    QFETCH(bool, halfOpen);
    QCOMPARE(HealthPolicy::isHalfOpen(account(enabled, state, cooldownUntil, errorCount), 3, t0),
             halfOpen);
}

void TestHealthPolicy::halfOpenAfterCircuitRest()
{
    const CooldownPolicy policy = testPolicy();
    Account a = account(true, HealthState::Valid);
    QDateTime now = t0;
    for (int i = 0; i < policy.errorThreshold; ++i) {
        QVERIFY(!HealthPolicy::isHalfOpen(a, policy.errorThreshold, now));
        a.health = HealthPolicy::apply(
            a.health, verdict(Verdict::Effect::CountError, u"HTTP 500"_s), policy, now);
        now = now.addSecs(1);
    }
    const QDateTime opened = now.addSecs(-1);
    QCOMPARE(a.health.cooldownUntil, opened.addSecs(policy.circuitSeconds));
    QVERIFY(!HealthPolicy::isHalfOpen(a, policy.errorThreshold, opened.addSecs(120)));
    QVERIFY(HealthPolicy::isHalfOpen(a, policy.errorThreshold, opened.addSecs(121)));

    // A successful probe closes the circuit.
    a.health = HealthPolicy::apply(a.health, verdict(Verdict::Effect::Success, {}), policy,
                                   opened.addSecs(121));
    QVERIFY(!HealthPolicy::isHalfOpen(a, policy.errorThreshold, opened.addSecs(121)));
    QVERIFY(HealthPolicy::isAvailable(a, opened.addSecs(121)));
}

void TestHealthPolicy::availableAtIsWhenTheRestEndsOrNever_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<HealthState>("state");
    QTest::addColumn<QDateTime>("cooldownUntil");
    QTest::addColumn<QDateTime>("expected");

    const QDateTime none;
    const QDateTime later = t0.addSecs(90);

    QTest::newRow("available") << true << HealthState::Valid << none << t0;
    QTest::newRow("cooldown over") << true << HealthState::Valid << t0.addSecs(-5) << t0;
    QTest::newRow("cooling down") << true << HealthState::Valid << later << later;
    QTest::newRow("parked until") << true << HealthState::Disabled << later << later;
    QTest::newRow("parked, past until") << true << HealthState::Disabled << t0.addSecs(-5) << t0;
    QTest::newRow("parked until the user acts") << true << HealthState::Disabled << none << none;
    QTest::newRow("invalid") << true << HealthState::Invalid << none << none;
    QTest::newRow("invalid with cooldown") << true << HealthState::Invalid << later << none;
    QTest::newRow("disabled by user") << false << HealthState::Valid << none << none;
    QTest::newRow("disabled by user, cooling down") << false << HealthState::Valid << later << none;
}

void TestHealthPolicy::availableAtIsWhenTheRestEndsOrNever()
{
    QFETCH(bool, enabled);
    QFETCH(HealthState, state);
    QFETCH(QDateTime, cooldownUntil);
    QFETCH(QDateTime, expected);
    const QDateTime at = HealthPolicy::availableAt(account(enabled, state, cooldownUntil), t0);
    QCOMPARE(at.isValid(), expected.isValid());
    if (expected.isValid())
        QCOMPARE(at, expected);
}

QTEST_GUILESS_MAIN(TestHealthPolicy)
#include "tst_healthpolicy.moc"
