// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/usage/usageseries.h"
#include "gui/usage/usagesummary.h"

#include <QTest>

using namespace Qt::StringLiterals;

/// The usage page's bucketing: windows, bucket sizes, re-bucketing and sliding.
class TestUsageSeries : public QObject
{
    Q_OBJECT

private slots:
    void eachRangeEndsWithTheBucketOfNow_data();
    void eachRangeEndsWithTheBucketOfNow();
    void minutesLandInTheirBucket();
    void rangesRebucketTheSameMinutes();
    void outsideTheWindowIsRejected();
    void advanceSlidesAndDropsOldBuckets();
    void perAccountAndTotals();
    void accountRowsPutNoAccountLast();
    void compactNumbers();
};

namespace {

const QUuid work = QUuid::fromString(u"{11111111-1111-1111-1111-111111111111}"_s);
const QUuid home = QUuid::fromString(u"{22222222-2222-2222-2222-222222222222}"_s);

QDateTime localTime(int day, int hour, int minute, int second = 0)
{
    return QDateTime(QDate(2025, 3, day), QTime(hour, minute, second)).toUTC();
}

UsageMinute minute(const QDateTime &at, const QUuid &account, qint64 requests, qint64 input = 0)
{
    UsageMinute m;
    m.minute = at;
    m.accountId = account;
    m.requests = requests;
    m.tokens.input = input;
    m.latencyMsSum = requests * 1000;
    return m;
}

} // namespace

void TestUsageSeries::eachRangeEndsWithTheBucketOfNow_data()
{
    QTest::addColumn<UsageSeries::Range>("range");
    QTest::addColumn<int>("buckets");
    QTest::addColumn<QDateTime>("lastBucket");
    // "now" is 12 March 14:37:20 local time
    QTest::newRow("hour") << UsageSeries::Range::Hour << 60 << localTime(12, 14, 37);
    QTest::newRow("day") << UsageSeries::Range::Day << 96 << localTime(12, 14, 30);
    QTest::newRow("week") << UsageSeries::Range::Week << 168 << localTime(12, 14, 0);
    QTest::newRow("month") << UsageSeries::Range::Month << 30 << localTime(12, 0, 0);
}

void TestUsageSeries::eachRangeEndsWithTheBucketOfNow()
{
    QFETCH(UsageSeries::Range, range);
    QFETCH(int, buckets);
    QFETCH(QDateTime, lastBucket);
    UsageSeries series;
    series.reset(range, localTime(12, 14, 37, 20));
    QCOMPARE(series.bucketCount(), buckets);
    QCOMPARE(series.bucketStart(buckets - 1), lastBucket);
    QCOMPARE(series.to(), lastBucket.addSecs(UsageSeries::bucketSeconds(range)));
    QCOMPARE(series.from().secsTo(series.to()), UsageSeries::spanSeconds(range));
}

void TestUsageSeries::minutesLandInTheirBucket()
{
    UsageSeries series;
    series.reset(UsageSeries::Range::Day, localTime(12, 14, 37));
    QVERIFY(series.add(minute(localTime(12, 14, 29), work, 2)));
    QVERIFY(series.add(minute(localTime(12, 14, 30), work, 3)));
    QVERIFY(series.add(minute(localTime(12, 14, 36), work, 4)));
    const QList<UsageBucket> buckets = series.buckets(work);
    QCOMPARE(buckets.size(), 96);
    QCOMPARE(buckets.at(94).requests, 2); // 14:15–14:30
    QCOMPARE(buckets.at(95).requests, 7); // 14:30–14:45
}

void TestUsageSeries::rangesRebucketTheSameMinutes()
{
    // The same stored minutes, over the last 2 hours, give the same totals in every range,
    // in fewer buckets as the range grows.
    QList<UsageMinute> minutes;
    for (int i = 0; i < 120; ++i)
        minutes.append(minute(localTime(12, 14, 30).addSecs(-60 * i), i % 3 ? work : home, 1, 10));
    const QDateTime now = localTime(12, 14, 30, 30);
    for (auto [range, inWindow, nonEmpty] : {std::tuple {UsageSeries::Range::Hour, 60, 60},
                                             {UsageSeries::Range::Day, 120, 9},
                                             {UsageSeries::Range::Week, 120, 3},
                                             {UsageSeries::Range::Month, 120, 1}}) {
        UsageSeries series;
        series.reset(range, now);
        for (const UsageMinute &m : minutes)
            series.add(m);
        QCOMPARE(series.overall().requests, inWindow);
        QCOMPARE(series.overall().tokens.input, inWindow * 10);
        int filled = 0;
        for (const UsageBucket &b : series.total())
            filled += b.requests > 0 ? 1 : 0;
        QCOMPARE(filled, nonEmpty);
    }
}

void TestUsageSeries::outsideTheWindowIsRejected()
{
    UsageSeries series;
    series.reset(UsageSeries::Range::Hour, localTime(12, 14, 37));
    QVERIFY(!series.add(minute(localTime(12, 13, 37), work, 1)));
    QVERIFY(series.add(minute(localTime(12, 13, 38), work, 1)));
    QVERIFY(!series.add(minute(localTime(12, 14, 38), work, 1)));
    UsageRecord late;
    late.time = localTime(12, 14, 38);
    QVERIFY(!series.add(late));
    QCOMPARE(series.overall().requests, 1);
}

void TestUsageSeries::advanceSlidesAndDropsOldBuckets()
{
    UsageSeries series;
    series.reset(UsageSeries::Range::Hour, localTime(12, 14, 0));
    series.add(minute(localTime(12, 13, 1), work, 5)); // bucket 0
    series.add(minute(localTime(12, 14, 0), work, 1)); // bucket 59
    QVERIFY(!series.advanceTo(localTime(12, 14, 0, 59)));
    QVERIFY(series.advanceTo(localTime(12, 14, 2)));
    QCOMPARE(series.bucketStart(59), localTime(12, 14, 2));
    QCOMPARE(series.overall().requests, 1); // 13:01 fell off
    QCOMPARE(series.buckets(work).at(57).requests, 1);
    QVERIFY(series.advanceTo(localTime(12, 18, 0)));
    QCOMPARE(series.overall().requests, 0);
    QCOMPARE(series.buckets(work).size(), 60);
}

void TestUsageSeries::perAccountAndTotals()
{
    UsageSeries series;
    series.reset(UsageSeries::Range::Hour, localTime(12, 14, 0));
    UsageRecord failed;
    failed.time = localTime(12, 13, 59, 10);
    failed.status = 529;
    failed.latencyMs = 300;
    UsageRecord ok = failed;
    ok.accountId = home;
    ok.status = 200;
    ok.latencyMs = 900;
    ok.tokens.output = 40;
    QVERIFY(series.add(failed));
    QVERIFY(series.add(ok));
    QCOMPARE(series.accounts(), (QList<QUuid> {QUuid(), home}));
    const UsageBucket b = series.total().at(58);
    QCOMPARE(b.requests, 2);
    QCOMPARE(b.errors, 1);
    QCOMPARE(b.errorRate(), 0.5);
    QCOMPARE(b.averageLatencyMs(), 600);
    QCOMPARE(series.overall(home).tokens.output, 40);
    QCOMPARE(series.buckets(work).size(), 60); // unknown: empty buckets
}

void TestUsageSeries::accountRowsPutNoAccountLast()
{
    UsageTotals none {QUuid(), QString(), 50};
    UsageTotals small {work, u"work"_s, 3};
    UsageTotals big {home, u"home (old name)"_s, 9};
    const auto rows = UsageSummary::accountRows({none, small, big}, {}, PriceTable::defaults(),
                                                {{home, u"home"_s}});
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0).name, u"home"_s);
    QCOMPARE(rows.at(1).name, u"work"_s);
    QCOMPARE(rows.at(2).name, u"No account"_s);
}

void TestUsageSeries::compactNumbers()
{
    QLocale::setDefault(QLocale::c());
    QCOMPARE(UsageSummary::compactNumber(950), u"950"_s);
    QCOMPARE(UsageSummary::compactNumber(12345), u"12.3 k"_s);
    QCOMPARE(UsageSummary::compactNumber(4560000), u"4.56 M"_s);
    QCOMPARE(UsageSummary::dollars(0.004), u"<$0.01"_s);
    QCOMPARE(UsageSummary::dollars(12.3), u"$12.30"_s);
}

QTEST_MAIN(TestUsageSeries)
#include "tst_usageseries.moc"
