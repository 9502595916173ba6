// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/settingsstore.h"
#include "gui/common/runtimefacade.h"
#include "gui/tray/trayicon.h"
#include "gui/tray/traynotifier.h"
#include "gui/tray/traystate.h"
#include "guifixture.h"
#include "support/fakeclock.h"
#include "support/scriptedupstream.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTest>

using namespace Qt::StringLiterals;
using Level = TrayState::Level;
using GatewayState = RuntimeFacade::GatewayState;

namespace {

Account account(const QString &name)
{
    Account a;
    a.id = QUuid::createUuid();
    a.name = name;
    a.health.state = HealthState::Valid;
    return a;
}

/// The action whose text is `text`, or starts with it and a dash (a pin's health mark).
QAction *findAction(QMenu *menu, const QString &text)
{
    for (QAction *action : menu->actions()) {
        if (action->text() == text || action->text().startsWith(text + u" — "_s))
            return action;
    }
    return nullptr;
}

} // namespace

class TestTrayIcon : public QObject
{
    Q_OBJECT

private slots:
    void stateFromAccounts_data();
    void stateFromAccounts();
    void gatewayStateWins();
    void eachLevelHasItsOwnColour();
    void followsAccountHealth();
    void looksAgainWhenACooldownEnds();
    void menuActsOnTheBackend();
    void pinAndNoticeSurviveARestart();
};

void TestTrayIcon::stateFromAccounts_data()
{
    QTest::addColumn<QList<Account>>("accounts");
    QTest::addColumn<Level>("level");
    QTest::addColumn<int>("usable");

    const QDateTime now = FakeClock::defaultStart();
    Account ok = account(u"ok"_s);
    Account unknown = account(u"new"_s);
    unknown.health.state = HealthState::Unknown;
    Account cooling = account(u"cooling"_s);
    cooling.health.cooldownUntil = now.addSecs(30);
    Account cooled = account(u"cooled"_s);
    cooled.health.cooldownUntil = now.addSecs(-1);
    Account invalid = account(u"invalid"_s);
    invalid.health.state = HealthState::Invalid;
    Account parked = account(u"parked"_s);
    parked.health.state = HealthState::Disabled;
    Account erring = account(u"erring"_s);
    erring.health.errorCount = 1;
    Account off = account(u"off"_s);
    off.enabled = false;
    off.health.state = HealthState::Invalid;

    QTest::newRow("all healthy") << QList {ok, unknown, cooled} << Level::Healthy << 3;
    QTest::newRow("switched off is ignored") << QList {ok, off} << Level::Healthy << 1;
    QTest::newRow("one cooling down") << QList {ok, cooling} << Level::Degraded << 1;
    QTest::newRow("one invalid") << QList {ok, invalid} << Level::Degraded << 1;
    QTest::newRow("one parked") << QList {parked, ok} << Level::Degraded << 1;
    QTest::newRow("one with errors") << QList {ok, erring} << Level::Degraded << 2;
    QTest::newRow("none healthy") << QList {invalid, cooling, parked} << Level::Down << 0;
    QTest::newRow("no accounts") << QList<Account> {} << Level::Down << 0;
    QTest::newRow("only switched off") << QList {off} << Level::Down << 0;
}

void TestTrayIcon::stateFromAccounts()
{
    QFETCH(QList<Account>, accounts);
    QFETCH(Level, level);
    QFETCH(int, usable);
    const TrayState state
        = TrayState::compute(accounts, GatewayState::Running, FakeClock::defaultStart());
    QCOMPARE(state.level, level);
    QCOMPARE(state.usable, usable);
}

void TestTrayIcon::gatewayStateWins()
{
    const QList<Account> accounts {account(u"ok"_s)};
    const QDateTime now = FakeClock::defaultStart();
    QCOMPARE(TrayState::compute(accounts, GatewayState::Stopped, now).level, Level::Stopped);
    QCOMPARE(TrayState::compute(accounts, GatewayState::Starting, now).level, Level::Stopped);
    QCOMPARE(TrayState::compute(accounts, GatewayState::Failed, now).level, Level::Down);
    const TrayState failed = TrayState::compute(accounts, GatewayState::Failed, now);
    QVERIFY(
        failed.summary(GatewayState::Failed, u"Port 1 is busy."_s).contains(u"Port 1 is busy."_s));
}

void TestTrayIcon::eachLevelHasItsOwnColour()
{
    QSet<QRgb> colours;
    for (Level level : {Level::Healthy, Level::Degraded, Level::Down, Level::Stopped})
        colours.insert(TrayState::colour(level).rgb());
    QCOMPARE(colours.size(), 4);
    QCOMPARE(TrayState::colour(Level::Healthy).green() > TrayState::colour(Level::Healthy).red(),
             true);
    QVERIFY(TrayState::colour(Level::Down).red() > 200);
    // The drawn icon carries the colour.
    const QImage image = TrayIcon::iconFor(Level::Down).pixmap(64, 64).toImage();
    QCOMPARE(image.pixelColor(47, 32).rgb(), TrayState::colour(Level::Down).rgb());
}

void TestTrayIcon::followsAccountHealth()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    QSet<QByteArray> rejected {"sk-ant-bad"};
    upstream.setHandler([&rejected](const RecordedRequest &request) {
        return rejected.contains(request.header("x-api-key")) ? ScriptedReply::unauthorized()
                                                              : ScriptedReply::message(u"ok"_s);
    });

    GuiFixture fixture;
    const Account good = fixture.addAccount(u"good"_s, u"sk-ant-good"_s, ProviderKind::Anthropic,
                                            upstream.baseUrl());
    fixture.addAccount(u"bad"_s, u"sk-ant-bad"_s, ProviderKind::Anthropic, upstream.baseUrl());
    QVERIFY(fixture.start());
    TrayIcon tray(fixture.facade());
    TrayNotifier notifier(fixture.facade(), tray.systemTrayIcon());
    QSignalSpy notified(&notifier, &TrayNotifier::notified);
    QCOMPARE(tray.state().enabled, 2);

    fixture.facade().validateAll();
    QTRY_COMPARE(tray.state().level, Level::Degraded);
    // Both answers are in: a check still running would be skipped by the next run.
    QTRY_VERIFY(fixture.facade().lastValidation(good.id).has_value());
    QCOMPARE(tray.state().usable, 1);
    QVERIFY2(tray.toolTip().startsWith(u"Switchboard: No request served yet — 0 requests today"_s),
             qPrintable(tray.toolTip()));
    // The pin menu marks the account that cannot serve, and why.
    auto *pins = tray.menu()->findChild<QMenu *>(u"trayPin"_s);
    QCOMPARE(findAction(pins, u"bad"_s)->text(), u"bad — Invalid key"_s);
    QCOMPARE(findAction(pins, u"good"_s)->text(), u"good"_s);
    QVERIFY2(tray.toolTip().contains(u"1 of 2 account"_s), qPrintable(tray.toolTip()));
    QCOMPARE(tray.systemTrayIcon()->toolTip(), tray.toolTip());
    QTRY_VERIFY(!notified.isEmpty());
    QCOMPARE(notified.first().first().value<Notification>().kind,
             Notification::Kind::AccountInvalidated);

    // The good key is rejected too: nothing can serve, and the user hears it once.
    rejected.insert("sk-ant-good");
    notified.clear();
    fixture.facade().validateAll();
    QTRY_COMPARE(tray.state().level, Level::Down);
    QCOMPARE(tray.state().usable, 0);
    QTRY_VERIFY(std::any_of(notified.cbegin(), notified.cend(), [](const QList<QVariant> &args) {
        return args.first().value<Notification>().kind == Notification::Kind::AllAccountsDown;
    }));

    fixture.facade().stopGateway();
    QTRY_COMPARE(tray.state().level, Level::Stopped);
    QVERIFY(tray.toolTip().contains(u"stopped"_s));
}

void TestTrayIcon::looksAgainWhenACooldownEnds()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    bool rejected = false;
    upstream.setHandler([&rejected](const RecordedRequest &) {
        return rejected ? ScriptedReply::unauthorized() : ScriptedReply::rateLimited(600);
    });
    GuiFixture fixture(GuiFixture::Secrets::File, GuiFixture::Time::Fake);
    FakeClock &clock = *fixture.fakeClock();
    const Account busy = fixture.addAccount(u"busy"_s, u"sk-ant-busy"_s, ProviderKind::Anthropic,
                                            upstream.baseUrl());
    // Before the start, so that they see the check the gateway runs on arrival.
    TrayIcon tray(fixture.facade());
    TrayNotifier notifier(fixture.facade(), tray.systemTrayIcon());
    QSignalSpy notified(&notifier, &TrayNotifier::notified);
    const auto allDownNotices = [&notified] {
        return std::count_if(notified.cbegin(), notified.cend(), [](const QList<QVariant> &args) {
            return args.first().value<Notification>().kind == Notification::Kind::AllAccountsDown;
        });
    };
    QVERIFY(fixture.start());

    // The check is rate limited: nothing can serve until the cooldown ends.
    QTRY_COMPARE(tray.state().level, Level::Down);
    QTRY_COMPARE(allDownNotices(), 1);
    const QDateTime until = fixture.facade().account(busy.id)->health.cooldownUntil;
    QVERIFY(until > clock.now());
    clock.setNow(until.addMSecs(-1));
    QCOMPARE(tray.state().level, Level::Down);
    // Nothing happens when it ends; both look again on their own.
    clock.advance(std::chrono::milliseconds(1));
    QCOMPARE(tray.state().level, Level::Healthy);
    QVERIFY2(tray.toolTip().contains(u"1 of 1 account"_s), qPrintable(tray.toolTip()));

    // So the next outage, past the repeat interval, is news again.
    clock.advance(Notifier::repeatInterval);
    rejected = true;
    fixture.facade().validate(busy.id);
    QTRY_COMPARE(tray.state().level, Level::Down);
    QTRY_COMPARE(allDownNotices(), 2);
}

void TestTrayIcon::menuActsOnTheBackend()
{
    GuiFixture fixture;
    const Account work = fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    fixture.addAccount(u"home"_s, u"sk-ant-test-0002"_s);
    QVERIFY(fixture.start());
    TrayIcon tray(fixture.facade());
    QSignalSpy shown(&tray, &TrayIcon::showWindowRequested);
    QSignalSpy quit(&tray, &TrayIcon::quitRequested);
    QMenu *menu = tray.menu();

    menu->findChild<QAction *>(u"trayOpen"_s)->trigger();
    QCOMPARE(shown.size(), 1);

    auto *strategies = menu->findChild<QMenu *>(u"trayStrategy"_s);
    QVERIFY(strategies);
    QCOMPARE(strategies->actions().size(), 4);
    QVERIFY(findAction(strategies, u"Priority"_s)->isChecked());
    findAction(strategies, u"Round robin"_s)->trigger();
    QTRY_COMPARE(fixture.facade().settings().strategy(), u"round_robin"_s);
    QCOMPARE(fixture.stores().settings().load()->strategy(), u"round_robin"_s);
    QTRY_VERIFY(findAction(strategies, u"Round robin"_s)->isChecked());

    auto *pins = menu->findChild<QMenu *>(u"trayPin"_s);
    QVERIFY(pins);
    QVERIFY(findAction(pins, u"None (automatic routing)"_s)->isChecked());
    findAction(pins, u"work"_s)->trigger();
    QCOMPARE(fixture.facade().pinned(), work.id);
    QTRY_VERIFY(findAction(pins, u"work"_s)->isChecked());
    QVERIFY2(tray.toolTip().contains(u"work · pinned"_s), qPrintable(tray.toolTip()));
    QAction *status = menu->findChild<QAction *>(u"trayStatus"_s);
    QCOMPARE(status->text(), u"work · pinned — 0 requests today"_s);
    QVERIFY(!status->isEnabled());
    findAction(pins, u"None (automatic routing)"_s)->trigger();
    QVERIFY(fixture.facade().pinned().isNull());
    QCOMPARE(status->text(), u"No request served yet — 0 requests today"_s);

    QAction *startStop = menu->findChild<QAction *>(u"trayStartStop"_s);
    QCOMPARE(startStop->text(), u"Stop the local endpoint"_s);
    startStop->trigger();
    QTRY_COMPARE(fixture.facade().gatewayState(), GatewayState::Stopped);
    QCOMPARE(startStop->text(), u"Start the local endpoint"_s);
    QVERIFY(!menu->findChild<QAction *>(u"trayCopyUrl"_s)->isEnabled());
    startStop->trigger();
    QTRY_COMPARE(fixture.facade().gatewayState(), GatewayState::Running);
    // Back to a colour of a running endpoint (the seeded accounts point at a closed port, so
    // a check may already have found them erring).
    QTRY_VERIFY(tray.state().level != Level::Stopped);

    menu->findChild<QAction *>(u"trayQuit"_s)->trigger();
    QCOMPARE(quit.size(), 1);

    if (const QString dir = qEnvironmentVariable("SWITCHBOARD_SCREENSHOT_DIR"); !dir.isEmpty()) {
        menu->adjustSize();
        menu->grab().save(dir + u"/tray-menu.png"_s);
        pins->adjustSize();
        pins->grab().save(dir + u"/tray-menu-pin.png"_s);
        strategies->grab().save(dir + u"/tray-menu-strategy.png"_s);
        TrayIcon::iconFor(Level::Healthy).pixmap(64).save(dir + u"/tray-green.png"_s);
        TrayIcon::iconFor(Level::Degraded).pixmap(64).save(dir + u"/tray-yellow.png"_s);
        TrayIcon::iconFor(Level::Down).pixmap(64).save(dir + u"/tray-red.png"_s);
        TrayIcon::iconFor(Level::Stopped).pixmap(22).save(dir + u"/tray-grey-22.png"_s);
    }
}

void TestTrayIcon::pinAndNoticeSurviveARestart()
{
    GuiFixture fixture;
    const Account work = fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    fixture.addAccount(u"home"_s, u"sk-ant-test-0002"_s);
    QVERIFY(fixture.start());
    {
        TrayIcon tray(fixture.facade());
        findAction(tray.menu()->findChild<QMenu *>(u"trayPin"_s), u"work"_s)->trigger();
        QCOMPARE(fixture.facade().pinned(), work.id);
        QVERIFY(!fixture.facade().uiState().value(UiKeys::toldKeepsServing).toBool());
        tray.windowClosedToTray(); // says it once
        QVERIFY(fixture.facade().uiState().value(UiKeys::toldKeepsServing).toBool());
    }
    QVERIFY(fixture.restart());
    QCOMPARE(fixture.facade().pinned(), work.id);
    QVERIFY(fixture.facade().uiState().value(UiKeys::toldKeepsServing).toBool());
    {
        TrayIcon tray(fixture.facade());
        QVERIFY(findAction(tray.menu()->findChild<QMenu *>(u"trayPin"_s), u"work"_s)->isChecked());
    }

    // Unpinned, it stays unpinned; and a pin whose account is gone is dropped.
    fixture.facade().setPinned({});
    QVERIFY(fixture.restart());
    QVERIFY(fixture.facade().pinned().isNull());
    fixture.facade().uiState().setValue(UiKeys::pinnedAccount, QUuid::createUuid().toString());
    QVERIFY(fixture.restart());
    QVERIFY(fixture.facade().pinned().isNull());
}

QTEST_MAIN(TestTrayIcon)
#include "tst_trayicon.moc"
