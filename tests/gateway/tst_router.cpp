// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateway/router.h"
#include "support/fakeclock.h"
#include "support/testprinters.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString opus = u"claude-opus-4-1"_s;
const QString sonnet = u"claude-sonnet-4-5"_s;

/// An available account; `n` fixes its id, so ties and id orders are predictable.
Account makeAccount(uint n, int tier = 1, int priority = 0)
{
    Account a;
    a.id = QUuid(n, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    a.name = u"account-%1"_s.arg(n);
    a.tier = tier;
    a.priority = priority;
    a.health.state = HealthState::Valid;
    return a;
}

QList<QUuid> ids(std::initializer_list<const Account *> accounts)
{
    QList<QUuid> result;
    for (const Account *a : accounts)
        result.append(a->id);
    return result;
}

RouteRequest request(const QString &model = sonnet, const QString &stickyKey = {})
{
    return {model, stickyKey};
}

std::function<quint32()> seeded(quint32 seed)
{
    return [rng = QRandomGenerator(seed)]() mutable { return rng.generate(); };
}

const QList<Strategy> allStrategies
    = {Strategy::Priority, Strategy::RoundRobin, Strategy::LeastUsed, Strategy::Weighted};

} // namespace

class TestRouter : public QObject
{
    Q_OBJECT

private slots:
    void strategyNamesAreParsed();
    void noEnabledAccountMeansAnEmptyPlan();
    void priorityOrdersByPriorityThenLeastRecentlyUsed();
    void roundRobinEqualShares();
    void roundRobinPerTier();
    void roundRobinInterleavedModels();
    void roundRobinAlongsideStickyRequests();
    void leastUsedOrdersByUsageCountThenLastUse();
    void weightedPutsAccountsFirstInProportionToWeight();
    void weightedThreeAccounts();
    void weightedIsDeterministicWithASeed();
    void lowerTierComesAfterEveryUpperTierAccount();
    void lowerTierOnlyWhenUpperUnavailable_data();
    void lowerTierOnlyWhenUpperUnavailable();
    void pinnedAccountComesFirstWhateverTheStrategy();
    void pinnedUnavailableIsSkipped();
    void allowedModelsMatchExactNamesOrWildcards();
    void stickySessionPutsItsAccountFirst();
    void stickySlidingTtl();
    void stickyUnavailableAccountIsSkipped();
    void stickyTtlZeroDisables();
    void forgetDropsBindingsAndDenials();
    void sessionsAreBounded();
    void restingAccountIsPlannedAgainWhenItsCooldownEnds();
    void halfOpenAccountTakesOneProbeAtATime();
    void halfOpenFollowsThreshold();
    void deniedModelSkipsTheAccountUntilTheDenialEnds();
    void eachAccountAtMostOnce();
    void disabledNeverPlanned();
};

void TestRouter::strategyNamesAreParsed()
{
    QCOMPARE(strategyFromString(u"priority").value(), Strategy::Priority);
    QCOMPARE(strategyFromString(u"round_robin").value(), Strategy::RoundRobin);
    QCOMPARE(strategyFromString(u"least_used").value(), Strategy::LeastUsed);
    QCOMPARE(strategyFromString(u"weighted").value(), Strategy::Weighted);
    QVERIFY(!strategyFromString(u"random").has_value());
    QVERIFY(!strategyFromString(u"").has_value());
}

void TestRouter::noEnabledAccountMeansAnEmptyPlan()
{
    FakeClock clock;
    Router router(clock);
    QVERIFY(router.plan({}, request()).isEmpty());

    Account off = makeAccount(1);
    off.enabled = false;
    QVERIFY(router.plan({off}, request()).isEmpty());
}

void TestRouter::priorityOrdersByPriorityThenLeastRecentlyUsed()
{
    FakeClock clock;
    Router router(clock);
    router.setStrategy(Strategy::Priority);

    Account recent = makeAccount(1, 1, 10);
    recent.health.lastUsed = clock.now().addSecs(-10);
    Account low = makeAccount(2, 1, 5);
    Account older = makeAccount(3, 1, 10);
    older.health.lastUsed = clock.now().addSecs(-100);
    Account never = makeAccount(4, 1, 10);
    Account negative = makeAccount(5, 1, -3);

    const QList<QUuid> expected = ids({&never, &older, &recent, &low, &negative});
    QCOMPARE(router.plan({recent, low, older, never, negative}, request()), expected);
    // The input order does not matter, and planning again gives the same order.
    QCOMPARE(router.plan({negative, never, older, low, recent}, request()), expected);
    QCOMPARE(router.plan({negative, never, older, low, recent}, request()), expected);

    // Using the first one moves it behind its equals.
    never.health.lastUsed = clock.now();
    QCOMPARE(router.plan({recent, low, older, never, negative}, request()),
             ids({&older, &recent, &never, &low, &negative}));
}

void TestRouter::roundRobinEqualShares()
{
    FakeClock clock;
    Router router(clock);
    router.setStrategy(Strategy::RoundRobin);

    // Priorities and usage must not matter to round robin.
    QList<Account> accounts = {makeAccount(3, 1, 100), makeAccount(1), makeAccount(2, 1, -5)};
    accounts[1].health.usageCount = 1000;

    QHash<QUuid, int> first;
    QList<QUuid> previousFirsts;
    for (int i = 0; i < 300; ++i) {
        const QList<QUuid> plan = router.plan(accounts, request());
        QCOMPARE(plan.size(), 3);
        ++first[plan.first()];
        // Three requests in a row start at three different accounts.
        previousFirsts.append(plan.first());
        if (previousFirsts.size() == 3) {
            QCOMPARE(QSet<QUuid>(previousFirsts.cbegin(), previousFirsts.cend()).size(), 3);
            previousFirsts.clear();
        }
        clock.advanceSecs(1);
    }
    QCOMPARE(first.size(), 3);
    for (const Account &a : std::as_const(accounts))
        QCOMPARE(first.value(a.id), 100);
}

void TestRouter::roundRobinPerTier()
{
    FakeClock clock;
    Router router(clock);
    router.setStrategy(Strategy::RoundRobin);

    const QList<Account> accounts = {makeAccount(1, 1), makeAccount(2, 1), makeAccount(3, 1),
                                     makeAccount(4, 2), makeAccount(5, 2)};
    const QSet<QUuid> tier1 = {accounts[0].id, accounts[1].id, accounts[2].id};
    QHash<QUuid, int> first, firstOfTier2;
    for (int i = 0; i < 600; ++i) {
        const QList<QUuid> plan = router.plan(accounts, request());
        QCOMPARE(plan.size(), 5);
        for (int k = 0; k < 3; ++k)
            QVERIFY(tier1.contains(plan[k]));
        ++first[plan[0]];
        ++firstOfTier2[plan[3]];
    }
    for (int k = 0; k < 3; ++k)
        QCOMPARE(first.value(accounts[k].id), 200);
    QCOMPARE(firstOfTier2.value(accounts[3].id), 300);
    QCOMPARE(firstOfTier2.value(accounts[4].id), 300);
}

void TestRouter::roundRobinInterleavedModels()
{
    // Claude Code interleaves requests for several models. Requests for a model only one
    // account serves must not decide who is first for the others.
    FakeClock clock;
    Router router(clock);
    router.setStrategy(Strategy::RoundRobin);

    const Account both = makeAccount(1);
    Account sonnetOnly = makeAccount(2);
    sonnetOnly.allowedModels = {sonnet};
    const QList<Account> accounts = {both, sonnetOnly};

    QHash<QUuid, int> first;
    for (int i = 0; i < 100; ++i) {
        ++first[router.plan(accounts, request(sonnet)).first()];
        QCOMPARE(router.plan(accounts, request(opus)), ids({&both}));
    }
    QCOMPARE(first.value(both.id), 50);
    QCOMPARE(first.value(sonnetOnly.id), 50);
}

void TestRouter::roundRobinAlongsideStickyRequests()
{
    // Requests of a sticky session take their account out of the rotation; they must not
    // steer the requests without a session onto one account.
    FakeClock clock;
    Router router(clock);
    router.setStrategy(Strategy::RoundRobin);
    router.setStickyTtl(600);

    const QList<Account> accounts = {makeAccount(1), makeAccount(2), makeAccount(3)};
    router.bindSession(u"s"_s, accounts[2].id);

    QHash<QUuid, int> first;
    for (int i = 0; i < 300; ++i) {
        ++first[router.plan(accounts, request(sonnet)).first()];
        for (int k = 0; k < 2; ++k)
            QCOMPARE(router.plan(accounts, request(sonnet, u"s"_s)).first(), accounts[2].id);
    }
    for (const Account &a : accounts)
        QCOMPARE(first.value(a.id), 100);
}

void TestRouter::leastUsedOrdersByUsageCountThenLastUse()
{
    FakeClock clock;
    Router router(clock);
    router.setStrategy(Strategy::LeastUsed);

    Account five = makeAccount(1, 1, 100);
    five.health.usageCount = 5;
    Account one = makeAccount(2);
    one.health.usageCount = 1;
    Account three = makeAccount(3);
    three.health.usageCount = 3;
    Account zero = makeAccount(4, 1, -100);

    QCOMPARE(router.plan({five, one, three, zero}, request()), ids({&zero, &one, &three, &five}));

    // Equal counts: the least recently used first.
    Account threeRecent = makeAccount(5);
    threeRecent.health.usageCount = 3;
    threeRecent.health.lastUsed = clock.now();
    three.health.lastUsed = clock.now().addSecs(-60);
    QCOMPARE(router.plan({threeRecent, five, three}, request()),
             ids({&three, &threeRecent, &five}));
}

void TestRouter::weightedPutsAccountsFirstInProportionToWeight()
{
    FakeClock clock;
    Router router(clock, seeded(20250314));
    router.setStrategy(Strategy::Weighted);

    Account light = makeAccount(1);
    light.weight = 1;
    Account heavy = makeAccount(2);
    heavy.weight = 3;
    const QList<Account> accounts = {light, heavy};

    constexpr int plans = 20000;
    int heavyFirst = 0;
    for (int i = 0; i < plans; ++i) {
        const QList<QUuid> plan = router.plan(accounts, request());
        QCOMPARE(plan.size(), 2); // the other account is still there to fail over to
        if (plan.first() == heavy.id)
            ++heavyFirst;
    }
    const double share = double(heavyFirst) / plans;
    // 75% expected; the standard deviation is 0.3%, so 2% is far outside chance.
    QVERIFY2(share > 0.73 && share < 0.77, qPrintable(u"heavy share %1"_s.arg(share)));
}

void TestRouter::weightedThreeAccounts()
{
    FakeClock clock;
    Router router(clock, seeded(7));
    router.setStrategy(Strategy::Weighted);

    QList<Account> accounts = {makeAccount(1), makeAccount(2), makeAccount(3)};
    accounts[0].weight = 1;
    accounts[1].weight = 2;
    accounts[2].weight = 7;

    constexpr int plans = 20000;
    QHash<QUuid, int> first;
    for (int i = 0; i < plans; ++i)
        ++first[router.plan(accounts, request()).first()];
    const double expected[] = {0.1, 0.2, 0.7};
    for (int k = 0; k < 3; ++k) {
        const double share = double(first.value(accounts[k].id)) / plans;
        QVERIFY2(qAbs(share - expected[k]) < 0.02,
                 qPrintable(u"account %1 share %2"_s.arg(k).arg(share)));
    }
}

void TestRouter::weightedIsDeterministicWithASeed()
{
    FakeClock clock;
    Router a(clock, seeded(99));
    Router b(clock, seeded(99));
    a.setStrategy(Strategy::Weighted);
    b.setStrategy(Strategy::Weighted);

    QList<Account> accounts = {makeAccount(1), makeAccount(2), makeAccount(3)};
    accounts[1].weight = 5;
    for (int i = 0; i < 50; ++i)
        QCOMPARE(a.plan(accounts, request()), b.plan(accounts, request()));
}

void TestRouter::lowerTierComesAfterEveryUpperTierAccount()
{
    FakeClock clock;
    for (const Strategy strategy : allStrategies) {
        Router router(clock, seeded(1));
        router.setStrategy(strategy);

        // Tier 2 accounts look better in every respect, and still come last.
        Account t1a = makeAccount(10, 1, -10);
        t1a.health.usageCount = 100;
        Account t1b = makeAccount(11, 1, -20);
        t1b.health.usageCount = 200;
        Account t2 = makeAccount(1, 2, 1000);
        t2.weight = 1000;
        Account t3 = makeAccount(2, 3, 1000);

        for (int i = 0; i < 20; ++i) {
            const QList<QUuid> plan = router.plan({t3, t2, t1a, t1b}, request());
            QCOMPARE(plan.size(), 4);
            QVERIFY(QSet<QUuid>(plan.cbegin(), plan.cbegin() + 2) == QSet<QUuid>({t1a.id, t1b.id}));
            QCOMPARE(plan[2], t2.id);
            QCOMPARE(plan[3], t3.id);
        }
    }
}

void TestRouter::lowerTierOnlyWhenUpperUnavailable_data()
{
    QTest::addColumn<QString>("trouble");
    QTest::newRow("cooling down") << u"cooldown"_s;
    QTest::newRow("invalid") << u"invalid"_s;
    QTest::newRow("disabled by user") << u"disabled"_s;
    QTest::newRow("parked") << u"parked"_s;
    QTest::newRow("parked until later") << u"parked until"_s;
    QTest::newRow("circuit open") << u"circuit"_s;
    QTest::newRow("model not allowed") << u"model"_s;
}

void TestRouter::lowerTierOnlyWhenUpperUnavailable()
{
    QFETCH(QString, trouble);
    FakeClock clock;
    Router router(clock);

    const Account t1a = makeAccount(1, 1);
    const Account t1b = makeAccount(2, 1);
    const Account t2 = makeAccount(3, 2);

    auto spoil = [&](Account a) {
        if (trouble == u"cooldown") {
            a.health.cooldownUntil = clock.now().addSecs(30);
        } else if (trouble == u"invalid") {
            a.health.state = HealthState::Invalid;
        } else if (trouble == u"disabled") {
            a.enabled = false;
        } else if (trouble == u"parked") {
            a.health.state = HealthState::Disabled;
        } else if (trouble == u"parked until") {
            a.health.state = HealthState::Disabled;
            a.health.cooldownUntil = clock.now().addDays(10);
        } else if (trouble == u"circuit") {
            a.health.errorCount = 3;
            a.health.cooldownUntil = clock.now().addSecs(120);
        } else if (trouble == u"model") {
            a.allowedModels = {opus};
        }
        return a;
    };

    // One tier-1 account left: it still comes before tier 2.
    QCOMPARE(router.plan({t2, spoil(t1a), t1b}, request()), ids({&t1b, &t2}));
    // None left: tier 2 is first.
    QCOMPARE(router.plan({t2, spoil(t1a), spoil(t1b)}, request()), ids({&t2}));
}

void TestRouter::pinnedAccountComesFirstWhateverTheStrategy()
{
    FakeClock clock;
    for (const Strategy strategy : allStrategies) {
        Router router(clock, seeded(3));
        router.setStrategy(strategy);

        Account high = makeAccount(1, 1, 10);
        Account low = makeAccount(2, 1, -10);
        low.health.usageCount = 1000;
        low.weight = 1;
        high.weight = 1000;
        Account lowerTier = makeAccount(3, 2, -10);
        const QList<Account> accounts = {high, low, lowerTier};

        router.setPinned(low.id);
        QCOMPARE(router.pinned(), low.id);
        for (int i = 0; i < 10; ++i) {
            const QList<QUuid> plan = router.plan(accounts, request());
            QCOMPARE(plan.size(), 3);
            QCOMPARE(plan.first(), low.id);
            QCOMPARE(plan.count(low.id), 1);
        }

        // Pinning beats tiers too.
        router.setPinned(lowerTier.id);
        QCOMPARE(router.plan(accounts, request()).first(), lowerTier.id);

        router.setPinned({});
        QVERIFY(router.pinned().isNull());
        if (strategy == Strategy::Priority)
            QCOMPARE(router.plan(accounts, request()), ids({&high, &low, &lowerTier}));
        QCOMPARE(router.plan(accounts, request()).last(), lowerTier.id);
    }
}

void TestRouter::pinnedUnavailableIsSkipped()
{
    FakeClock clock;
    Router router(clock);

    const Account a = makeAccount(1, 1, 10);
    Account pinned = makeAccount(2, 1, 0);
    const Account b = makeAccount(3, 1, 5);
    router.setPinned(pinned.id);

    pinned.health.cooldownUntil = clock.now().addSecs(60);
    QCOMPARE(router.plan({a, pinned, b}, request()), ids({&a, &b}));

    pinned.health.cooldownUntil = {};
    pinned.health.state = HealthState::Invalid;
    QCOMPARE(router.plan({a, pinned, b}, request()), ids({&a, &b}));

    pinned.health.state = HealthState::Valid;
    pinned.allowedModels = {opus};
    QCOMPARE(router.plan({a, pinned, b}, request(sonnet)), ids({&a, &b}));
    QCOMPARE(router.plan({a, pinned, b}, request(opus)), ids({&pinned, &a, &b}));

    // A pinned account that no longer exists is ignored.
    router.setPinned(QUuid(99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    QCOMPARE(router.plan({a, b}, request()), ids({&a, &b}));
}

void TestRouter::allowedModelsMatchExactNamesOrWildcards()
{
    FakeClock clock;
    Router router(clock);

    Account sonnetOnly = makeAccount(1, 1, 30);
    sonnetOnly.allowedModels = {u"claude-sonnet-*"_s};
    Account opusExact = makeAccount(2, 1, 20);
    opusExact.allowedModels = {opus};
    Account all = makeAccount(3, 1, 10);
    Account listed = makeAccount(4, 1, 0);
    listed.allowedModels = {u"claude-haiku-*"_s, u"claude-opus-*"_s};
    const QList<Account> accounts = {sonnetOnly, opusExact, all, listed};

    QCOMPARE(router.plan(accounts, request(sonnet)), ids({&sonnetOnly, &all}));
    QCOMPARE(router.plan(accounts, request(opus)), ids({&opusExact, &all, &listed}));
    QCOMPARE(router.plan(accounts, request(u"claude-opus-4"_s)), ids({&all, &listed}));
    QCOMPARE(router.plan(accounts, request(u"claude-3-5-haiku-latest"_s)), ids({&all}));
    // Matching is exact: no prefix match, no case folding.
    QCOMPARE(router.plan(accounts, request(u"Claude-Sonnet-4-5"_s)), ids({&all}));
    QCOMPARE(router.plan(accounts, request(u"claude-opus-4-1-20250805"_s)), ids({&all, &listed}));

    QVERIFY(Router::servesModel(all, u"anything"_s));
    QVERIFY(Router::servesModel(sonnetOnly, u"claude-sonnet-"_s));
    QVERIFY(!Router::servesModel(sonnetOnly, u"claude-sonnet"_s));
}

void TestRouter::stickySessionPutsItsAccountFirst()
{
    FakeClock clock;
    Router router(clock);
    router.setStickyTtl(600);

    const Account a = makeAccount(1, 1, 10);
    const Account b = makeAccount(2, 1, 5);
    const Account c = makeAccount(3, 2, 0);
    const QList<Account> accounts = {a, b, c};

    router.bindSession(u"user-1"_s, b.id);
    QCOMPARE(router.plan(accounts, request(sonnet, u"user-1"_s)), ids({&b, &a, &c}));
    // Other keys and no key follow the strategy.
    QCOMPARE(router.plan(accounts, request(sonnet, u"user-2"_s)), ids({&a, &b, &c}));
    QCOMPARE(router.plan(accounts, request(sonnet)), ids({&a, &b, &c}));

    // A session bound to a lower tier stays there.
    router.bindSession(u"user-2"_s, c.id);
    QCOMPARE(router.plan(accounts, request(sonnet, u"user-2"_s)), ids({&c, &a, &b}));

    // Pinning beats the session.
    router.setPinned(a.id);
    QCOMPARE(router.plan(accounts, request(sonnet, u"user-2"_s)), ids({&a, &c, &b}));
}

void TestRouter::stickySlidingTtl()
{
    FakeClock clock;
    Router router(clock);
    router.setStickyTtl(600);

    const Account a = makeAccount(1, 1, 10);
    const Account b = makeAccount(2, 1, 5);
    const QList<Account> accounts = {a, b};
    const RouteRequest sticky = request(sonnet, u"session"_s);

    router.bindSession(u"session"_s, b.id);
    // Each use keeps it alive for another TTL, far beyond the first TTL.
    for (int i = 0; i < 5; ++i) {
        clock.advanceSecs(599);
        QCOMPARE(router.plan(accounts, sticky).first(), b.id);
    }
    // A TTL without use ends it.
    clock.advanceSecs(600);
    QCOMPARE(router.plan(accounts, sticky).first(), a.id);
    // And it stays ended.
    QCOMPARE(router.plan(accounts, sticky).first(), a.id);

    // Binding again starts a new session.
    router.bindSession(u"session"_s, b.id);
    clock.advanceSecs(300);
    QCOMPARE(router.plan(accounts, sticky).first(), b.id);
}

void TestRouter::stickyUnavailableAccountIsSkipped()
{
    FakeClock clock;
    Router router(clock);
    router.setStickyTtl(600);

    const Account a = makeAccount(1, 1, 10);
    Account b = makeAccount(2, 1, 5);
    const Account c = makeAccount(3, 1, 0);
    const RouteRequest sticky = request(sonnet, u"session"_s);

    router.bindSession(u"session"_s, b.id);
    b.health.cooldownUntil = clock.now().addSecs(30);
    QCOMPARE(router.plan({a, b, c}, sticky), ids({&a, &c}));

    // The cooldown ends: the session is back on its account.
    clock.advanceSecs(30);
    QCOMPARE(router.plan({a, b, c}, sticky), ids({&b, &a, &c}));

    // b fails for good; the gateway rebinds the session where it succeeded.
    b.health.state = HealthState::Invalid;
    QCOMPARE(router.plan({a, b, c}, sticky), ids({&a, &c}));
    router.bindSession(u"session"_s, c.id);
    QCOMPARE(router.plan({a, b, c}, sticky), ids({&c, &a}));

    // b comes back: the session stays on c.
    b.health.state = HealthState::Valid;
    QCOMPARE(router.plan({a, b, c}, sticky), ids({&c, &a, &b}));

    // The bound account no longer serves the model: skipped for that model only.
    Account c2 = c;
    c2.allowedModels = {opus};
    QCOMPARE(router.plan({a, b, c2}, sticky), ids({&a, &b}));
    QCOMPARE(router.plan({a, b, c2}, request(opus, u"session"_s)), ids({&c2, &a, &b}));
}

void TestRouter::stickyTtlZeroDisables()
{
    FakeClock clock;
    Router router(clock);
    const Account a = makeAccount(1, 1, 10);
    const Account b = makeAccount(2, 1, 5);
    const RouteRequest sticky = request(sonnet, u"session"_s);

    router.setStickyTtl(0);
    router.bindSession(u"session"_s, b.id);
    QCOMPARE(router.plan({a, b}, sticky), ids({&a, &b}));

    // A binding made while stickiness was on is ignored once it is off.
    router.setStickyTtl(600);
    router.bindSession(u"session"_s, b.id);
    QCOMPARE(router.plan({a, b}, sticky), ids({&b, &a}));
    router.setStickyTtl(0);
    QCOMPARE(router.plan({a, b}, sticky), ids({&a, &b}));

    // An empty key never binds.
    router.setStickyTtl(600);
    router.bindSession(QString(), b.id);
    QCOMPARE(router.plan({a, b}, request(sonnet, QString())), ids({&a, &b}));
}

void TestRouter::forgetDropsBindingsAndDenials()
{
    FakeClock clock;
    Router router(clock);
    router.setStickyTtl(600);

    const Account a = makeAccount(1, 1, 10);
    const Account b = makeAccount(2, 1, 5);

    router.bindSession(u"s1"_s, b.id);
    router.bindSession(u"s2"_s, b.id);
    router.bindSession(u"s3"_s, a.id);
    router.denyModel(b.id, opus, clock.now().addSecs(3600));
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s1"_s)), ids({&b, &a}));
    QCOMPARE(router.plan({a, b}, request(opus)), ids({&a}));

    router.forget(b.id);
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s1"_s)), ids({&a, &b}));
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s2"_s)), ids({&a, &b}));
    QCOMPARE(router.plan({a, b}, request(opus)), ids({&a, &b}));

    // Other accounts' bindings stay.
    const Account top = makeAccount(3, 1, 100);
    QCOMPARE(router.plan({a, b, top}, request(sonnet, u"s3"_s)), ids({&a, &top, &b}));
}

void TestRouter::sessionsAreBounded()
{
    FakeClock clock;
    Router router(clock);
    router.setStickyTtl(600);

    const Account a = makeAccount(1, 1, 10);
    const Account b = makeAccount(2, 1, 5);
    // 10,000 live sessions, one millisecond apart: the table is full.
    for (int i = 0; i < 10000; ++i) {
        router.bindSession(u"s%1"_s.arg(i), b.id);
        clock.advance(std::chrono::milliseconds(1));
    }
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s0"_s)).first(), b.id);
    clock.advance(std::chrono::milliseconds(1));

    // One more: the oldest half goes, the newer half and the new one stay.
    router.bindSession(u"new"_s, b.id);
    QCOMPARE(router.plan({a, b}, request(sonnet, u"new"_s)).first(), b.id);
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s9999"_s)).first(), b.id);
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s6000"_s)).first(), b.id);
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s1"_s)).first(), a.id);
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s4000"_s)).first(), a.id);
    // s0 was used just before the table filled up: it counts as recent.
    QCOMPARE(router.plan({a, b}, request(sonnet, u"s0"_s)).first(), b.id);
}

void TestRouter::restingAccountIsPlannedAgainWhenItsCooldownEnds()
{
    FakeClock clock;
    Router router(clock);

    Account a = makeAccount(1, 1, 10);
    const Account b = makeAccount(2, 1, 5);
    a.health.cooldownUntil = clock.now().addSecs(30);

    QCOMPARE(router.plan({a, b}, request()), ids({&b}));
    clock.advanceSecs(29);
    QCOMPARE(router.plan({a, b}, request()), ids({&b}));
    clock.advance(std::chrono::milliseconds(999));
    QCOMPARE(router.plan({a, b}, request()), ids({&b}));
    clock.advance(std::chrono::milliseconds(1));
    QCOMPARE(router.plan({a, b}, request()), ids({&a, &b}));
    clock.advanceSecs(3600);
    QCOMPARE(router.plan({a, b}, request()), ids({&a, &b}));
}

void TestRouter::halfOpenAccountTakesOneProbeAtATime()
{
    FakeClock clock;
    Router router(clock);
    router.setErrorThreshold(3);

    Account tripped = makeAccount(1, 1, 10);
    tripped.health.errorCount = 3;
    tripped.health.cooldownUntil = clock.now().addSecs(120);
    const Account other = makeAccount(2, 1, 0);

    // The circuit is open: left out.
    QCOMPARE(router.plan({tripped, other}, request()), ids({&other}));

    // The rest is over: planned, and one request may probe it.
    clock.advanceSecs(120);
    QCOMPARE(router.plan({tripped, other}, request()), ids({&tripped, &other}));
    QVERIFY(router.beginAttempt(tripped));

    // While the probe runs, a concurrent request neither plans nor gets it.
    QCOMPARE(router.plan({tripped, other}, request()), ids({&other}));
    QVERIFY(!router.beginAttempt(tripped));
    QVERIFY(!router.beginAttempt(tripped));
    // Healthy accounts are never limited to one request at a time.
    QVERIFY(router.beginAttempt(other));
    QVERIFY(router.beginAttempt(other));

    // The probe ends: the slot is free again.
    router.endAttempt(tripped.id);
    QCOMPARE(router.plan({tripped, other}, request()), ids({&tripped, &other}));
    QVERIFY(router.beginAttempt(tripped));
    router.endAttempt(tripped.id);

    // The probe succeeded and the errors were reset: no limit any more.
    tripped.health.errorCount = 0;
    QVERIFY(router.beginAttempt(tripped));
    QVERIFY(router.beginAttempt(tripped));
    QCOMPARE(router.plan({tripped, other}, request()), ids({&tripped, &other}));
}

void TestRouter::halfOpenFollowsThreshold()
{
    FakeClock clock;
    Router router(clock);

    Account a = makeAccount(1);
    a.health.errorCount = 3;
    router.setErrorThreshold(5);
    QVERIFY(router.beginAttempt(a));
    QVERIFY(router.beginAttempt(a));
    QCOMPARE(router.plan({a}, request()), ids({&a}));

    router.setErrorThreshold(3);
    QVERIFY(router.beginAttempt(a));
    QVERIFY(!router.beginAttempt(a));
    QVERIFY(router.plan({a}, request()).isEmpty());
    // forget() releases a stuck probe slot too.
    router.forget(a.id);
    QCOMPARE(router.plan({a}, request()), ids({&a}));
}

void TestRouter::deniedModelSkipsTheAccountUntilTheDenialEnds()
{
    FakeClock clock;
    Router router(clock);

    const Account a = makeAccount(1, 1, 10);
    const Account b = makeAccount(2, 1, 5);
    router.denyModel(a.id, opus, clock.now().addSecs(3600));

    QCOMPARE(router.plan({a, b}, request(opus)), ids({&b}));
    QCOMPARE(router.plan({a, b}, request(sonnet)), ids({&a, &b}));

    // Pinning does not override a denial: the upstream said no.
    router.setPinned(a.id);
    QCOMPARE(router.plan({a, b}, request(opus)), ids({&b}));
    router.setPinned({});

    clock.advanceSecs(3599);
    QCOMPARE(router.plan({a, b}, request(opus)), ids({&b}));
    clock.advanceSecs(1);
    QCOMPARE(router.plan({a, b}, request(opus)), ids({&a, &b}));

    // A later denial replaces the earlier one.
    router.denyModel(a.id, opus, clock.now().addSecs(10));
    router.denyModel(a.id, sonnet, clock.now().addSecs(20));
    QCOMPARE(router.plan({a, b}, request(opus)), ids({&b}));
    QCOMPARE(router.plan({a, b}, request(sonnet)), ids({&b}));
    clock.advanceSecs(10);
    QCOMPARE(router.plan({a, b}, request(opus)), ids({&a, &b}));
    QCOMPARE(router.plan({a, b}, request(sonnet)), ids({&b}));
}

void TestRouter::eachAccountAtMostOnce()
{
    FakeClock clock;
    for (const Strategy strategy : allStrategies) {
        Router router(clock, seeded(11));
        router.setStrategy(strategy);
        router.setStickyTtl(600);

        QList<Account> accounts;
        for (uint n = 1; n <= 6; ++n)
            accounts.append(makeAccount(n, 1 + int(n % 3), int(n)));
        // Pinned and bound to the same account, which also sits in its tier.
        router.setPinned(accounts[2].id);
        router.bindSession(u"s"_s, accounts[2].id);

        for (int i = 0; i < 20; ++i) {
            const QList<QUuid> plan = router.plan(accounts, request(sonnet, u"s"_s));
            QCOMPARE(plan.size(), accounts.size());
            QCOMPARE(QSet<QUuid>(plan.cbegin(), plan.cend()).size(), accounts.size());
            QCOMPARE(plan.first(), accounts[2].id);
        }
        // Bound to another account than the pinned one: pinned, then bound, then the rest.
        router.bindSession(u"s"_s, accounts[4].id);
        const QList<QUuid> plan = router.plan(accounts, request(sonnet, u"s"_s));
        QCOMPARE(plan.size(), accounts.size());
        QCOMPARE(QSet<QUuid>(plan.cbegin(), plan.cend()).size(), accounts.size());
        QCOMPARE(plan[0], accounts[2].id);
        QCOMPARE(plan[1], accounts[4].id);
    }
}

void TestRouter::disabledNeverPlanned()
{
    FakeClock clock;
    for (const Strategy strategy : allStrategies) {
        Router router(clock, seeded(5));
        router.setStrategy(strategy);
        router.setStickyTtl(600);

        Account off = makeAccount(1, 1, 1000);
        off.enabled = false;
        off.weight = 1000;
        const Account on = makeAccount(2, 2, -1000);

        router.setPinned(off.id);
        router.bindSession(u"s"_s, off.id);
        for (int i = 0; i < 20; ++i) {
            QCOMPARE(router.plan({off, on}, request(sonnet, u"s"_s)), ids({&on}));
            QCOMPARE(router.plan({off, on}, request(opus)), ids({&on}));
        }
    }
}

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
