// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/localization.h"
#include "gui/usage/pricetabledialog.h"
#include "gui/usage/usagecharts.h"
#include "gui/usage/usagepage.h"
#include "guifixture.h"
#include "support/scriptedupstream.h"

#include <QAreaSeries>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineSeries>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTableWidget>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

/// The usage page on a real runtime: live points from requests through the gateway,
/// history from storage, prices.
class TestUsagePage : public QObject
{
    Q_OBJECT

private slots:
    void liveRequestsReachTheCharts();
    void storedHistoryAfterRestart();
    void withoutRequestsItExplainsInsteadOfCharts();
    void editedPricesChangeTheCostAndAreSaved();
};

namespace {

UsageRecord record(const QDateTime &time, const Account *account, int status, int latency)
{
    UsageRecord r;
    r.time = time;
    if (account) {
        r.accountId = account->id;
        r.accountName = account->name;
    }
    r.model = u"claude-sonnet-4-5"_s;
    r.upstreamModel = r.model;
    r.tokens.input = 1200;
    r.tokens.output = 300;
    r.tokens.cacheRead = 5000;
    r.latencyMs = latency;
    r.firstTokenMs = latency / 3;
    r.status = status;
    r.attempts = 1;
    r.path = account ? u"%1 %2"_s.arg(account->name).arg(status) : QString();
    return r;
}

} // namespace

void TestUsagePage::liveRequestsReachTheCharts()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    GuiFixture fixture;
    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s, ProviderKind::Anthropic,
                       upstream.baseUrl());
    auto key = fixture.stores().accessKeys().create(u"laptop"_s);
    QVERIFY(key);
    QVERIFY(fixture.start());
    UsagePage page(fixture.facade());
    page.resize(1100, 800);
    page.show();
    QTRY_VERIFY(!page.isLoading());
    QVERIFY(page.isShowingEmptyState());

    QCOMPARE(fixture.sendMessages(key->plaintext, 3), (QList<int> {200, 200, 200}));
    QTRY_COMPARE(sumY(page.requestsSeries()), 3.0);
    QCOMPARE(page.requestsSeries()->count(), page.series().bucketCount());
    QVERIFY(!page.isShowingEmptyState());
    QCOMPARE(page.charts()->accountAreas().size(), 1);
    QCOMPARE(page.charts()->accountAreas().at(0)->name(), u"work"_s);
    QCOMPARE(page.series().overall().tokens.input, 3 * 25);
    QCOMPARE(sumY(page.charts()->tokensTotal()), 3.0 * (25 + 12));
    QCOMPARE(page.tileText(u"requests"_s), u"3"_s);
    // Requests on 127.0.0.1 take milliseconds, and say so (not "0.0 s").
    const QString latency = page.tileText(u"latency"_s);
    QVERIFY2(QRegularExpression(u"^\\d+ ms / \\d+ ms$"_s).match(latency).hasMatch(),
             qPrintable(latency));
    // The per-account table follows from storage shortly after.
    QTRY_COMPARE(page.accountsTable()->rowCount(), 1);
    QTRY_COMPARE(page.accountsTable()->item(0, 1)->text(), u"3"_s);

    // Switching the range loads the same requests from storage, in other buckets.
    page.setRange(UsageSeries::Range::Week);
    QVERIFY(page.isLoading());
    QTRY_VERIFY(!page.isLoading());
    QCOMPARE(page.series().bucketCount(), 168);
    QCOMPARE(sumY(page.requestsSeries()), 3.0);
}

void TestUsagePage::storedHistoryAfterRestart()
{
    GuiFixture fixture;
    const Account work = fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    const Account home = fixture.addAccount(u"home"_s, u"sk-ant-test-0002"_s);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<UsageRecord> records;
    for (int i = 0; i < 6; ++i)
        records.append(record(now.addSecs(-60 * (10 + i)), i % 2 ? &home : &work, 200, 1000));
    records.append(record(now.addSecs(-600), nullptr, 503, 20));
    records.append(record(now.addSecs(-3 * 3600), &work, 200, 1000)); // outside the hour
    records[1].thinkingDropped = records[2].thinkingDropped = true;
    QVERIFY(UsageStore(fixture.stores().database()).record(records));
    QVERIFY(fixture.start());

    UsagePage page(fixture.facade());
    page.resize(1100, 800);
    page.show();
    QTRY_VERIFY(!page.isLoading());
    QCOMPARE(sumY(page.requestsSeries()), 7.0);
    QStringList names;
    for (const QAreaSeries *area : page.charts()->accountAreas())
        names.append(area->name());
    names.sort();
    QCOMPARE(names, (QStringList {u"No account"_s, u"home"_s, u"work"_s}));
    QCOMPARE(page.series().overall().errors, 1);
    QCOMPARE(page.accountsTable()->rowCount(), 3);
    QCOMPARE(page.accountsTable()->item(2, 0)->text(), u"No account"_s);
    QCOMPARE(page.tileNote(u"requests"_s), u"2 with thinking dropped after failover"_s);

    page.setRange(UsageSeries::Range::Day);
    QTRY_VERIFY(!page.isLoading());
    QCOMPARE(sumY(page.requestsSeries()), 8.0);
}

void TestUsagePage::withoutRequestsItExplainsInsteadOfCharts()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    UsagePage page(fixture.facade());
    page.show();
    QTRY_VERIFY(!page.isLoading());
    QVERIFY(page.isShowingEmptyState());
    QVERIFY(page.findChild<QLabel *>(u"usageEmptyState"_s)->isVisible());
}

void TestUsagePage::editedPricesChangeTheCostAndAreSaved()
{
    GuiFixture fixture;
    const Account work = fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    UsageRecord r = record(QDateTime::currentDateTimeUtc().addSecs(-60), &work, 200, 500);
    r.tokens.input = 1000000;
    r.tokens.output = 0;
    r.tokens.cacheRead = 0;
    QVERIFY(UsageStore(fixture.stores().database()).record({r}));
    QVERIFY(fixture.start());
    UsagePage page(fixture.facade());
    page.show();
    QTRY_VERIFY(!page.isLoading());
    QCOMPARE(page.cost().dollars, 3.0); // default: sonnet 4 input $3/M
    QCOMPARE(page.tileText(u"cost"_s), u"$3.00"_s);

    PriceTableDialog *dialog = page.editPrices();
    QVERIFY(dialog->isVisible());
    PriceTable edited({{u"claude-sonnet-4*"_s, 5, 15, 0.5, 6}});
    dialog->restoreDefaults();
    QCOMPARE(dialog->prices(), PriceTable::defaults());
    // Edit the table as the user would: remove all rows, add one.
    auto *table = dialog->findChild<QTableWidget *>(u"table"_s);
    table->selectAll();
    dialog->removeSelectedRows();
    QCOMPARE(table->rowCount(), 0);
    QCOMPARE(page.cost().unpricedRequests, 1);
    dialog->addRow();
    table->item(0, 0)->setText(u"claude-sonnet-4*"_s);
    table->item(0, 1)->setData(Qt::EditRole, 5.0);
    QCOMPARE(page.cost().dollars, 5.0);
    QTRY_COMPARE(page.tileText(u"cost"_s), u"$5.00"_s);

    const QString path = QDir(fixture.dataDir()).filePath(u"prices.json"_s);
    QTRY_VERIFY(QFile::exists(path));
    QTRY_COMPARE(PriceTable::load(path)->rows().value(0).input, 5.0);
    dialog->close();
}

QTEST_MAIN(TestUsagePage)
#include "tst_usagepage.moc"
