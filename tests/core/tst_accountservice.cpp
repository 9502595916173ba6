// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountstores.h"
#include "support/fakeclock.h"
#include "support/secretops.h"
#include "support/testprinters.h"
#include "support/waitfor.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Account draft(const QString &name)
{
    Account a;
    a.name = name;
    a.baseUrl = QUrl(u"https://api.anthropic.com"_s);
    return a;
}

QString describe(const Error &e)
{
    return u"kind %1: %2"_s.arg(int(e.kind)).arg(e.message);
}

} // namespace

class TestAccountService : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void createWritesRowAndSecret();
    void createWithFailingSecretWritesNoRow();
    void createWithFailingInsertLeavesNoSecret();
    void createDuplicateNameTouchesNoSecret();
    void createInvalidDraftTouchesNothing();
    void emptySecretRefused_data();
    void emptySecretRefused();
    void updateRowAndSecret();
    void updateWithoutSecretKeepsIt();
    void updateWithFailingSecretRestoresRow();
    void updateRefusesUnknownDuplicateOrInvalidAccounts();
    void removeDeletesBoth();
    void removeWithoutSecretSucceeds();
    void removeWithFailingSecretDeleteRestoresRow();
    void removeUnknownIsNotFound();
    void readSecretGivesTheKeyOrTheStoreError();

private:
    Result<Account> create(const Account &account, const QString &secret);
    Result<Account> update(const Account &account, std::optional<QString> secret);
    Status remove(const QUuid &id);

    FakeClock m_clock;
    std::unique_ptr<AccountStores> m_stores;
};

void TestAccountService::init()
{
    SWITCHBOARD_REQUIRE_TEST_DATABASE();
    m_clock.setNow(FakeClock::defaultStart());
    auto db = TestDatabase::create(m_clock);
    QVERIFY2(db, qPrintable(errorMessage(db)));
    m_stores = std::make_unique<AccountStores>(std::move(db).value(), m_clock);
}

void TestAccountService::cleanup()
{
    m_stores.reset();
}

Result<Account> TestAccountService::create(const Account &account, const QString &secret)
{
    const auto r = waitForResult<Result<Account>>(
        [&](auto done) { m_stores->service.create(account, secret, done); });
    return r ? *r : Result<Account>(Error::storage(u"create did not finish"_s));
}

Result<Account> TestAccountService::update(const Account &account, std::optional<QString> secret)
{
    const auto r = waitForResult<Result<Account>>(
        [&](auto done) { m_stores->service.update(account, secret, done); });
    return r ? *r : Result<Account>(Error::storage(u"update did not finish"_s));
}

Status TestAccountService::remove(const QUuid &id)
{
    const auto r = waitForResult<Status>([&](auto done) { m_stores->service.remove(id, done); });
    return r ? *r : Status(Error::storage(u"remove did not finish"_s));
}

void TestAccountService::createWritesRowAndSecret()
{
    Account d = draft(u"Main"_s);
    d.health.state = HealthState::Invalid; // a draft's health is ignored
    d.health.usageCount = 99;
    const auto created = create(d, u"sk-ant-123"_s);
    QVERIFY2(created, qPrintable(created.ok() ? QString() : describe(created.error())));
    QVERIFY(!created->id.isNull());
    QCOMPARE(created->name, u"Main"_s);
    QCOMPARE(created->createdAt, m_clock.now());
    QCOMPARE(created->updatedAt, m_clock.now());
    QCOMPARE(created->health, AccountHealth());

    QCOMPARE(*m_stores->store.find(created->id), *created);
    QCOMPARE(m_stores->secrets.count(), 1);
    QCOMPARE(m_stores->secrets.value(created->secretKey()), u"sk-ant-123"_s);

    // A draft that brings its own id keeps it.
    Account withId = draft(u"Second"_s);
    withId.id = QUuid::createUuid();
    const auto second = create(withId, u"sk-2"_s);
    QVERIFY(second);
    QCOMPARE(second->id, withId.id);
    QVERIFY(m_stores->secrets.contains(withId.secretKey()));
}

void TestAccountService::createWithFailingSecretWritesNoRow()
{
    m_stores->secrets.failNextWrite(SecretResult::Status::NoBackend, u"no keyring here"_s);
    const auto created = create(draft(u"Main"_s), u"sk-ant-123"_s);
    QVERIFY(!created);
    QCOMPARE(created.error().kind, Error::Kind::Secret);
    QCOMPARE(created.error().message, u"no keyring here"_s);
    QVERIFY(m_stores->store.list()->isEmpty());
    QCOMPARE(m_stores->secrets.count(), 0);

    // The failure was only for that call.
    QVERIFY(create(draft(u"Main"_s), u"sk-ant-123"_s));
}

void TestAccountService::createWithFailingInsertLeavesNoSecret()
{
    const auto first = create(draft(u"Main"_s), u"sk-first"_s);
    QVERIFY(first);
    // Differs only in case: passes the exact-name check, then the insert refuses it.
    Account clash = draft(u"MAIN"_s);
    clash.id = QUuid::createUuid();
    const auto created = create(clash, u"sk-second"_s);
    QVERIFY(!created);
    QCOMPARE(created.error().kind, Error::Kind::Conflict);
    QVERIFY(!m_stores->secrets.contains(clash.secretKey()));
    QCOMPARE(m_stores->secrets.count(), 1);
    QCOMPARE(m_stores->secrets.value(first->secretKey()), u"sk-first"_s);
    QCOMPARE(m_stores->store.list()->size(), 1);
}

void TestAccountService::createDuplicateNameTouchesNoSecret()
{
    QVERIFY(create(draft(u"Main"_s), u"sk-first"_s));
    const int operations = m_stores->secrets.operationCount();
    const auto created = create(draft(u"Main"_s), u"sk-second"_s);
    QVERIFY(!created);
    QCOMPARE(created.error().kind, Error::Kind::Conflict);
    QCOMPARE(m_stores->secrets.operationCount(), operations);
    QCOMPARE(m_stores->secrets.count(), 1);
}

void TestAccountService::createInvalidDraftTouchesNothing()
{
    Account bad = draft(u"Main"_s);
    bad.tier = 0;
    const auto created = create(bad, u"sk-1"_s);
    QVERIFY(!created);
    QCOMPARE(created.error().kind, Error::Kind::Invalid);
    QVERIFY(created.error().message.contains(u"Tier"));
    QCOMPARE(m_stores->secrets.operationCount(), 0);
    QVERIFY(m_stores->store.list()->isEmpty());
}

void TestAccountService::emptySecretRefused_data()
{
    QTest::addColumn<QString>("secret");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << u"   "_s;
    QTest::newRow("newline") << u"\n"_s;
    QTest::newRow("space inside") << u"sk-ant 123"_s;
    QTest::newRow("trailing newline") << u"sk-ant-123\n"_s;
    QTest::newRow("leading tab") << u"\tsk-ant-123"_s;
    QTest::newRow("control") << u"sk-ant\x01-123"_s;
}

void TestAccountService::emptySecretRefused()
{
    QFETCH(QString, secret);
    QCOMPARE(AccountService::checkSecret(secret).error().kind, Error::Kind::Invalid);

    const auto created = create(draft(u"Main"_s), secret);
    QVERIFY(!created);
    QCOMPARE(created.error().kind, Error::Kind::Invalid);
    QVERIFY(m_stores->store.list()->isEmpty());
    QCOMPARE(m_stores->secrets.operationCount(), 0);

    const auto existing = create(draft(u"Other"_s), u"sk-ok"_s);
    QVERIFY(existing);
    const auto updated = update(*existing, secret);
    QVERIFY(!updated);
    QCOMPARE(updated.error().kind, Error::Kind::Invalid);
    QCOMPARE(m_stores->secrets.value(existing->secretKey()), u"sk-ok"_s);
    QVERIFY(AccountService::checkSecret(u"sk-ant-api03-abc_DEF"_s));
}

void TestAccountService::updateRowAndSecret()
{
    const auto created = create(draft(u"Main"_s), u"sk-old"_s);
    QVERIFY(created);
    m_clock.advanceSecs(30);
    Account changed = *created;
    changed.name = u"Renamed"_s;
    changed.priority = 7;
    changed.createdAt = QDateTime(); // not the caller's to change
    const auto updated = update(changed, u"sk-new"_s);
    QVERIFY2(updated, qPrintable(updated.ok() ? QString() : describe(updated.error())));
    QCOMPARE(updated->createdAt, created->createdAt);
    QCOMPARE(updated->updatedAt, m_clock.now());
    QCOMPARE(updated->name, u"Renamed"_s);
    QCOMPARE(*m_stores->store.find(created->id), *updated);
    QCOMPARE(m_stores->secrets.value(created->secretKey()), u"sk-new"_s);
    QCOMPARE(m_stores->secrets.count(), 1);
}

void TestAccountService::updateWithoutSecretKeepsIt()
{
    const auto created = create(draft(u"Main"_s), u"sk-old"_s);
    QVERIFY(created);
    const int operations = m_stores->secrets.operationCount();
    Account changed = *created;
    changed.weight = 9;
    const auto updated = update(changed, std::nullopt);
    QVERIFY(updated);
    QCOMPARE(m_stores->store.find(created->id)->weight, 9);
    QCOMPARE(m_stores->secrets.value(created->secretKey()), u"sk-old"_s);
    QCOMPARE(m_stores->secrets.operationCount(), operations);
}

void TestAccountService::updateWithFailingSecretRestoresRow()
{
    const auto created = create(draft(u"Main"_s), u"sk-old"_s);
    QVERIFY(created);
    const Account before = *m_stores->store.find(created->id);
    m_clock.advanceSecs(30);
    Account changed = before;
    changed.name = u"Renamed"_s;
    changed.tier = 2;
    m_stores->secrets.failNextWrite(SecretResult::Status::AccessDenied, u"keyring locked"_s);
    const auto updated = update(changed, u"sk-new"_s);
    QVERIFY(!updated);
    QCOMPARE(updated.error().kind, Error::Kind::Secret);
    QCOMPARE(updated.error().message, u"keyring locked"_s);
    const auto restored = m_stores->store.find(created->id);
    QVERIFY2(restored, "the row is gone");
    QCOMPARE(*restored, before);
    QCOMPARE(m_stores->secrets.value(created->secretKey()), u"sk-old"_s);
}

void TestAccountService::updateRefusesUnknownDuplicateOrInvalidAccounts()
{
    const auto one = create(draft(u"One"_s), u"sk-1"_s);
    const auto two = create(draft(u"Two"_s), u"sk-2"_s);
    QVERIFY(one && two);

    Account ghost = draft(u"Ghost"_s);
    ghost.id = QUuid::createUuid();
    QCOMPARE(update(ghost, u"sk-x"_s).error().kind, Error::Kind::NotFound);
    QVERIFY(!m_stores->secrets.contains(ghost.secretKey()));

    Account clash = *two;
    clash.name = u"one"_s;
    QCOMPARE(update(clash, u"sk-x"_s).error().kind, Error::Kind::Conflict);
    QCOMPARE(m_stores->secrets.value(two->secretKey()), u"sk-2"_s);

    Account invalid = *two;
    invalid.baseUrl = QUrl(u"ftp://example.com"_s);
    QCOMPARE(update(invalid, u"sk-x"_s).error().kind, Error::Kind::Invalid);
    QCOMPARE(*m_stores->store.find(two->id), *two);
    QCOMPARE(m_stores->secrets.value(two->secretKey()), u"sk-2"_s);
}

void TestAccountService::removeDeletesBoth()
{
    const auto keep = create(draft(u"Keep"_s), u"sk-keep"_s);
    const auto gone = create(draft(u"Gone"_s), u"sk-gone"_s);
    QVERIFY(keep && gone);
    const Status removed = remove(gone->id);
    QVERIFY2(removed, qPrintable(removed.ok() ? QString() : describe(removed.error())));
    QCOMPARE(m_stores->store.find(gone->id).error().kind, Error::Kind::NotFound);
    QVERIFY(!m_stores->secrets.contains(gone->secretKey()));
    QCOMPARE(m_stores->store.list()->size(), 1);
    QCOMPARE(m_stores->secrets.value(keep->secretKey()), u"sk-keep"_s);
}

void TestAccountService::removeWithoutSecretSucceeds()
{
    // The secret may already be gone (removed by hand from the keyring): still removable.
    const auto created = create(draft(u"Main"_s), u"sk-1"_s);
    QVERIFY(created);
    QVERIFY(SecretOps::remove(m_stores->secrets, created->secretKey()).ok());
    QVERIFY(remove(created->id));
    QVERIFY(m_stores->store.list()->isEmpty());
}

void TestAccountService::removeWithFailingSecretDeleteRestoresRow()
{
    const auto created = create(draft(u"Main"_s), u"sk-1"_s);
    QVERIFY(created);
    AccountHealth health;
    health.state = HealthState::Valid;
    health.lastUsed = m_clock.now().addSecs(5);
    health.usageCount = 3;
    QVERIFY(m_stores->store.updateHealth(created->id, health));
    const Account before = *m_stores->store.find(created->id);

    m_stores->secrets.failNextRemove(SecretResult::Status::Failed, u"keyring crashed"_s);
    const Status removed = remove(created->id);
    QVERIFY(!removed);
    QCOMPARE(removed.error().kind, Error::Kind::Secret);
    QCOMPARE(removed.error().message, u"keyring crashed"_s);
    // Row back exactly as it was, health and times included; the secret still there.
    const auto restored = m_stores->store.find(created->id);
    QVERIFY2(restored, "the row was not put back");
    QCOMPARE(*restored, before);
    QCOMPARE(m_stores->secrets.value(created->secretKey()), u"sk-1"_s);
    // And it can be removed once the keyring works again.
    QVERIFY(remove(created->id));
    QVERIFY(m_stores->store.list()->isEmpty());
    QCOMPARE(m_stores->secrets.count(), 0);
}

void TestAccountService::removeUnknownIsNotFound()
{
    const Status removed = remove(QUuid::createUuid());
    QVERIFY(!removed);
    QCOMPARE(removed.error().kind, Error::Kind::NotFound);
    QCOMPARE(m_stores->secrets.operationCount(), 0);
}

void TestAccountService::readSecretGivesTheKeyOrTheStoreError()
{
    const auto created = create(draft(u"Main"_s), u"sk-read-me"_s);
    QVERIFY(created);
    auto read
        = waitForResult<Result<QString>>([&](auto done) { m_stores->service.readSecret(*created, done); });
    QVERIFY(read);
    QVERIFY(*read);
    QCOMPARE(read->value(), u"sk-read-me"_s);

    m_stores->secrets.failNextRead(SecretResult::Status::AccessDenied, u"denied"_s);
    read
        = waitForResult<Result<QString>>([&](auto done) { m_stores->service.readSecret(*created, done); });
    QVERIFY(read);
    QVERIFY(!*read);
    QCOMPARE(read->error().kind, Error::Kind::Secret);
    QCOMPARE(read->error().message, u"denied"_s);
}

QTEST_GUILESS_MAIN(TestAccountService)
#include "tst_accountservice.moc"
