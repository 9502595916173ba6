// SPDX-License-Identifier: GPL-3.0-or-later
// The account actions the window, the command line and the admin API share, on a real
// database (SQLite file or PostgreSQL) with secrets in memory.
#include "accountstores.h"
#include "support/fakeclock.h"
#include "support/testprinters.h"
#include "support/waitfor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

Account draft(const QString &name)
{
    Account a;
    a.name = name;
    a.baseUrl = QUrl(u"https://api.anthropic.com"_s);
    return a;
}

QByteArray importFile(const QJsonArray &accounts)
{
    return QJsonDocument(QJsonObject {{u"format"_s, u"switchboard-accounts"_s},
                                      {u"version"_s, 1},
                                      {u"accounts"_s, accounts}})
        .toJson();
}

/// The result an operation reports through its callback, or a failure if it never does.
template<typename T>
Result<T> answer(const std::function<void(std::function<void(Result<T>)>)> &start)
{
    const auto r = waitForResult<Result<T>>(start);
    return r ? *r : Result<T>(Error::storage(u"the operation did not answer"_s));
}

Status answerStatus(const std::function<void(std::function<void(Status)>)> &start)
{
    const auto r = waitForResult<Status>(start);
    return r ? *r : Status(Error::storage(u"the operation did not answer"_s));
}

} // namespace

class TestAccountActions : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void createUpdateAndRemoveKeepRowAndSecretTogether();
    void disablingKeepsHealthAndMovesUpdatedAt();
    void enablingGivesAParkedAccountAFreshStart();
    void enablingAnUnknownAccountIsNotFound();
    void importStoresEveryAccountAndCountsThoseWithoutAKey();
    void importOfABadFileWritesNothingAndNamesTheSource();
    void importRemovesWhatItWroteWhenAKeyCannotBeStored();
    void importOfAMissingFileIsAnIoError();
    void exportWithSecretsImportsBackTheSameAccounts();
    void exportFileIsPrivateAndHasNoKeysUnlessAsked();
    void exportStopsAtAKeyThatCannotBeRead();
    void statsCountTheRequestsOfTheRange();

private:
    Account create(const QString &name, const QString &secret);

    FakeClock m_clock;
    std::unique_ptr<AccountStores> m_stores;
};

void TestAccountActions::init()
{
    SWITCHBOARD_REQUIRE_TEST_DATABASE();
    m_clock.setNow(FakeClock::defaultStart());
    auto db = TestDatabase::create(m_clock);
    QVERIFY2(db, qPrintable(errorMessage(db)));
    m_stores = std::make_unique<AccountStores>(std::move(db).value(), m_clock);
}

void TestAccountActions::cleanup()
{
    m_stores.reset();
}

Account TestAccountActions::create(const QString &name, const QString &secret)
{
    const auto created = answer<Account>(
        [&](auto done) { m_stores->actions.create(draft(name), secret, std::move(done)); });
    if (!created)
        qFatal("Cannot create %s: %s", qPrintable(name), qPrintable(created.error().message));
    return *created;
}

void TestAccountActions::createUpdateAndRemoveKeepRowAndSecretTogether()
{
    const Account created = create(u"Main"_s, u"sk-old"_s);
    QCOMPARE(*m_stores->store.find(created.id), created);
    QCOMPARE(m_stores->secrets.value(created.secretKey()), u"sk-old"_s);

    m_clock.advanceSecs(10);
    Account changed = created;
    changed.priority = 5;
    const auto updated = answer<Account>(
        [&](auto done) { m_stores->actions.update(changed, u"sk-new"_s, std::move(done)); });
    QVERIFY2(updated, qPrintable(errorMessage(updated)));
    QCOMPARE(m_stores->store.find(created.id)->priority, 5);
    QCOMPARE(m_stores->store.find(created.id)->updatedAt, m_clock.now());
    QCOMPARE(m_stores->secrets.value(created.secretKey()), u"sk-new"_s);

    QVERIFY(
        answerStatus([&](auto done) { m_stores->actions.remove(created.id, std::move(done)); }));
    QCOMPARE(m_stores->store.find(created.id).error().kind, Error::Kind::NotFound);
    QCOMPARE(m_stores->secrets.count(), 0);
}

void TestAccountActions::disablingKeepsHealthAndMovesUpdatedAt()
{
    const Account created = create(u"Main"_s, u"sk-1"_s);
    AccountHealth health;
    health.state = HealthState::Invalid;
    health.reason = u"rejected"_s;
    health.errorCount = 3;
    QVERIFY(m_stores->store.updateHealth(created.id, health));
    m_clock.advanceSecs(60);
    const int secretOperations = m_stores->secrets.operationCount();

    const auto disabled = answer<Account>(
        [&](auto done) { m_stores->actions.setEnabled(created.id, false, std::move(done)); });
    QVERIFY2(disabled, qPrintable(errorMessage(disabled)));
    const Account stored = *m_stores->store.find(created.id);
    QVERIFY(!stored.enabled);
    QCOMPARE(stored.health, health);
    QCOMPARE(stored.updatedAt, m_clock.now());
    QCOMPARE(*disabled, stored);
    QCOMPARE(m_stores->secrets.operationCount(), secretOperations);
}

void TestAccountActions::enablingGivesAParkedAccountAFreshStart()
{
    Account parked = draft(u"Parked"_s);
    parked.enabled = false;
    const auto created = answer<Account>(
        [&](auto done) { m_stores->actions.create(parked, u"sk-1"_s, std::move(done)); });
    QVERIFY(created);
    AccountHealth health;
    health.state = HealthState::Disabled;
    health.reason = u"credit balance too low"_s;
    health.cooldownUntil = m_clock.now().addSecs(3600);
    health.errorCount = 4;
    health.usageCount = 12;
    health.lastUsed = m_clock.now();
    QVERIFY(m_stores->store.updateHealth(created->id, health));
    m_clock.advanceSecs(60);

    const auto enabled = answer<Account>(
        [&](auto done) { m_stores->actions.setEnabled(created->id, true, std::move(done)); });
    QVERIFY2(enabled, qPrintable(errorMessage(enabled)));
    const Account stored = *m_stores->store.find(created->id);
    QVERIFY(stored.enabled);
    QCOMPARE(stored.health, health.resetByUser());
    QCOMPARE(stored.health.state, HealthState::Unknown);
    QVERIFY(!stored.health.cooldownUntil.isValid());
    QCOMPARE(stored.health.usageCount, 12); // what happened stays on record
    QCOMPARE(stored.updatedAt, m_clock.now());
    QCOMPARE(m_stores->secrets.value(created->secretKey()), u"sk-1"_s);
}

void TestAccountActions::enablingAnUnknownAccountIsNotFound()
{
    const auto enabled = answer<Account>([&](auto done) {
        m_stores->actions.setEnabled(QUuid::createUuid(), true, std::move(done));
    });
    QVERIFY(!enabled);
    QCOMPARE(enabled.error().kind, Error::Kind::NotFound);
}

void TestAccountActions::importStoresEveryAccountAndCountsThoseWithoutAKey()
{
    const QByteArray data = importFile(
        {QJsonObject {{u"name"_s, u"keyed"_s}, {u"priority"_s, 3}, {u"secret"_s, u"sk-k"_s}},
         QJsonObject {{u"name"_s, u"keyless"_s}}});
    const auto report = answer<ImportReport>(
        [&](auto done) { m_stores->actions.importData(data, u"in.json"_s, std::move(done)); });
    QVERIFY2(report, qPrintable(errorMessage(report)));
    QCOMPARE(report->imported, 2);
    QCOMPARE(report->withoutSecret, 1);

    const Account keyed = *m_stores->store.resolve(u"keyed"_s);
    QCOMPARE(keyed.priority, 3);
    QVERIFY(keyed.enabled);
    QCOMPARE(m_stores->secrets.value(keyed.secretKey()), u"sk-k"_s);
    const Account keyless = *m_stores->store.resolve(u"keyless"_s);
    QVERIFY(!keyless.enabled);
    QVERIFY(keyless.health.reason.contains(u"--secret"_s));
    QVERIFY(!m_stores->secrets.contains(keyless.secretKey()));
}

void TestAccountActions::importOfABadFileWritesNothingAndNamesTheSource()
{
    create(u"taken"_s, u"sk-1"_s);
    const int secretOperations = m_stores->secrets.operationCount();
    const QByteArray data
        = importFile({QJsonObject {{u"name"_s, u"fresh"_s}, {u"secret"_s, u"sk-f"_s}},
                      QJsonObject {{u"name"_s, u"taken"_s}, {u"secret"_s, u"sk-t"_s}}});
    auto report = answer<ImportReport>(
        [&](auto done) { m_stores->actions.importData(data, u"in.json"_s, std::move(done)); });
    QVERIFY(!report);
    QCOMPARE(report.error().kind, Error::Kind::Invalid);
    QVERIFY2(report.error().message.startsWith(u"in.json: "_s), qPrintable(report.error().message));
    QVERIFY(report.error().message.contains(u"already exists"_s));
    QCOMPARE(m_stores->store.list()->size(), 1);
    QCOMPARE(m_stores->secrets.operationCount(), secretOperations);

    report = answer<ImportReport>(
        [&](auto done) { m_stores->actions.importData("{not json"_ba, u"-"_s, std::move(done)); });
    QVERIFY(!report);
    QVERIFY2(report.error().message.startsWith(u"-: not valid JSON"_s),
             qPrintable(report.error().message));
}

void TestAccountActions::importRemovesWhatItWroteWhenAKeyCannotBeStored()
{
    const QByteArray data
        = importFile({QJsonObject {{u"name"_s, u"first"_s}, {u"secret"_s, u"sk-1"_s}},
                      QJsonObject {{u"name"_s, u"second"_s}},
                      QJsonObject {{u"name"_s, u"third"_s}, {u"secret"_s, u"sk-3"_s}}});
    const auto report = answer<ImportReport>([&](auto done) {
        m_stores->actions.importData(data, u"in.json"_s, std::move(done));
        // The first key is being written already: the next write, the third's, fails.
        m_stores->secrets.failNextWrite(SecretResult::Status::Failed, u"keyring crashed"_s);
    });
    QVERIFY(!report);
    QCOMPARE(report.error().kind, Error::Kind::Secret);
    QCOMPARE(report.error().message, u"keyring crashed"_s);
    QVERIFY(m_stores->store.list()->isEmpty());
    QCOMPARE(m_stores->secrets.count(), 0);
}

void TestAccountActions::importOfAMissingFileIsAnIoError()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"missing.json"_s);
    const auto report = answer<ImportReport>(
        [&](auto done) { m_stores->actions.importFile(path, std::move(done)); });
    QVERIFY(!report);
    QCOMPARE(report.error().kind, Error::Kind::Io);
    QVERIFY(report.error().message.contains(path));
}

void TestAccountActions::exportWithSecretsImportsBackTheSameAccounts()
{
    Account b = draft(u"beta"_s);
    b.tier = 2;
    b.notes = u"spare"_s;
    const Account alpha = create(u"alpha"_s, u"sk-a"_s);
    const auto beta = answer<Account>(
        [&](auto done) { m_stores->actions.create(b, u"sk-b"_s, std::move(done)); });
    QVERIFY(beta);

    const auto exported = answer<AccountExport>(
        [&](auto done) { m_stores->actions.exportData(true, std::move(done)); });
    QVERIFY2(exported, qPrintable(errorMessage(exported)));
    QCOMPARE(exported->count, 2);
    QVERIFY(exported->document.contains("sk-a"));
    QVERIFY(exported->document.contains("sk-b"));

    for (const QUuid &id : {alpha.id, beta->id})
        QVERIFY(answerStatus([&](auto done) { m_stores->actions.remove(id, std::move(done)); }));
    const auto report = answer<ImportReport>([&](auto done) {
        m_stores->actions.importData(exported->document, u"export"_s, std::move(done));
    });
    QVERIFY2(report, qPrintable(errorMessage(report)));
    QCOMPARE(report->imported, 2);
    QCOMPARE(report->withoutSecret, 0);
    const Account back = *m_stores->store.resolve(u"beta"_s);
    QCOMPARE(back.tier, 2);
    QCOMPARE(back.notes, u"spare"_s);
    QCOMPARE(m_stores->secrets.value(back.secretKey()), u"sk-b"_s);
    QCOMPARE(m_stores->secrets.value(m_stores->store.resolve(u"alpha"_s)->secretKey()), u"sk-a"_s);
}

void TestAccountActions::exportFileIsPrivateAndHasNoKeysUnlessAsked()
{
    create(u"alpha"_s, u"sk-a"_s);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"accounts.json"_s);
    const auto count = answer<qsizetype>(
        [&](auto done) { m_stores->actions.exportFile(path, false, std::move(done)); });
    QVERIFY2(count, qPrintable(errorMessage(count)));
    QCOMPARE(*count, 1);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QVERIFY(written.contains("alpha"));
    QVERIFY(!written.contains("sk-a"));
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther
        | QFileDevice::WriteOther;
    QVERIFY(!(QFile::permissions(path) & others));

    const auto failed = answer<qsizetype>([&](auto done) {
        m_stores->actions.exportFile(dir.filePath(u"no/such/folder/a.json"_s), false,
                                     std::move(done));
    });
    QVERIFY(!failed);
    QCOMPARE(failed.error().kind, Error::Kind::Io);
}

void TestAccountActions::exportStopsAtAKeyThatCannotBeRead()
{
    create(u"alpha"_s, u"sk-a"_s);
    m_stores->secrets.failNextRead(SecretResult::Status::AccessDenied, u"locked"_s);
    const auto exported = answer<AccountExport>(
        [&](auto done) { m_stores->actions.exportData(true, std::move(done)); });
    QVERIFY(!exported);
    QCOMPARE(exported.error().kind, Error::Kind::Secret);
    QVERIFY(exported.error().message.contains(u"alpha"_s));
    QVERIFY(exported.error().message.contains(u"locked"_s));
}

void TestAccountActions::statsCountTheRequestsOfTheRange()
{
    const Account alpha = create(u"alpha"_s, u"sk-a"_s);
    auto request = [&](qint64 secondsAgo) {
        UsageRecord r;
        r.time = m_clock.now().addSecs(-secondsAgo);
        r.accountId = alpha.id;
        r.accountName = alpha.name;
        r.model = u"claude-sonnet-4-5"_s;
        r.tokens.input = 10;
        r.latencyMs = 100;
        r.status = 200;
        r.attempts = 1;
        return r;
    };
    QVERIFY(m_stores->usage.record({request(0), request(1800), request(7200)}));

    const auto lastHour = m_stores->actions.recentStats(1h);
    QVERIFY2(lastHour, qPrintable(errorMessage(lastHour)));
    QCOMPARE(lastHour->size(), 1);
    QCOMPARE(lastHour->first().accountId, alpha.id);
    QCOMPARE(lastHour->first().requests, 2); // the one of this very second included
    QCOMPARE(lastHour->first().tokens.input, 20);

    const auto older
        = m_stores->actions.stats(m_clock.now().addSecs(-7200), m_clock.now().addSecs(-1800));
    QVERIFY(older);
    QCOMPARE(older->size(), 1);
    QCOMPARE(older->first().requests, 1); // from inclusive, to exclusive
    QVERIFY(
        m_stores->actions.stats(m_clock.now().addSecs(-60), m_clock.now().addSecs(-30))->isEmpty());
}

QTEST_GUILESS_MAIN(TestAccountActions)
#include "tst_accountactions.moc"
