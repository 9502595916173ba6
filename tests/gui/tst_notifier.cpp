// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/common/cooldownwatch.h"
#include "gui/tray/notifier.h"
#include "gui/tray/traystate.h"
#include "support/fakeclock.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Kind = Notification::Kind;

class TestNotifier : public QObject
{
    Q_OBJECT

private slots:
    void invalidatedAccountOncePerInterval();
    void limitsNotificationsPerMinute();
    void allDownOnlyOnTransition();
    void gatewayFailureAndRecovery();
    void allDownEndsWhenCooldownsEnd();
    void clientKeptRefusedIsToldOnce();
};

void TestNotifier::clientKeptRefusedIsToldOnce()
{
    FakeClock clock;
    Notifier notifier(clock);
    const QString key = u"unknown key …3f9a"_s;
    const QString told = u"Invalid API key."_s;
    // One typo is not news; the third refusal within a minute is.
    QVERIFY(!notifier.clientRefused(key, told, 1));
    clock.advanceSecs(61);
    QVERIFY(!notifier.clientRefused(key, told, 1));
    QVERIFY(!notifier.clientRefused(key, told, 1));
    auto said = notifier.clientRefused(key, told, 1);
    QVERIFY(said);
    QCOMPARE(said->kind, Kind::ClientRefused);
    QVERIFY(said->text.contains(key));
    QVERIFY(said->text.contains(told));
    QVERIFY(said->text.contains(u"Connect Claude Code"_s)); // says what to do
    // Once per interval, however long it goes on; another client is its own news.
    QVERIFY(!notifier.clientRefused(key, told, 50));
    QVERIFY(notifier.clientRefused(u"no key"_s, told, 3));
    clock.advanceSecs(10 * 60);
    QVERIFY(notifier.clientRefused(key, told, 3));
}

void TestNotifier::invalidatedAccountOncePerInterval()
{
    FakeClock clock;
    Notifier notifier(clock);
    const QUuid a = QUuid::createUuid();
    const QUuid b = QUuid::createUuid();
    auto first = notifier.accountInvalidated(a, u"work"_s, u"invalid x-api-key"_s);
    QVERIFY(first);
    QCOMPARE(first->kind, Kind::AccountInvalidated);
    QCOMPARE(first->severity, Notification::Severity::Warning);
    QVERIFY(first->text.contains(u"\"work\""_s));
    QVERIFY(first->text.contains(u"invalid x-api-key"_s));
    QVERIFY(first->text.contains(u"Accounts"_s)); // says what to do

    clock.advanceSecs(9 * 60 + 59);
    QVERIFY(!notifier.accountInvalidated(a, u"work"_s, {}));
    QVERIFY(notifier.accountInvalidated(b, u"home"_s, {})); // another account: its own news
    clock.advanceSecs(1);
    QVERIFY(notifier.accountInvalidated(a, u"work"_s, {}));
}

void TestNotifier::limitsNotificationsPerMinute()
{
    FakeClock clock;
    Notifier notifier(clock);
    for (int i = 0; i < Notifier::maxPerMinute; ++i) {
        QVERIFY(notifier.accountInvalidated(QUuid::createUuid(), u"a%1"_s.arg(i), {}));
        clock.advanceSecs(10);
    }
    QVERIFY(!notifier.accountInvalidated(QUuid::createUuid(), u"one too many"_s, {}));
    clock.advanceSecs(31); // the first one is now a minute old
    QVERIFY(notifier.accountInvalidated(QUuid::createUuid(), u"later"_s, {}));
}

void TestNotifier::allDownOnlyOnTransition()
{
    FakeClock clock;
    Notifier notifier(clock);
    QVERIFY(!notifier.healthChanged(0, 0)); // no accounts yet: nothing is "down"
    QVERIFY(!notifier.healthChanged(2, 2));
    QVERIFY(!notifier.healthChanged(1, 2));
    auto down = notifier.healthChanged(0, 2);
    QVERIFY(down);
    QCOMPARE(down->kind, Kind::AllAccountsDown);
    QCOMPARE(down->severity, Notification::Severity::Critical);
    QVERIFY(down->text.contains(u"2 account"_s));
    clock.advanceSecs(3600);
    QVERIFY(!notifier.healthChanged(0, 2)); // still down: said already
    QVERIFY(!notifier.healthChanged(1, 2));
    QVERIFY(notifier.healthChanged(0, 2)); // down again, an hour later
    // Flapping within the repeat interval is not news again.
    QVERIFY(!notifier.healthChanged(1, 2));
    clock.advanceSecs(60);
    QVERIFY(!notifier.healthChanged(0, 2));
}

void TestNotifier::gatewayFailureAndRecovery()
{
    FakeClock clock;
    Notifier notifier(clock);
    QVERIFY(!notifier.gatewayRunning(u"http://127.0.0.1:17878"_s)); // a normal start
    auto failed = notifier.gatewayFailed(u"Port 17878 is in use."_s);
    QVERIFY(failed);
    QCOMPARE(failed->kind, Kind::GatewayFailed);
    QVERIFY(failed->text.contains(u"Port 17878 is in use."_s));
    // The error carries its own advice: the notification does not add a second one.
    QCOMPARE(failed->text, u"Port 17878 is in use."_s);
    auto recovered = notifier.gatewayRunning(u"http://127.0.0.1:17879"_s);
    QVERIFY(recovered);
    QCOMPARE(recovered->kind, Kind::GatewayRecovered);
    QVERIFY(recovered->text.contains(u"17879"_s));
    QVERIFY(!notifier.gatewayRunning(u"http://127.0.0.1:17879"_s));
}

void TestNotifier::allDownEndsWhenCooldownsEnd()
{
    // Cooldowns end without an event: TrayNotifier looks again when its CooldownWatch says
    // the next one ended, and what it sees then must release "every account is down" for
    // the next outage.
    FakeClock clock;
    Notifier notifier(clock);
    QList<Account> accounts(2);
    for (Account &a : accounts) {
        a.id = QUuid::createUuid();
        a.enabled = true;
    }
    const auto cool = [&](int secs) {
        accounts[0].health.cooldownUntil = clock.now().addSecs(secs);
        accounts[1].health.cooldownUntil = clock.now().addSecs(secs * 2);
    };
    const auto look = [&] {
        const TrayState state
            = TrayState::compute(accounts, RuntimeFacade::GatewayState::Running, clock.now());
        return notifier.healthChanged(state.usable, state.enabled);
    };
    cool(60);
    QVERIFY(look());
    QCOMPARE(CooldownWatch::nextEnd(accounts, clock.now()), clock.now().addSecs(60));
    clock.advanceSecs(60);
    QCOMPARE(CooldownWatch::nextEnd(accounts, clock.now()), clock.now().addSecs(60));
    QVERIFY(!look()); // the first account serves again: not down any more
    clock.advanceSecs(60);
    QVERIFY(!CooldownWatch::nextEnd(accounts, clock.now()).isValid());
    QVERIFY(!look());

    // A second outage, past the repeat interval, is news again.
    clock.advance(Notifier::repeatInterval);
    cool(30);
    QVERIFY(look());
}

QTEST_GUILESS_MAIN(TestNotifier)
#include "tst_notifier.moc"
