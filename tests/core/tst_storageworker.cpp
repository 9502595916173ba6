// SPDX-License-Identifier: GPL-3.0-or-later
// The storage worker's timers on a fake clock: usage is written at the flush interval, and
// changes another process made arrive at the reload interval. The worker stays on the test
// thread here, where the clock is moved.
#include "core/accountstore.h"
#include "core/appcontext.h"
#include "core/storageworker.h"
#include "core/usagestore.h"
#include "support/fakeclock.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestStorageWorker : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void usageIsWrittenAtTheFlushInterval();
    void changesOfAnotherProcessArriveAtTheReloadInterval();

private:
    AppOptions options() const;

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestStorageWorker::initTestCase()
{
    // An SQLite file in the data folder, whatever the environment says.
    qunsetenv("SWITCHBOARD_DATABASE_URL");
}

void TestStorageWorker::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

AppOptions TestStorageWorker::options() const
{
    return {m_dir->filePath(u"data"_s), m_dir->filePath(u"secrets.json"_s)};
}

void TestStorageWorker::usageIsWrittenAtTheFlushInterval()
{
    FakeClock clock;
    StorageWorker worker(options(), clock);
    QList<qsizetype> batches;
    connect(&worker, &StorageWorker::usageStored, this,
            [&batches](const QList<UsageRecord> &records) { batches << records.size(); });
    worker.open();

    UsageRecord record;
    record.time = clock.now();
    record.model = u"claude-sonnet-4-5"_s;
    record.status = 200;
    record.attempts = 1;
    worker.recordUsage(record);
    worker.recordUsage(record);
    clock.advance(999ms);
    QCOMPARE(batches, QList<qsizetype>());
    clock.advance(1ms);
    QCOMPARE(batches, QList<qsizetype> {2});
    clock.advance(5s); // nothing new to write
    QCOMPARE(batches, QList<qsizetype> {2});

    qint64 requests = -1;
    worker.run([&](AppContext &app) {
        const auto totals = app.usage().totals(clock.now().addDays(-1), clock.now());
        requests = totals && totals->size() == 1 ? totals->first().requests : 0;
    });
    QCOMPARE(requests, 2);
}

void TestStorageWorker::changesOfAnotherProcessArriveAtTheReloadInterval()
{
    FakeClock clock;
    StorageWorker worker(options(), clock);
    QList<QStringList> loads;
    connect(&worker, &StorageWorker::loaded, this,
            [&loads](const QList<Account> &accounts, const QList<AccessKey> &, const Settings &) {
                QStringList names;
                for (const Account &a : accounts)
                    names << a.name;
                loads << names;
            });
    worker.open();
    QCOMPARE(loads, QList<QStringList> {QStringList()});

    // Another process: a connection of its own to the same database.
    auto other = AppContext::open(options(), clock);
    QVERIFY2(other, qPrintable(other.error().message));
    Account added;
    added.id = QUuid::createUuid();
    added.name = u"added elsewhere"_s;
    added.baseUrl = QUrl(u"https://api.anthropic.com"_s);
    added.createdAt = added.updatedAt = clock.now();
    QVERIFY((*other)->accounts().insert(added));

    clock.advance(4999ms);
    QCOMPARE(loads.size(), 1);
    clock.advance(1ms);
    QCOMPARE(loads.size(), 2);
    QCOMPARE(loads.last(), QStringList {u"added elsewhere"_s});
    clock.advance(5s); // unchanged: no second announcement
    QCOMPARE(loads.size(), 2);
}

QTEST_GUILESS_MAIN(TestStorageWorker)
#include "tst_storageworker.moc"
