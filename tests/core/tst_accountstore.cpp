// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/accountstore.h"
#include "core/migrations.h"
#include "support/fakeclock.h"
#include "support/testdatabase.h"
#include "support/testprinters.h"

#include <QFile>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Account makeAccount(const QString &name, const QUuid &id = QUuid::createUuid())
{
    Account a;
    a.id = id;
    a.name = name;
    a.baseUrl = QUrl(u"https://api.anthropic.com"_s);
    a.createdAt = a.updatedAt = FakeClock::defaultStart();
    return a;
}

/// Every field away from its default, times with milliseconds.
Account fullAccount()
{
    Account a = makeAccount(u"Full"_s);
    a.provider = ProviderKind::OpenAI;
    a.baseUrl = QUrl(u"https://proxy.example/v1"_s);
    a.authStyle = AuthStyle::XApiKey;
    a.tier = 3;
    a.priority = -12;
    a.weight = 250;
    a.enabled = false;
    a.allowedModels = { u"claude-opus-4"_s, u"claude-haiku-*"_s };
    a.modelMapping
        = ModelMapping({ { u"claude-opus-*"_s, u"gpt-4o"_s }, { u"*"_s, u"gpt-4o-mini"_s } });
    a.extraHeaders = { { u"OpenAI-Organization"_s, u"org-7"_s }, { u"X-Trace"_s, u"a b \"c\""_s } };
    a.notes = u"ünïcode notes\nwith 'quotes' and ; semicolons"_s;
    a.createdAt = FakeClock::defaultStart().addMSecs(1234);
    a.updatedAt = FakeClock::defaultStart().addDays(3).addMSecs(987);
    a.health.state = HealthState::Disabled;
    a.health.reason = u"Out of credit"_s;
    a.health.lastValidated = FakeClock::defaultStart().addSecs(60).addMSecs(1);
    a.health.lastUsed = FakeClock::defaultStart().addSecs(120).addMSecs(2);
    a.health.usageCount = 5'000'000'000LL; // beyond 32 bits
    a.health.errorCount = 4;
    a.health.cooldownUntil = FakeClock::defaultStart().addSecs(3600).addMSecs(3);
    return a;
}

} // namespace

class TestAccountStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void insertedAccountIsFoundAndListed();
    void fullAccountRoundTrip();
    void nullTimesRoundTrip();
    void listIsByTierThenPriorityThenName();
    void updateReplacesEveryFieldButTheId();
    void updateHealthChangesOnlyTheHealth();
    void removeDeletesOnlyThatAccountAndFreesItsName();
    void unknownIdIsNotFound();
    void duplicateNameIsConflict_data();
    void duplicateNameIsConflict();
    void renameToTakenNameIsConflict();
    void resolveByNameIdOrIdPrefix();
    void resolveAmbiguousPrefix();
    void migratedToLatest();
    void reopenKeepsData();
    void secondConnectionSeesWrites();
    void sqliteFileIsPrivate();
    void sqliteUsesWal();

private:
    FakeClock m_clock;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<AccountStore> m_store;
};

void TestAccountStore::init()
{
    SWITCHBOARD_REQUIRE_TEST_DATABASE();
    m_clock.setNow(FakeClock::defaultStart());
    auto db = TestDatabase::create(m_clock);
    QVERIFY2(db, qPrintable(errorMessage(db)));
    m_db = std::move(db).value();
    m_store = std::make_unique<AccountStore>(m_db->database());
}

void TestAccountStore::cleanup()
{
    m_store.reset();
    m_db.reset();
}

void TestAccountStore::insertedAccountIsFoundAndListed()
{
    const Account a = makeAccount(u"Main"_s);
    QVERIFY(m_store->insert(a));
    const auto found = m_store->find(a.id);
    QVERIFY2(found, qPrintable(errorMessage(found)));
    QCOMPARE(*found, a);
    QCOMPARE(m_store->list()->size(), 1);
}

void TestAccountStore::fullAccountRoundTrip()
{
    const Account a = fullAccount();
    QVERIFY(m_store->insert(a));
    const auto found = m_store->find(a.id);
    QVERIFY(found);
    QCOMPARE(found->health, a.health);
    QCOMPARE(found->createdAt.toMSecsSinceEpoch(), a.createdAt.toMSecsSinceEpoch());
    QCOMPARE(found->updatedAt.toMSecsSinceEpoch(), a.updatedAt.toMSecsSinceEpoch());
    QCOMPARE(found->health.cooldownUntil.toMSecsSinceEpoch(),
             a.health.cooldownUntil.toMSecsSinceEpoch());
    QCOMPARE(found->extraHeaders, a.extraHeaders);
    QCOMPARE(found->modelMapping, a.modelMapping);
    QCOMPARE(*found, a);
    QCOMPARE(m_store->list()->first(), a);
}

void TestAccountStore::nullTimesRoundTrip()
{
    Account a = fullAccount();
    a.health.lastValidated = {};
    a.health.lastUsed = {};
    a.health.cooldownUntil = {};
    QVERIFY(m_store->insert(a));
    auto found = m_store->find(a.id);
    QVERIFY(found);
    QVERIFY(found->health.lastValidated.isNull());
    QVERIFY(found->health.lastUsed.isNull());
    QVERIFY(found->health.cooldownUntil.isNull());
    QCOMPARE(*found, a);

    // And back from set to null.
    QVERIFY(m_store->updateHealth(a.id, fullAccount().health));
    QCOMPARE(m_store->find(a.id)->health, fullAccount().health);
    QVERIFY(m_store->updateHealth(a.id, a.health));
    found = m_store->find(a.id);
    QVERIFY(found->health.cooldownUntil.isNull());
    QCOMPARE(found->health, a.health);
}

void TestAccountStore::listIsByTierThenPriorityThenName()
{
    // Tier first, then priority (higher first), then name. Lower-case names: every
    // collation orders them the same.
    auto make = [](const QString &name, int tier, int priority) {
        Account a = makeAccount(name);
        a.tier = tier;
        a.priority = priority;
        return a;
    };
    const QList<Account> inserted
        = { make(u"delta"_s, 2, 0),   make(u"bravo"_s, 1, 5),   make(u"echo"_s, 1, 10),
            make(u"charlie"_s, 1, 5), make(u"alpha"_s, 2, 100), make(u"foxtrot"_s, 1, -3) };
    for (const Account &a : inserted)
        QVERIFY(m_store->insert(a));
    const auto listed = m_store->list();
    QVERIFY(listed);
    QStringList names;
    for (const Account &a : *listed)
        names << a.name;
    QCOMPARE(
        names,
        QStringList({ u"echo"_s, u"bravo"_s, u"charlie"_s, u"foxtrot"_s, u"alpha"_s, u"delta"_s }));
}

void TestAccountStore::updateReplacesEveryFieldButTheId()
{
    const Account original = makeAccount(u"Main"_s);
    QVERIFY(m_store->insert(original));
    Account changed = fullAccount();
    changed.id = original.id;
    changed.name = u"Renamed"_s;
    QVERIFY(m_store->update(changed));
    QCOMPARE(*m_store->find(original.id), changed);
    QCOMPARE(m_store->list()->size(), 1);

    // Changing only the case of the own name is not a conflict with itself.
    changed.name = u"RENAMED"_s;
    QVERIFY(m_store->update(changed));
    QCOMPARE(m_store->find(original.id)->name, u"RENAMED"_s);
}

void TestAccountStore::updateHealthChangesOnlyTheHealth()
{
    const Account a = fullAccount();
    QVERIFY(m_store->insert(a));
    AccountHealth h;
    h.state = HealthState::Valid;
    h.reason = u"ok"_s;
    h.lastValidated = m_clock.now().addMSecs(42);
    h.usageCount = 7;
    QVERIFY(m_store->updateHealth(a.id, h));
    Account expected = a;
    expected.health = h;
    // Only the health changes.
    QCOMPARE(*m_store->find(a.id), expected);
}

void TestAccountStore::removeDeletesOnlyThatAccountAndFreesItsName()
{
    const Account a = makeAccount(u"One"_s), b = makeAccount(u"Two"_s);
    QVERIFY(m_store->insert(a));
    QVERIFY(m_store->insert(b));
    QVERIFY(m_store->remove(a.id));
    QCOMPARE(m_store->find(a.id).error().kind, Error::Kind::NotFound);
    QCOMPARE(m_store->list()->size(), 1);
    QCOMPARE(m_store->list()->first(), b);
    // The name is free again.
    QVERIFY(m_store->insert(makeAccount(u"One"_s)));
}

void TestAccountStore::unknownIdIsNotFound()
{
    QVERIFY(m_store->insert(makeAccount(u"Existing"_s)));
    const Account ghost = makeAccount(u"Ghost"_s);
    const auto found = m_store->find(ghost.id);
    QVERIFY(!found);
    QCOMPARE(found.error().kind, Error::Kind::NotFound);
    QVERIFY(found.error().message.contains(ghost.idString()));

    QCOMPARE(m_store->update(ghost).error().kind, Error::Kind::NotFound);
    QCOMPARE(m_store->updateHealth(ghost.id, {}).error().kind, Error::Kind::NotFound);
    QCOMPARE(m_store->remove(ghost.id).error().kind, Error::Kind::NotFound);
    QCOMPARE(m_store->list()->size(), 1);
}

void TestAccountStore::duplicateNameIsConflict_data()
{
    QTest::addColumn<QString>("second");
    QTest::newRow("same") << u"Main Account"_s;
    QTest::newRow("lower case") << u"main account"_s;
    QTest::newRow("upper case") << u"MAIN ACCOUNT"_s;
}

void TestAccountStore::duplicateNameIsConflict()
{
    QFETCH(QString, second);
    const Account first = makeAccount(u"Main Account"_s);
    QVERIFY(m_store->insert(first));
    const Status s = m_store->insert(makeAccount(second));
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Conflict);
    QVERIFY2(s.error().message.contains(second), qPrintable(s.error().message));
    QCOMPARE(m_store->list()->size(), 1);
    QCOMPARE(m_store->list()->first(), first);
}

void TestAccountStore::renameToTakenNameIsConflict()
{
    QVERIFY(m_store->insert(makeAccount(u"One"_s)));
    Account two = makeAccount(u"Two"_s);
    QVERIFY(m_store->insert(two));
    two.name = u"one"_s;
    const Status s = m_store->update(two);
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Conflict);
    QCOMPARE(m_store->find(two.id)->name, u"Two"_s);
}

void TestAccountStore::resolveByNameIdOrIdPrefix()
{
    const Account a
        = makeAccount(u"Main"_s, QUuid::fromString(u"abcdef12-0000-4000-8000-000000000001"_s));
    const Account b
        = makeAccount(u"Backup"_s, QUuid::fromString(u"12345678-0000-4000-8000-000000000002"_s));
    QVERIFY(m_store->insert(a));
    QVERIFY(m_store->insert(b));

    auto r = m_store->resolve(u"Main"_s);
    QVERIFY(r);
    QCOMPARE(r->id, a.id);
    r = m_store->resolve(u"  Backup  "_s);
    QVERIFY(r);
    QCOMPARE(r->id, b.id);
    r = m_store->resolve(a.idString());
    QVERIFY(r);
    QCOMPARE(r->id, a.id);
    r = m_store->resolve(a.idString().toUpper());
    QVERIFY(r);
    QCOMPARE(r->id, a.id);
    r = m_store->resolve(a.id.toString()); // with braces
    QVERIFY2(!r || r->id == a.id, "braces resolved to another account");
    r = m_store->resolve(u"abcd"_s);
    QVERIFY(r);
    QCOMPARE(r->id, a.id);
    r = m_store->resolve(u"1234567"_s);
    QVERIFY(r);
    QCOMPARE(r->id, b.id);

    // Too short a prefix, another case of the name, or nothing at all: not found.
    for (const QString &ref : { u"abc"_s, u"main"_s, u"Nobody"_s, QString() }) {
        r = m_store->resolve(ref);
        QVERIFY2(!r, qPrintable(ref));
        QCOMPARE(r.error().kind, Error::Kind::NotFound);
    }
}

void TestAccountStore::resolveAmbiguousPrefix()
{
    const Account a
        = makeAccount(u"First"_s, QUuid::fromString(u"aaaa1111-0000-4000-8000-000000000001"_s));
    const Account b
        = makeAccount(u"Second"_s, QUuid::fromString(u"aaaa2222-0000-4000-8000-000000000002"_s));
    QVERIFY(m_store->insert(a));
    QVERIFY(m_store->insert(b));

    const auto r = m_store->resolve(u"aaaa"_s);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Invalid);
    QVERIFY2(r.error().message.contains(u"2"), qPrintable(r.error().message));
    QCOMPARE(m_store->resolve(u"aaaa1"_s)->id, a.id);
    QCOMPARE(m_store->resolve(u"aaaa2"_s)->id, b.id);

    // An exact name wins over an id prefix.
    const Account named = makeAccount(u"aaaa"_s);
    QVERIFY(m_store->insert(named));
    QCOMPARE(m_store->resolve(u"aaaa"_s)->id, named.id);
}

void TestAccountStore::migratedToLatest()
{
    QVERIFY(Migrations::latestVersion() >= 1);
    const auto version = Migrations::currentVersion(m_db->connection());
    QVERIFY(version);
    QCOMPARE(*version, Migrations::latestVersion());
    // Migrating again changes nothing.
    QVERIFY(Migrations::migrate(m_db->connection(), m_clock.nowMs()));
    QCOMPARE(*Migrations::currentVersion(m_db->connection()), Migrations::latestVersion());
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(u"SELECT COUNT(*), MIN(applied_at) FROM schema_version"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), Migrations::latestVersion());
    QCOMPARE(q.value(1).toLongLong(), m_clock.nowMs());
}

void TestAccountStore::reopenKeepsData()
{
    const Account a = fullAccount();
    QVERIFY(m_store->insert(a));
    m_store.reset();
    m_clock.advanceSecs(60);
    const Status reopened = m_db->reopen(m_clock);
    QVERIFY2(reopened, qPrintable(errorMessage(reopened)));
    m_store = std::make_unique<AccountStore>(m_db->database());
    QCOMPARE(*m_store->find(a.id), a);
    QCOMPARE(*Migrations::currentVersion(m_db->connection()), Migrations::latestVersion());
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM schema_version"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), Migrations::latestVersion());
}

void TestAccountStore::secondConnectionSeesWrites()
{
    auto other = m_db->openAnother(m_clock);
    QVERIFY2(other, qPrintable(errorMessage(other)));
    AccountStore otherStore(**other);
    const Account a = makeAccount(u"Shared"_s);
    QVERIFY(m_store->insert(a));
    QCOMPARE(*otherStore.find(a.id), a);
    QCOMPARE(otherStore.insert(makeAccount(u"SHARED"_s)).error().kind, Error::Kind::Conflict);
}

void TestAccountStore::sqliteFileIsPrivate()
{
    if (TestDatabase::backend() != TestDatabase::Backend::SQLite)
        QSKIP("SQLite only");
#ifndef Q_OS_UNIX
    QSKIP("POSIX permissions only");
#endif
    QVERIFY(m_store->insert(makeAccount(u"Main"_s)));
    const QString path = m_db->sqlitePath();
    QVERIFY(QFile::exists(path));
    constexpr auto groupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup
        | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
        | QFileDevice::ExeOther;
    for (const QString &file : QStringList { path, path + u"-wal"_s, path + u"-shm"_s }) {
        if (!QFile::exists(file))
            continue;
        const QFileDevice::Permissions p = QFile::permissions(file);
        QVERIFY2(p.testFlag(QFileDevice::ReadOwner) && p.testFlag(QFileDevice::WriteOwner),
                 qPrintable(file));
        QVERIFY2(!(p & groupOrOther), qPrintable(u"%1: %2"_s.arg(file).arg(int(p), 0, 16)));
    }

    // A database file someone made readable by all is narrowed again on open.
    m_store.reset();
    QVERIFY(QFile::setPermissions(path, QFile::permissions(path) | QFileDevice::ReadOther));
    QVERIFY(m_db->reopen(m_clock));
    QVERIFY(!(QFile::permissions(path) & groupOrOther));
}

void TestAccountStore::sqliteUsesWal()
{
    if (TestDatabase::backend() != TestDatabase::Backend::SQLite)
        QSKIP("SQLite only");
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(u"PRAGMA journal_mode"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString().toLower(), u"wal"_s);
}

QTEST_GUILESS_MAIN(TestAccountStore)
#include "tst_accountstore.moc"
