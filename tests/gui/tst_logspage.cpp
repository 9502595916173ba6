// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/clock.h"
#include "core/localization.h"
#include "core/settingsstore.h"
#include "gui/logs/logexport.h"
#include "gui/logs/logfiltermodel.h"
#include "gui/logs/logformat.h"
#include "gui/logs/logmodel.h"
#include "gui/logs/logspage.h"
#include "guifixture.h"
#include "support/scriptedupstream.h"

#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

/// The logs page on a real runtime: live rows from the gateway, filters, details, bodies
/// from the debug log, export.
class TestLogsPage : public QObject
{
    Q_OBJECT

private slots:
    void liveRowsWithFailoverPath();
    void filtersByStatusAccountAndTextAndSortsNumbers();
    void exportFileContent();
    void bodiesFromTheDebugLog();
    void fieldsReadAsTextAndStatusesGetTheirColour();
    void oldestRowsFallOffAtCapacity();
    void columnsReadAtAGlanceAndAreRemembered();
    void refusedClientsAreRows();
};

namespace {

QString cell(const LogsPage &page, int row, int column)
{
    return page.table()->model()->index(row, column).data().toString();
}

UsageRecord record(int minutesAgo, const QString &account, int status, const QString &model)
{
    UsageRecord r;
    r.time = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
    if (!account.isEmpty()) {
        r.accountId = QUuid::createUuidV5(QUuid(), account);
        r.accountName = account;
    }
    r.model = model;
    r.status = status;
    r.attempts = 1;
    r.latencyMs = 1000 + minutesAgo;
    r.tokens.input = 100;
    r.tokens.output = 10;
    return r;
}

/// A log page on a fixture whose usage log holds `records`.
struct Seeded
{
    GuiFixture fixture;
    std::unique_ptr<LogsPage> page;

    explicit Seeded(const QList<UsageRecord> &records)
    {
        if (!UsageStore(fixture.stores().database()).record(records) || !fixture.start())
            qFatal("Cannot seed the usage log");
        page = std::make_unique<LogsPage>(fixture.facade());
        page->resize(1100, 600);
        page->show();
    }
};

} // namespace

void TestLogsPage::liveRowsWithFailoverPath()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    GuiFixture fixture;
    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s, ProviderKind::Anthropic,
                       upstream.baseUrl());
    fixture.addAccount(u"home"_s, u"sk-ant-test-0002"_s, ProviderKind::Anthropic,
                       upstream.baseUrl());
    auto key = fixture.stores().accessKeys().create(u"laptop"_s);
    QVERIFY(key);
    QVERIFY(fixture.start());
    LogsPage page(fixture.facade());
    page.show();
    QTRY_VERIFY(!page.isLoading());
    QCOMPARE(page.table()->model()->rowCount(), 0);

    QCOMPARE(fixture.sendMessages(key->plaintext, 2), (QList<int> {200, 200}));
    QTRY_COMPARE(page.table()->model()->rowCount(), 2);
    const QString first = cell(page, 0, LogModel::Account);
    QVERIFY2(first == u"work"_s || first == u"home"_s, qPrintable(first));
    QCOMPARE(cell(page, 0, LogModel::Client), u"laptop"_s);
    QCOMPARE(cell(page, 0, LogModel::Status), u"200"_s);
    QCOMPARE(cell(page, 0, LogModel::Model), u"claude-sonnet-4-5"_s);
    QCOMPARE(cell(page, 0, LogModel::Tokens), u"25 in · 12 out"_s);
    QCOMPARE(page.table()->model()->index(0, LogModel::Status).data(Qt::ForegroundRole),
             QVariant(StatusPalette().color(StatusPalette::Role::Good)));

    // A rate limit on the first try: the row shows the failover path.
    upstream.enqueue(ScriptedReply::rateLimited(30));
    QCOMPARE(fixture.sendMessages(key->plaintext, 1), QList<int> {200});
    QTRY_COMPARE(page.table()->model()->rowCount(), 3);
    const QString attempts = cell(page, 0, LogModel::Attempts);
    QVERIFY2(attempts.startsWith(u"2: "_s) && attempts.contains(u" 429 → "_s)
                 && attempts.endsWith(u" 200"_s),
             qPrintable(attempts));

    page.selectRow(0);
    QVERIFY(page.detailText().contains(u"laptop"_s));
    QVERIFY(page.detailText().contains(attempts.mid(3)));
}

void TestLogsPage::filtersByStatusAccountAndTextAndSortsNumbers()
{
    Seeded seeded({record(1, u"work"_s, 200, u"claude-sonnet-4-5"_s),
                   record(2, u"work"_s, 429, u"claude-opus-4-1"_s),
                   record(3, u"home"_s, 200, u"claude-opus-4-1"_s),
                   record(4, QString(), 529, u"claude-sonnet-4-5"_s),
                   record(5, u"home"_s, 499, u"claude-haiku-4-5"_s)});
    LogsPage &page = *seeded.page;
    QTRY_VERIFY(!page.isLoading());
    QCOMPARE(page.table()->model()->rowCount(), 5);
    QCOMPARE(cell(page, 0, LogModel::Account), u"work"_s); // newest first
    QCOMPARE(cell(page, 3, LogModel::Account), u"No account"_s);
    QVERIFY(page.statusText().startsWith(u"5 requests shown"_s));

    page.setStatusFilter(u"errors"_s);
    QCOMPARE(page.table()->model()->rowCount(), 3);
    page.setStatusFilter(u"success"_s);
    QCOMPARE(page.table()->model()->rowCount(), 2);
    page.setStatusFilter(u"429"_s);
    QCOMPARE(page.table()->model()->rowCount(), 1);
    QVERIFY(page.statusText().startsWith(u"1 request"_s));
    QVERIFY(page.statusText().endsWith(u" of 5"_s));
    page.setStatusFilter(u"all"_s);

    page.setAccountFilter(u"home"_s);
    QCOMPARE(page.table()->model()->rowCount(), 2);
    page.setAccountFilter(u"No account"_s);
    QCOMPARE(page.table()->model()->rowCount(), 1);
    QCOMPARE(cell(page, 0, LogModel::Status), u"529"_s);
    page.setAccountFilter(u"All accounts"_s);

    page.setSearchText(u"OPUS"_s);
    QCOMPARE(page.table()->model()->rowCount(), 2);
    page.setStatusFilter(u"errors"_s);
    QCOMPARE(page.table()->model()->rowCount(), 1);
    QCOMPARE(cell(page, 0, LogModel::Status), u"429"_s);
    page.setSearchText(QString());
    page.setStatusFilter(u"all"_s);

    // Sorting by latency (numbers, not text).
    page.table()->sortByColumn(LogModel::Latency, Qt::AscendingOrder);
    QCOMPARE(cell(page, 0, LogModel::Account), u"work"_s);
    QCOMPARE(page.table()->model()->index(4, LogModel::Time).data(LogModel::SortRole).toDateTime(),
             page.filter()->filteredRecords().last().time);
}

void TestLogsPage::exportFileContent()
{
    UsageRecord quoted = record(1, u"work, \"main\""_s, 200, u"claude-sonnet-4-5"_s);
    quoted.path = u"work, \"main\" 200"_s;
    Seeded seeded({quoted, record(2, u"home"_s, 529, u"claude-opus-4-1"_s)});
    LogsPage &page = *seeded.page;
    QTRY_VERIFY(!page.isLoading());
    page.setStatusFilter(u"success"_s);

    QTemporaryDir dir;
    QSignalSpy exported(&page, &LogsPage::exported);
    page.exportTo(dir.filePath(u"requests.csv"_s));
    QTRY_COMPARE(exported.size(), 1);
    QCOMPARE(exported.at(0).at(1).toString(), QString());
    QVERIFY(page.statusText().contains(u"Exported 1 request"_s));
    QFile csv(dir.filePath(u"requests.csv"_s));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines.at(0).startsWith("time,client,model,upstream_model,account_id,account,status"));
    QVERIFY(lines.at(1).contains(",\"work, \"\"main\"\"\",200,"));

    page.setStatusFilter(u"all"_s);
    page.exportTo(dir.filePath(u"requests.jsonl"_s));
    QTRY_COMPARE(exported.size(), 2);
    QFile jsonl(dir.filePath(u"requests.jsonl"_s));
    QVERIFY(jsonl.open(QIODevice::ReadOnly));
    const QList<QByteArray> objects = jsonl.readAll().trimmed().split('\n');
    QCOMPARE(objects.size(), 2);
    const QJsonObject second = QJsonDocument::fromJson(objects.at(1)).object();
    QCOMPARE(second.value(u"account"_s).toString(), u"home"_s);
    QCOMPARE(second.value(u"status"_s).toInt(), 529);
    QCOMPARE(second.value(u"input_tokens"_s).toInt(), 100);

    // A folder that does not exist: the status line says so.
    page.exportTo(dir.filePath(u"missing/requests.csv"_s));
    QTRY_COMPARE(exported.size(), 3);
    QVERIFY(!exported.at(2).at(1).toString().isEmpty());
    QVERIFY(page.statusText().contains(u"Export failed"_s));

    QFileDialog *dialog = page.exportRows();
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->acceptMode(), QFileDialog::AcceptSave);
    dialog->close();
}

void TestLogsPage::bodiesFromTheDebugLog()
{
    const UsageRecord r = record(1, u"work"_s, 200, u"claude-sonnet-4-5"_s);
    Seeded seeded({r});
    LogsPage &page = *seeded.page;
    QTRY_VERIFY(!page.isLoading());
    page.selectRow(0);
    QVERIFY(!page.findChild<QWidget *>(u"debugButton"_s)->isHidden());
    QCOMPARE(page.bodyText(), QString());

    // An entry as the relay writes it, for this request.
    QDir(seeded.fixture.dataDir()).mkpath(u"logs"_s);
    QFile log(QDir(seeded.fixture.dataDir()).filePath(u"logs/debug.jsonl"_s));
    QVERIFY(log.open(QIODevice::WriteOnly));
    const QJsonObject entry {
        {u"time"_s, r.time.toString(Qt::ISODateWithMs)},
        {u"request"_s,
         QJsonObject {{u"method"_s, u"POST"_s},
                      {u"path"_s, u"/v1/messages"_s},
                      {u"body"_s, u"{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16}"_s}}},
        {u"response"_s,
         QJsonObject {
             {u"status"_s, 200}, {u"account"_s, u"work"_s}, {u"body"_s, u"{\"id\":\"msg_1\"}"_s}}}};
    log.write(QJsonDocument(entry).toJson(QJsonDocument::Compact) + '\n');
    log.close();

    QSignalSpy shown(&page, &LogsPage::bodiesShown);
    QVERIFY(seeded.fixture.stores().settings().save(SettingKeys::debugLogging, true));
    seeded.fixture.reload();
    QTRY_VERIFY(seeded.fixture.facade().settings().debugLogging());
    QTRY_VERIFY(shown.size() >= 1);
    QVERIFY(page.findChild<QWidget *>(u"debugButton"_s)->isHidden());
    QVERIFY2(page.bodyText().contains(u"\"max_tokens\": 16"_s), qPrintable(page.bodyText()));
    QVERIFY(page.bodyText().contains(u"\"id\": \"msg_1\""_s));
}

void TestLogsPage::fieldsReadAsTextAndStatusesGetTheirColour()
{
    UsageRecord r = record(0, u"work"_s, 429, u"claude-sonnet-4-5"_s);
    QCOMPARE(LogFormat::attempts(r), u"1"_s);
    r.attempts = 2;
    r.path = u"work 429 → home 200"_s;
    QCOMPARE(LogFormat::attempts(r), u"2: work 429 → home 200"_s);
    r.upstreamModel = u"glm-4.6"_s;
    QCOMPARE(LogFormat::model(r), u"claude-sonnet-4-5 → glm-4.6"_s);
    QCOMPARE(LogFormat::duration(-1), u"—"_s);
    QCOMPARE(LogFormat::duration(340), u"340 ms"_s);
    QVERIFY(LogFormat::statusRole(499) == StatusPalette::Role::Error); // the client went away
    QVERIFY(LogFormat::statusRole(500) == StatusPalette::Role::Error);
    QVERIFY(LogFormat::statusRole(404) == StatusPalette::Role::Warning);
    QVERIFY(LogFormat::statusRole(200) == StatusPalette::Role::Good);
    QVERIFY(!LogFormat::statusRole(101));
}

void TestLogsPage::oldestRowsFallOffAtCapacity()
{
    const SystemClock clock;
    LogModel model(clock, 3);
    for (int i = 0; i < 5; ++i)
        model.prepend(record(i, u"work"_s, 200 + i, u"m"_s));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.record(0).status, 204);
    QCOMPARE(model.record(2).status, 202);
}

void TestLogsPage::columnsReadAtAGlanceAndAreRemembered()
{
    UsageRecord yesterday = record(0, u"work"_s, 200, u"claude-sonnet-4-5"_s);
    yesterday.time = QDateTime::currentDateTime().addDays(-1).toUTC();
    UsageRecord quick = record(0, u"work"_s, 200, u"claude-haiku-4-5"_s);
    quick.latencyMs = 3;
    Seeded seeded({yesterday, quick});
    QTRY_VERIFY(!seeded.page->isLoading());
    QAbstractItemModel *model = seeded.page->table()->model();
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), u"Status"_s);
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), u"Latency"_s);
    QCOMPARE(cell(*seeded.page, 0, LogModel::Latency), u"3 ms"_s);
    // Today's rows show the time alone; older ones their date too.
    const QString today = cell(*seeded.page, 0, LogModel::Time);
    QVERIFY2(QRegularExpression(u"^\\d\\d:\\d\\d:\\d\\d$"_s).match(today).hasMatch(),
             qPrintable(today));
    const QString older = cell(*seeded.page, 1, LogModel::Time);
    QVERIFY2(older.size() > today.size()
                 && older.endsWith(
                     QLocale().toString(yesterday.time.toLocalTime().time(), u"HH:mm:ss"_s)),
             qPrintable(older));

    // The widths the user leaves are there the next time Switchboard opens.
    QHeaderView *header = seeded.page->table()->horizontalHeader();
    QCOMPARE(header->logicalIndex(header->count() - 1), int(LogModel::Model));
    QVERIFY(header->stretchLastSection());
    header->resizeSection(LogModel::Account, 217);
    seeded.page.reset();
    QVERIFY(seeded.fixture.restart());
    LogsPage again(seeded.fixture.facade());
    again.resize(1100, 600);
    again.show();
    QTRY_VERIFY(!again.isLoading());
    QCOMPARE(again.table()->horizontalHeader()->sectionSize(LogModel::Account), 217);
}

void TestLogsPage::refusedClientsAreRows()
{
    GuiFixture fixture;
    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    auto key = fixture.stores().accessKeys().create(u"laptop"_s);
    QVERIFY(key);
    QVERIFY(fixture.start());
    LogsPage page(fixture.facade());
    page.show();
    QTRY_VERIFY(!page.isLoading());

    // A client with a stale key, retrying: one row for the burst, and who it was.
    QCOMPARE(fixture.sendMessages(u"sk-ant-stale-key-0000beef"_s, 3), (QList<int> {401, 401, 401}));
    QTRY_COMPARE(page.table()->model()->rowCount(), 1);
    QCOMPARE(cell(page, 0, LogModel::Client), u"unknown key …beef (3 times)"_s);
    QCOMPARE(cell(page, 0, LogModel::Account), u"Not admitted"_s);
    QCOMPARE(cell(page, 0, LogModel::Status), u"401 authentication_error"_s);

    // A revoked key says which one it was; a page opened later lists what came before.
    QVERIFY(fixture.stores().accessKeys().revoke(key->key.idString()));
    fixture.reload();
    QTRY_VERIFY(fixture.facade().accessKeys().first().isRevoked());
    QCOMPARE(fixture.sendMessages(key->plaintext, 1), (QList<int> {401}));
    LogsPage later(fixture.facade());
    later.show();
    QTRY_COMPARE(later.table()->model()->rowCount(), 2);
    QTRY_VERIFY(!later.isLoading());
    QCOMPARE(cell(later, 0, LogModel::Client), u"revoked key “laptop”"_s);
    QCOMPARE(cell(later, 1, LogModel::Client), u"unknown key …beef (3 times)"_s);
    QCOMPARE(fixture.stores().usage().recent(10)->size(), 0); // nothing stored
}

QTEST_MAIN(TestLogsPage)
#include "tst_logspage.moc"
