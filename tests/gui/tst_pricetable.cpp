// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/usage/pricetable.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// Price table: glob matching, cost math, the JSON file.
class TestPriceTable : public QObject
{
    Q_OBJECT

private slots:
    void patternsMatchWholeModelNamesIgnoringCase_data();
    void patternsMatchWholeModelNamesIgnoringCase();
    void firstMatchWins();
    void costAddsEachTokenKindAtItsPricePerMillion();
    void upstreamModelFirst();
    void estimateCountsUnpriced();
    void jsonRoundTrip();
    void fileMissingGivesDefaults();
    void badFileIsAnError();
};

void TestPriceTable::patternsMatchWholeModelNamesIgnoringCase_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("pattern"); // empty: none
    QTest::newRow("sonnet 4.5") << u"claude-sonnet-4-5-20250929"_s << u"claude-sonnet-4*"_s;
    QTest::newRow("upper case") << u"Claude-Sonnet-4"_s << u"claude-sonnet-4*"_s;
    QTest::newRow("opus 4.1") << u"claude-opus-4-1"_s << u"claude-opus-4*"_s;
    QTest::newRow("opus 4.5") << u"claude-opus-4-5"_s << u"claude-opus-4-5*"_s;
    QTest::newRow("haiku 3.5") << u"claude-3-5-haiku-latest"_s << u"claude-3-5-haiku*"_s;
    QTest::newRow("haiku 4.5") << u"claude-haiku-4-5"_s << u"claude-haiku-4*"_s;
    QTest::newRow("whole name only") << u"my-claude-sonnet-4"_s << QString();
    QTest::newRow("other vendor") << u"gpt-4o"_s << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestPriceTable::patternsMatchWholeModelNamesIgnoringCase()
{
    QFETCH(QString, model);
    QFETCH(QString, pattern);
    const PriceTable table = PriceTable::defaults();
    const ModelPrice *price = table.match(model);
    QCOMPARE(price ? price->pattern : QString(), pattern);
}

void TestPriceTable::firstMatchWins()
{
    const PriceTable table({{u"*"_s, 1, 1, 0, 0}, {u"claude-*"_s, 9, 9, 0, 0}});
    QCOMPARE(table.match(u"claude-x"_s)->pattern, u"*"_s);
    const PriceTable slash({{u"anthropic/claude-?-*"_s, 1, 1, 0, 0}});
    QVERIFY(slash.match(u"anthropic/claude-3-haiku"_s));
    QVERIFY(!slash.match(u"anthropic/claude-37-haiku"_s));
}

void TestPriceTable::costAddsEachTokenKindAtItsPricePerMillion()
{
    const PriceTable table({{u"m"_s, 3, 15, 0.3, 3.75}});
    UsageRecord r;
    r.model = u"m"_s;
    r.tokens.input = 1000000;
    r.tokens.output = 200000;
    r.tokens.cacheRead = 2000000;
    r.tokens.cacheWrite = 400000;
    // 3 + 3 + 0.6 + 1.5
    QCOMPARE(*table.cost(r), 8.1);
}

void TestPriceTable::upstreamModelFirst()
{
    const PriceTable table({{u"cheap"_s, 1, 1, 0, 0}, {u"dear"_s, 10, 10, 0, 0}});
    UsageRecord r;
    r.model = u"dear"_s;
    r.upstreamModel = u"cheap"_s;
    r.tokens.input = 1000000;
    QCOMPARE(*table.cost(r), 1.0);
    r.upstreamModel = u"unknown"_s; // an unpriced mapping falls back to the asked model
    QCOMPARE(*table.cost(r), 10.0);
    r.model = u"unknown"_s;
    QVERIFY(!table.cost(r));
}

void TestPriceTable::estimateCountsUnpriced()
{
    UsageRecord sonnet;
    sonnet.model = u"claude-sonnet-4"_s;
    sonnet.tokens.input = 500000;
    sonnet.tokens.output = 100000;
    UsageRecord gpt = sonnet;
    gpt.model = u"gpt-4o"_s;
    UsageRecord failed; // no tokens: nothing to price
    failed.model = u"gpt-4o"_s;
    const CostEstimate e = PriceTable::defaults().estimate({sonnet, sonnet, gpt, failed});
    QCOMPARE(e.dollars, 2 * (1.5 + 1.5));
    QCOMPARE(e.pricedRequests, 2);
    QCOMPARE(e.unpricedRequests, 1);
}

void TestPriceTable::jsonRoundTrip()
{
    const PriceTable table({{u"claude-x*"_s, 1.5, 2.25, 0.1, 0.2}, {u"other"_s, 0, 0, 0, 0}});
    const auto parsed = PriceTable::fromJson(table.toJson());
    QVERIFY(parsed);
    QCOMPARE(*parsed, table);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"prices.json"_s);
    QVERIFY(table.save(path));
    const auto loaded = PriceTable::load(path);
    QVERIFY(loaded);
    QCOMPARE(*loaded, table);
}

void TestPriceTable::fileMissingGivesDefaults()
{
    QTemporaryDir dir;
    const auto loaded = PriceTable::load(dir.filePath(u"prices.json"_s));
    QVERIFY(loaded);
    QCOMPARE(*loaded, PriceTable::defaults());
}

void TestPriceTable::badFileIsAnError()
{
    QVERIFY(!PriceTable::fromJson("[1, 2]"));
    QVERIFY(!PriceTable::fromJson("not json"));
    QTemporaryDir dir;
    QVERIFY(!PriceTable().save(dir.filePath(u"missing/folder/prices.json"_s)));
}

QTEST_MAIN(TestPriceTable)
#include "tst_pricetable.moc"
