// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/usagestore.h"
#include "support/fakeclock.h"
#include "support/testdatabase.h"
#include "support/testprinters.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestUsageStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void percentile();
    void totalsPerAccount();
    void minuteAggregates();
    void recentNewestFirst();
    void emptyBatchWritesNothing();

private:
    UsageRecord record(const QUuid &account, const QString &name, int secondsIn, int latencyMs,
                       int status = 200);

    FakeClock m_clock;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<UsageStore> m_store;
    const QUuid m_a = QUuid::createUuid();
    const QUuid m_b = QUuid::createUuid();
};

void TestUsageStore::init()
{
    SWITCHBOARD_REQUIRE_TEST_DATABASE();
    m_clock.setNow(FakeClock::defaultStart());
    auto db = TestDatabase::create(m_clock);
    QVERIFY2(db, qPrintable(errorMessage(db)));
    m_db = std::move(db).value();
    m_store = std::make_unique<UsageStore>(m_db->database());
}

void TestUsageStore::cleanup()
{
    m_store.reset();
    m_db.reset();
}

UsageRecord TestUsageStore::record(const QUuid &account, const QString &name, int secondsIn,
                                   int latencyMs, int status)
{
    UsageRecord r;
    r.time = m_clock.now().addSecs(secondsIn);
    r.accountId = account;
    r.accountName = name;
    r.model = u"claude-sonnet-4-5"_s;
    r.upstreamModel = r.model;
    r.tokens.input = 100;
    r.tokens.output = 10;
    r.tokens.cacheRead = 5;
    r.tokens.cacheWrite = 1;
    r.latencyMs = latencyMs;
    r.firstTokenMs = latencyMs / 2;
    r.status = status;
    r.attempts = 1;
    r.path = name + u" 200"_s;
    return r;
}

void TestUsageStore::percentile()
{
    QCOMPARE(UsageStore::percentile({}, 50), 0);
    QCOMPARE(UsageStore::percentile({7}, 95), 7);
    const QList<int> hundred = [] {
        QList<int> v;
        for (int i = 1; i <= 100; ++i)
            v << i;
        return v;
    }();
    QCOMPARE(UsageStore::percentile(hundred, 50), 50);
    QCOMPARE(UsageStore::percentile(hundred, 95), 95);
    QCOMPARE(UsageStore::percentile({1, 2, 3, 4}, 50), 2);
}

void TestUsageStore::totalsPerAccount()
{
    QList<UsageRecord> batch;
    for (int i = 1; i <= 20; ++i)
        batch << record(m_a, u"A"_s, i, i * 10, i == 20 ? 529 : 200);
    batch << record(m_b, u"B"_s, 5, 999);
    batch << record({}, QString(), 6, 3, 503); // no account answered
    QVERIFY(m_store->record(batch));

    auto totals = m_store->totals(m_clock.now(), m_clock.now().addSecs(3600));
    QVERIFY(totals);
    QCOMPARE(totals->size(), 3);
    const auto a = std::find_if(totals->cbegin(), totals->cend(),
                                [&](const UsageTotals &t) { return t.accountId == m_a; });
    QVERIFY(a != totals->cend());
    QCOMPARE(a->requests, 20);
    QCOMPARE(a->errors, 1);
    QCOMPARE(a->tokens.input, 2000);
    QCOMPARE(a->tokens.output, 200);
    QCOMPARE(a->tokens.cacheRead, 100);
    QCOMPARE(a->tokens.cacheWrite, 20);
    QCOMPARE(a->p50LatencyMs, 100);
    QCOMPARE(a->p95LatencyMs, 190);
    const auto none = std::find_if(totals->cbegin(), totals->cend(),
                                   [](const UsageTotals &t) { return t.accountId.isNull(); });
    QVERIFY(none != totals->cend());
    QCOMPARE(none->errors, 1);

    // The range is half-open and honoured.
    auto later = m_store->totals(m_clock.now().addSecs(10), m_clock.now().addSecs(3600));
    QVERIFY(later);
    const auto aLater = std::find_if(later->cbegin(), later->cend(),
                                     [&](const UsageTotals &t) { return t.accountId == m_a; });
    QCOMPARE(aLater->requests, 11); // seconds 10..20
}

void TestUsageStore::minuteAggregates()
{
    // FakeClock::defaultStart() is on a minute boundary: 0..59 s is one minute, 60 s the next.
    QVERIFY(m_store->record({record(m_a, u"A"_s, 1, 100), record(m_a, u"A"_s, 59, 300, 500),
                             record(m_a, u"A"_s, 61, 50), record(m_b, u"B"_s, 2, 10)}));
    QVERIFY(m_store->record({record(m_a, u"A"_s, 30, 200)})); // folds into the first minute
    auto minutes = m_store->minutes(m_clock.now(), m_clock.now().addSecs(3600));
    QVERIFY(minutes);
    QCOMPARE(minutes->size(), 3);
    const UsageMinute &first = minutes->at(0).accountId == m_a ? minutes->at(0) : minutes->at(1);
    QCOMPARE(first.minute, m_clock.now());
    QCOMPARE(first.requests, 3);
    QCOMPARE(first.errors, 1);
    QCOMPARE(first.tokens.input, 300);
    QCOMPARE(first.latencyMsSum, 600);
    QCOMPARE(minutes->last().minute, m_clock.now().addSecs(60));
    QCOMPARE(minutes->last().requests, 1);
}

void TestUsageStore::recentNewestFirst()
{
    UsageRecord streamed = record(m_b, u"B"_s, 30, 42);
    streamed.stream = true;
    streamed.path = u"A 429 → B 200"_s;
    streamed.attempts = 2;
    streamed.thinkingDropped = true;
    streamed.note = u"thinking dropped: signed by A"_s;
    QVERIFY(m_store->record({record(m_a, u"A"_s, 10, 1), streamed, record(m_a, u"A"_s, 20, 2)}));
    auto recent = m_store->recent(2);
    QVERIFY(recent);
    QCOMPARE(recent->size(), 2);
    QCOMPARE(recent->at(0).time, m_clock.now().addSecs(30));
    QCOMPARE(recent->at(0).path, u"A 429 → B 200"_s);
    QCOMPARE(recent->at(0).attempts, 2);
    QVERIFY(recent->at(0).stream);
    QCOMPARE(recent->at(0).accountId, m_b);
    QCOMPARE(recent->at(0).firstTokenMs, 21);
    QVERIFY(recent->at(0).thinkingDropped);
    QCOMPARE(recent->at(0).note, u"thinking dropped: signed by A"_s);
    QCOMPARE(recent->at(1).time, m_clock.now().addSecs(20));
    QVERIFY(!recent->at(1).thinkingDropped);
    QVERIFY(recent->at(1).note.isEmpty());

    auto totals = m_store->totals(m_clock.now(), m_clock.now().addSecs(3600));
    QVERIFY(totals);
    for (const UsageTotals &t : std::as_const(*totals))
        QCOMPARE(t.thinkingDropped, t.accountId == m_b ? 1 : 0);
}

void TestUsageStore::emptyBatchWritesNothing()
{
    QVERIFY(m_store->record({}));
    auto recent = m_store->recent(10);
    QVERIFY(recent);
    QVERIFY(recent->isEmpty());
}

QTEST_GUILESS_MAIN(TestUsageStore)
#include "tst_usagestore.moc"
