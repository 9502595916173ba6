// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/accesskeystore.h"
#include "support/fakeclock.h"
#include "support/testdatabase.h"
#include "support/testprinters.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace Qt::StringLiterals;

class TestAccessKeyStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void keyFormat();
    void hashIsSha256Hex();
    void create();
    void createRefusesBadNames_data();
    void createRefusesBadNames();
    void onlyTheHashIsStored();
    void verify();
    void verifyAfterRevokeFails();
    void revokeByReference_data();
    void revokeByReference();
    void revokeErrors();
    void listNewestFirst();
    void markUsed();

private:
    NewAccessKey create(const QString &name);

    FakeClock m_clock;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<AccessKeyStore> m_store;
};

void TestAccessKeyStore::init()
{
    SWITCHBOARD_REQUIRE_TEST_DATABASE();
    m_clock.setNow(FakeClock::defaultStart());
    auto db = TestDatabase::create(m_clock);
    QVERIFY2(db, qPrintable(errorMessage(db)));
    m_db = std::move(db).value();
    m_store = std::make_unique<AccessKeyStore>(m_db->database(), m_clock);
}

void TestAccessKeyStore::cleanup()
{
    m_store.reset();
    m_db.reset();
}

NewAccessKey TestAccessKeyStore::create(const QString &name)
{
    auto created = m_store->create(name);
    if (!created) {
        QTest::qFail(qPrintable(created.error().message), __FILE__, __LINE__);
        return {};
    }
    return *created;
}

void TestAccessKeyStore::keyFormat()
{
    static const QRegularExpression format(u"^sbk_[A-Za-z0-9_-]{43}$"_s);
    QSet<QString> seen;
    for (int i = 0; i < 50; ++i) {
        const QString key = AccessKeyStore::generateKey();
        QVERIFY2(format.match(key).hasMatch(), qPrintable(key));
        seen.insert(key);
    }
    QCOMPARE(seen.size(), 50);
    // 32 random bytes behind the prefix.
    const QString key = AccessKeyStore::generateKey();
    QCOMPARE(QByteArray::fromBase64(key.mid(4).toLatin1(), QByteArray::Base64UrlEncoding).size(),
             32);
}

void TestAccessKeyStore::hashIsSha256Hex()
{
    const QString key = u"sbk_example"_s;
    QCOMPARE(AccessKeyStore::hashKey(key),
             QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex());
    QCOMPARE(AccessKeyStore::hashKey(key).size(), 64);
    QVERIFY(AccessKeyStore::hashKey(key) != AccessKeyStore::hashKey(u"sbk_examplf"_s));
}

void TestAccessKeyStore::create()
{
    const NewAccessKey created = create(u"  Laptop  "_s);
    QVERIFY(created.plaintext.startsWith(u"sbk_"));
    QCOMPARE(created.key.name, u"Laptop"_s);
    QVERIFY(!created.key.id.isNull());
    QCOMPARE(created.key.prefix, created.plaintext.left(AccessKeyStore::prefixLength));
    QCOMPARE(created.key.hash, AccessKeyStore::hashKey(created.plaintext));
    QCOMPARE(created.key.createdAt, m_clock.now());
    QVERIFY(created.key.lastUsedAt.isNull());
    QVERIFY(!created.key.isRevoked());

    const auto listed = m_store->list();
    QVERIFY(listed);
    QCOMPARE(listed->size(), 1);
    const AccessKey &stored = listed->first();
    QCOMPARE(stored.id, created.key.id);
    QCOMPARE(stored.name, created.key.name);
    QCOMPARE(stored.prefix, created.key.prefix);
    QCOMPARE(stored.hash, created.key.hash);
    QCOMPARE(stored.createdAt, created.key.createdAt);
    QVERIFY(stored.lastUsedAt.isNull());
    QVERIFY(stored.revokedAt.isNull());
}

void TestAccessKeyStore::createRefusesBadNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("blank") << u"   "_s;
    QTest::newRow("too long") << QString(101, u'k');
}

void TestAccessKeyStore::createRefusesBadNames()
{
    QFETCH(QString, name);
    const auto created = m_store->create(name);
    QVERIFY(!created);
    QCOMPARE(created.error().kind, Error::Kind::Invalid);
    QVERIFY(m_store->list()->isEmpty());
}

void TestAccessKeyStore::onlyTheHashIsStored()
{
    const NewAccessKey created = create(u"CI runner"_s);
    const QString secretPart = created.plaintext.mid(AccessKeyStore::prefixLength);
    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(u"SELECT * FROM access_keys"_s));
    int rows = 0;
    bool hashSeen = false;
    while (q.next()) {
        ++rows;
        for (int column = 0; column < q.record().count(); ++column) {
            const QString value = q.value(column).toString();
            const QString name = q.record().fieldName(column);
            QVERIFY2(!value.contains(created.plaintext), qPrintable(name));
            QVERIFY2(!value.contains(secretPart), qPrintable(name));
            hashSeen = hashSeen || value == QString::fromLatin1(created.key.hash);
        }
    }
    QCOMPARE(rows, 1);
    QVERIFY(hashSeen);
}

void TestAccessKeyStore::verify()
{
    const NewAccessKey one = create(u"one"_s);
    const NewAccessKey two = create(u"two"_s);
    auto verified = m_store->verify(one.plaintext);
    QVERIFY2(verified, qPrintable(errorMessage(verified)));
    QCOMPARE(verified->id, one.key.id);
    verified = m_store->verify(two.plaintext);
    QVERIFY(verified);
    QCOMPARE(verified->id, two.key.id);

    QString tampered = one.plaintext;
    tampered[tampered.size() - 1] = tampered.back() == u'A' ? u'B' : u'A';
    for (const QString &wrong : QStringList {
             tampered, one.plaintext.left(AccessKeyStore::prefixLength), one.plaintext + u"x"_s,
             QString::fromLatin1(one.key.hash), u" "_s + one.plaintext, QString() }) {
        const auto refused = m_store->verify(wrong);
        QVERIFY2(!refused, qPrintable(wrong));
        QCOMPARE(refused.error().kind, Error::Kind::NotFound);
    }
}

void TestAccessKeyStore::verifyAfterRevokeFails()
{
    const NewAccessKey kept = create(u"kept"_s);
    const NewAccessKey revoked = create(u"revoked"_s);
    m_clock.advanceSecs(10);
    const auto r = m_store->revoke(u"revoked"_s);
    QVERIFY(r);
    QCOMPARE(r->revokedAt, m_clock.now());
    QVERIFY(r->isRevoked());

    const auto refused = m_store->verify(revoked.plaintext);
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Error::Kind::NotFound);
    QVERIFY(m_store->verify(kept.plaintext));
}

void TestAccessKeyStore::revokeByReference_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("name") << u"name"_s;
    QTest::newRow("key prefix") << u"prefix"_s;
    QTest::newRow("full id") << u"id"_s;
    QTest::newRow("id upper case") << u"ID"_s;
    QTest::newRow("id prefix") << u"idprefix"_s;
}

void TestAccessKeyStore::revokeByReference()
{
    QFETCH(QString, how);
    const NewAccessKey other = create(u"other"_s);
    const NewAccessKey target = create(u"target"_s);
    QString reference;
    if (how == u"name")
        reference = target.key.name;
    else if (how == u"prefix")
        reference = target.key.prefix;
    else if (how == u"id")
        reference = target.key.idString();
    else if (how == u"ID")
        reference = target.key.idString().toUpper();
    else
        reference = target.key.idString().left(8);
    if (how == u"idprefix" && other.key.idString().startsWith(reference))
        QSKIP("random ids share 8 characters");

    const auto revoked = m_store->revoke(reference);
    QVERIFY2(revoked, qPrintable(errorMessage(revoked)));
    QCOMPARE(revoked->id, target.key.id);
    QVERIFY(!m_store->verify(target.plaintext));
    QVERIFY(m_store->verify(other.plaintext));
    // Revoked keys stay listed.
    const auto listed = m_store->list();
    QCOMPARE(listed->size(), 2);
    for (const AccessKey &k : *listed)
        QCOMPARE(k.isRevoked(), k.id == target.key.id);
}

void TestAccessKeyStore::revokeErrors()
{
    create(u"twin"_s);
    create(u"twin"_s);
    const NewAccessKey single = create(u"single"_s);

    auto r = m_store->revoke(u"twin"_s);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Invalid); // ambiguous
    r = m_store->revoke(u"nobody"_s);
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::NotFound);
    r = m_store->revoke(u"abc"_s); // too short to be an id prefix
    QCOMPARE(r.error().kind, Error::Kind::NotFound);

    QVERIFY(m_store->revoke(u"single"_s));
    r = m_store->revoke(single.key.idString());
    QVERIFY(!r);
    QCOMPARE(r.error().kind, Error::Kind::Invalid); // already revoked
    const auto keys = m_store->list(); // a range-for over *temporary would dangle
    for (const AccessKey &k : *keys)
        QCOMPARE(k.isRevoked(), k.id == single.key.id);
}

void TestAccessKeyStore::listNewestFirst()
{
    const NewAccessKey first = create(u"first"_s);
    m_clock.advanceSecs(1);
    const NewAccessKey second = create(u"second"_s);
    m_clock.advance(std::chrono::milliseconds(1));
    const NewAccessKey third = create(u"third"_s);
    QVERIFY(m_store->revoke(u"second"_s));

    const auto listed = m_store->list();
    QVERIFY(listed);
    QCOMPARE(listed->size(), 3);
    QCOMPARE(listed->at(0).id, third.key.id);
    QCOMPARE(listed->at(1).id, second.key.id);
    QCOMPARE(listed->at(2).id, first.key.id);
    QCOMPARE(listed->at(2).createdAt, FakeClock::defaultStart());
}

void TestAccessKeyStore::markUsed()
{
    const NewAccessKey a = create(u"a"_s);
    const NewAccessKey b = create(u"b"_s);
    const QDateTime when = m_clock.now().addSecs(90).addMSecs(5);
    QVERIFY(m_store->markUsed(a.key.id, when));
    const auto keys = m_store->list();
    for (const AccessKey &k : *keys) {
        if (k.id == a.key.id)
            QCOMPARE(k.lastUsedAt, when);
        else
            QVERIFY(k.lastUsedAt.isNull());
    }
    QCOMPARE(m_store->verify(a.plaintext)->lastUsedAt, when);
    QVERIFY(m_store->verify(b.plaintext)->lastUsedAt.isNull());
}

QTEST_GUILESS_MAIN(TestAccessKeyStore)
#include "tst_accesskeystore.moc"
