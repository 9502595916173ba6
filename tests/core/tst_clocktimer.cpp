// SPDX-License-Identifier: GPL-3.0-or-later
// ClockTimer on a fake clock (fires exactly when the clock passes its time, in time order,
// seeing now() at its own time) and on the system clock (a QTimer underneath).
#include "core/clocktimer.h"
#include "support/fakeclock.h"

#include <QSignalSpy>
#include <QThread>
#include <QTest>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

class TestClockTimer : public QObject
{
    Q_OBJECT

private slots:
    void singleShotFiresOnceWhenItsTimeIsReached();
    void repeatingTimerFiresOncePerIntervalPassed();
    void timersFireInTimeOrderAndSeeTheirOwnTime();
    void startAtInThePastFiresAtTheNextAdvance();
    void restartMovesTheDueTime();
    void stoppedOrDestroyedTimersNeverFire();
    void timerStartedByATimerFiresInTheSameAdvanceWhenDue();
    void setNowForwardFiresWhatIsDue();
    void singleShotHelperCallsOnceAndCleansUp();
    void singleShotHelperDiesWithItsContext();
    void systemClockTimerRunsOnAQTimer();
    void systemClockStartAtFarAwayStaysArmed();
    void movesToAnotherThreadWithItsObject();
};

void TestClockTimer::singleShotFiresOnceWhenItsTimeIsReached()
{
    FakeClock clock;
    ClockTimer timer(clock);
    timer.setSingleShot(true);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    timer.start(1000ms);
    QCOMPARE(timer.dueAt(), clock.now().addMSecs(1000));
    clock.advance(999ms);
    QCOMPARE(fired.size(), 0);
    QVERIFY(timer.isActive());
    clock.advance(1ms);
    QCOMPARE(fired.size(), 1);
    QVERIFY(!timer.isActive());
    clock.advance(10s);
    QCOMPARE(fired.size(), 1);
    QCOMPARE(clock.activeTimers(), 0);
}

void TestClockTimer::repeatingTimerFiresOncePerIntervalPassed()
{
    FakeClock clock;
    ClockTimer timer(clock);
    QList<QDateTime> times;
    connect(&timer, &ClockTimer::timeout, this, [&] { times << clock.now(); });
    const QDateTime start = clock.now();
    timer.start(100ms);
    clock.advance(350ms);
    QCOMPARE(times, (QList<QDateTime> {start.addMSecs(100), start.addMSecs(200),
                                       start.addMSecs(300)}));
    QCOMPARE(clock.now(), start.addMSecs(350));
    QCOMPARE(timer.dueAt(), start.addMSecs(400));
}

void TestClockTimer::timersFireInTimeOrderAndSeeTheirOwnTime()
{
    FakeClock clock;
    const QDateTime start = clock.now();
    ClockTimer late(clock), early(clock), alsoEarly(clock);
    for (ClockTimer *t : {&late, &early, &alsoEarly})
        t->setSingleShot(true);
    QStringList order;
    connect(&late, &ClockTimer::timeout, this,
            [&] { order << u"late@"_s + QString::number(start.msecsTo(clock.now())); });
    connect(&early, &ClockTimer::timeout, this,
            [&] { order << u"early@"_s + QString::number(start.msecsTo(clock.now())); });
    connect(&alsoEarly, &ClockTimer::timeout, this,
            [&] { order << u"alsoEarly@"_s + QString::number(start.msecsTo(clock.now())); });
    late.start(300ms);
    early.start(100ms);
    alsoEarly.start(100ms); // due with `early`: armed second, fires second
    clock.advance(1s);
    QCOMPARE(order, (QStringList {u"early@100"_s, u"alsoEarly@100"_s, u"late@300"_s}));
}

void TestClockTimer::startAtInThePastFiresAtTheNextAdvance()
{
    FakeClock clock;
    ClockTimer timer(clock);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    timer.startAt(clock.now().addSecs(-5));
    QCOMPARE(fired.size(), 0);
    clock.advance(0ms);
    QCOMPARE(fired.size(), 1);
    QVERIFY(!timer.isActive());

    timer.startAt(clock.now().addSecs(60)); // startAt is always a single shot
    clock.advance(5min);
    QCOMPARE(fired.size(), 2);
}

void TestClockTimer::restartMovesTheDueTime()
{
    FakeClock clock;
    ClockTimer idle(clock);
    idle.setSingleShot(true);
    idle.setInterval(1s);
    QSignalSpy fired(&idle, &ClockTimer::timeout);
    idle.start();
    for (int i = 0; i < 5; ++i) {
        clock.advance(900ms);
        idle.start(); // activity: the idle time counts from here
    }
    QCOMPARE(fired.size(), 0);
    clock.advance(1s);
    QCOMPARE(fired.size(), 1);
}

void TestClockTimer::stoppedOrDestroyedTimersNeverFire()
{
    FakeClock clock;
    ClockTimer stopped(clock);
    QSignalSpy fired(&stopped, &ClockTimer::timeout);
    stopped.start(10ms);
    stopped.stop();
    QVERIFY(!stopped.isActive());
    QVERIFY(!stopped.dueAt().isValid());
    {
        ClockTimer gone(clock);
        gone.start(10ms);
        QCOMPARE(clock.activeTimers(), 1);
    }
    QCOMPARE(clock.activeTimers(), 0);
    clock.advance(1s);
    QCOMPARE(fired.size(), 0);
}

void TestClockTimer::timerStartedByATimerFiresInTheSameAdvanceWhenDue()
{
    FakeClock clock;
    const QDateTime start = clock.now();
    ClockTimer first(clock), second(clock);
    first.setSingleShot(true);
    second.setSingleShot(true);
    QDateTime secondAt;
    connect(&first, &ClockTimer::timeout, this, [&] { second.start(50ms); });
    connect(&second, &ClockTimer::timeout, this, [&] { secondAt = clock.now(); });
    first.start(100ms);
    clock.advance(200ms);
    QCOMPARE(secondAt, start.addMSecs(150));
}

void TestClockTimer::setNowForwardFiresWhatIsDue()
{
    FakeClock clock;
    ClockTimer timer(clock);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    timer.startAt(clock.now().addDays(40)); // beyond a QTimer's range: fine on any clock
    clock.setNow(clock.now().addDays(39));
    QCOMPARE(fired.size(), 0);
    clock.setNow(clock.now().addDays(1));
    QCOMPARE(fired.size(), 1);
}

void TestClockTimer::singleShotHelperCallsOnceAndCleansUp()
{
    FakeClock clock;
    QObject context;
    int calls = 0;
    ClockTimer::singleShot(clock, 5s, &context, [&] { ++calls; });
    clock.advance(4s);
    QCOMPARE(calls, 0);
    clock.advance(1min);
    QCOMPARE(calls, 1);
    QCOMPARE(clock.activeTimers(), 0);
    QTRY_COMPARE(context.findChildren<ClockTimer *>().size(), 0); // deleted later
}

void TestClockTimer::singleShotHelperDiesWithItsContext()
{
    FakeClock clock;
    int calls = 0;
    {
        QObject context;
        ClockTimer::singleShot(clock, 5s, &context, [&] { ++calls; });
        QCOMPARE(clock.activeTimers(), 1);
    }
    QCOMPARE(clock.activeTimers(), 0);
    clock.advance(1min);
    QCOMPARE(calls, 0);
}

void TestClockTimer::systemClockTimerRunsOnAQTimer()
{
    const SystemClock clock;
    ClockTimer timer(clock);
    timer.setSingleShot(true);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    timer.start(1ms);
    QVERIFY(fired.wait());
    QCOMPARE(fired.size(), 1);
    QVERIFY(!timer.isActive());

    timer.startAt(clock.now().addSecs(-1)); // already past: the next turn of the event loop
    QVERIFY(fired.wait());
    QCOMPARE(fired.size(), 2);
}

void TestClockTimer::systemClockStartAtFarAwayStaysArmed()
{
    const SystemClock clock;
    ClockTimer timer(clock);
    QSignalSpy fired(&timer, &ClockTimer::timeout);
    const QDateTime at = clock.now().addDays(60);
    timer.startAt(at);
    QVERIFY(timer.isActive());
    QCOMPARE(timer.dueAt(), at);
    QCoreApplication::processEvents();
    QCOMPARE(fired.size(), 0);
}

void TestClockTimer::movesToAnotherThreadWithItsObject()
{
    const SystemClock clock;
    QThread thread;
    auto *timer = new ClockTimer(clock);
    timer->setSingleShot(true);
    timer->moveToThread(&thread);
    std::atomic<QThread *> firedOn = nullptr;
    connect(timer, &ClockTimer::timeout, timer, [&] { firedOn = QThread::currentThread(); },
            Qt::DirectConnection);
    connect(&thread, &QThread::finished, timer, &QObject::deleteLater);
    thread.start();
    QMetaObject::invokeMethod(timer, [timer] { timer->start(std::chrono::milliseconds(1)); });
    QTRY_VERIFY(firedOn.load() != nullptr);
    QCOMPARE(firedOn.load(), &thread);
    thread.quit();
    thread.wait();
}

QTEST_GUILESS_MAIN(TestClockTimer)
#include "tst_clocktimer.moc"
