// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/filesecretstore.h"
#include "support/secretops.h"
#include "support/testprinters.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr QFileDevice::Permissions groupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup
    | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
    | QFileDevice::ExeOther;

} // namespace

class TestFileSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void writeReadOverwriteRemove();
    void readMissingFile();
    void callbacksRunLater();
    void fileIsOwnerOnly();
    void widePermissionsAreNarrowedOnWrite();
    void fileFormat();
    void corruptFileFails_data();
    void corruptFileFails();
    void twoStoresShareOneFile();
    void createsMissingFolder();

private:
    void verifyOwnerOnly(const QString &path);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
};

void TestFileSecretStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(u"secrets.json"_s);
    // The store warns that secrets are in plaintext, once per file: each test has a new one.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"plaintext file"_s));
}

void TestFileSecretStore::verifyOwnerOnly(const QString &path)
{
#ifdef Q_OS_UNIX
    const QFileDevice::Permissions p = QFile::permissions(path);
    QVERIFY2(p.testFlag(QFileDevice::ReadOwner) && p.testFlag(QFileDevice::WriteOwner),
             qPrintable(path));
    QVERIFY2(!(p & groupOrOther), qPrintable(u"%1 has mode %2"_s.arg(path).arg(int(p), 0, 16)));
    QVERIFY(!p.testFlag(QFileDevice::ExeOwner));
#else
    Q_UNUSED(path)
#endif
}

void TestFileSecretStore::writeReadOverwriteRemove()
{
    FileSecretStore store(m_path);
    QVERIFY(store.description().contains(m_path));

    auto r = SecretOps::write(store, u"acct-1"_s, u"sk-first"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    r = SecretOps::read(store, u"acct-1"_s);
    QCOMPARE(r.status, SecretResult::Status::Ok);
    QCOMPARE(r.secret, u"sk-first"_s);

    r = SecretOps::write(store, u"acct-1"_s, u"sk-second"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    r = SecretOps::write(store, u"acct-2"_s, u"sk-other ünïcode"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    r = SecretOps::read(store, u"acct-1"_s);
    QCOMPARE(r.secret, u"sk-second"_s);

    r = SecretOps::remove(store, u"acct-1"_s);
    QCOMPARE(r.status, SecretResult::Status::Ok);
    r = SecretOps::read(store, u"acct-1"_s);
    QCOMPARE(r.status, SecretResult::Status::NotFound);
    QVERIFY(!r.message.isEmpty());
    QVERIFY(r.secret.isEmpty());
    r = SecretOps::remove(store, u"acct-1"_s);
    QCOMPARE(r.status, SecretResult::Status::NotFound);

    // The other entry is untouched.
    r = SecretOps::read(store, u"acct-2"_s);
    QCOMPARE(r.secret, u"sk-other ünïcode"_s);
}

void TestFileSecretStore::readMissingFile()
{
    FileSecretStore store(m_path);
    const auto r = SecretOps::read(store, u"acct-1"_s);
    QCOMPARE(r.status, SecretResult::Status::NotFound);
    const auto removed = SecretOps::remove(store, u"acct-1"_s);
    QCOMPARE(removed.status, SecretResult::Status::NotFound);
    QVERIFY(!QFile::exists(m_path));
}

void TestFileSecretStore::callbacksRunLater()
{
    FileSecretStore store(m_path);
    int calls = 0;
    store.write(u"k"_s, u"v"_s, [&calls](const SecretResult &) { ++calls; });
    store.read(u"k"_s, [&calls](const SecretResult &) { ++calls; });
    store.read(u"missing"_s, [&calls](const SecretResult &) { ++calls; });
    QCOMPARE(calls, 0);
    QTRY_COMPARE(calls, 3);
}

void TestFileSecretStore::fileIsOwnerOnly()
{
    FileSecretStore store(m_path);
    QVERIFY(SecretOps::write(store, u"a"_s, u"one"_s).ok());
    verifyOwnerOnly(m_path);
    QVERIFY(SecretOps::write(store, u"a"_s, u"two"_s).ok());
    verifyOwnerOnly(m_path);
    QVERIFY(SecretOps::remove(store, u"a"_s).ok());
    verifyOwnerOnly(m_path);
}

void TestFileSecretStore::widePermissionsAreNarrowedOnWrite()
{
#ifndef Q_OS_UNIX
    QSKIP("POSIX permissions only");
#endif
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format": "switchboard-secrets", "version": 1, "secrets": {"a": "x"}})");
    }
    QVERIFY(QFile::setPermissions(m_path,
                                  QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                      | QFileDevice::ReadGroup | QFileDevice::ReadOther));
    FileSecretStore store(m_path);
    const auto r = SecretOps::write(store, u"b"_s, u"y"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    verifyOwnerOnly(m_path);
    QCOMPARE(SecretOps::read(store, u"a"_s).secret, u"x"_s);
}

void TestFileSecretStore::fileFormat()
{
    FileSecretStore store(m_path);
    QVERIFY(SecretOps::write(store, u"acct"_s, u"sk-123"_s).ok());
    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(root.value(u"format").toString(), u"switchboard-secrets"_s);
    QCOMPARE(root.value(u"version").toInt(), 1);
    QCOMPARE(root.value(u"secrets").toObject().value(u"acct").toString(), u"sk-123"_s);
}

void TestFileSecretStore::corruptFileFails_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("not json") << "this is not json {"_ba;
    QTest::newRow("truncated") << R"({"format": "switchboard-secrets", "secrets": {"a": )"_ba;
    QTest::newRow("array") << "[1, 2]"_ba;
    QTest::newRow("no secrets object") << R"({"format": "other", "secrets": []})"_ba;
    QTest::newRow("empty file") << QByteArray();
}

void TestFileSecretStore::corruptFileFails()
{
    QFETCH(QByteArray, content);
    {
        QFile file(m_path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    FileSecretStore store(m_path);
    const auto read = SecretOps::read(store, u"a"_s);
    QCOMPARE(read.status, SecretResult::Status::Failed);
    QVERIFY2(read.message.contains(m_path), qPrintable(read.message));

    // A write must not replace the unreadable file (and lose whatever it held).
    const auto write = SecretOps::write(store, u"a"_s, u"new"_s);
    QCOMPARE(write.status, SecretResult::Status::Failed);
    QVERIFY(!write.message.isEmpty());
    const auto remove = SecretOps::remove(store, u"a"_s);
    QCOMPARE(remove.status, SecretResult::Status::Failed);

    QFile file(m_path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), content);
}

void TestFileSecretStore::twoStoresShareOneFile()
{
    FileSecretStore first(m_path);
    FileSecretStore second(m_path); // same file: no second warning
    QTest::failOnWarning(QRegularExpression(u"plaintext file"_s));

    QVERIFY(SecretOps::write(first, u"a"_s, u"from-first"_s).ok());
    QVERIFY(SecretOps::write(second, u"b"_s, u"from-second"_s).ok());
    QCOMPARE(SecretOps::read(second, u"a"_s).secret, u"from-first"_s);
    // The first store must not have overwritten the file from a stale copy.
    QCOMPARE(SecretOps::read(first, u"b"_s).secret, u"from-second"_s);

    QVERIFY(SecretOps::remove(second, u"a"_s).ok());
    QCOMPARE(SecretOps::read(first, u"a"_s).status, SecretResult::Status::NotFound);
    QCOMPARE(SecretOps::read(first, u"b"_s).secret, u"from-second"_s);
}

void TestFileSecretStore::createsMissingFolder()
{
    const QString path = m_dir->filePath(u"deeper/still/secrets.json"_s);
    FileSecretStore store(path);
    const auto r = SecretOps::write(store, u"a"_s, u"x"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QVERIFY(QFile::exists(path));
    verifyOwnerOnly(path);
}

QTEST_GUILESS_MAIN(TestFileSecretStore)
#include "tst_filesecretstore.moc"
