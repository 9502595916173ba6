// SPDX-License-Identifier: GPL-3.0-or-later
//
// Runs against the real Secret Service (gnome-keyring under dbus-run-session, started by
// scripts/with-test-services). Every run uses its own service name, so runs never collide
// and nothing touches the user's real "Switchboard" entries.
#include "core/keychainsecretstore.h"
#include "support/fakeclock.h"
#include "support/secretops.h"
#include "support/testprinters.h"
#include "support/testservices.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// Set in the child process that checks the store without a reachable bus: libsecret keeps
// its D-Bus connection for the life of a process, so that case needs a process of its own.
const char probeVariable[] = "SWITCHBOARD_TEST_KEYCHAIN_PROBE";

QString statusName(SecretResult::Status status)
{
    switch (status) {
    case SecretResult::Status::Ok:
        return u"ok"_s;
    case SecretResult::Status::NotFound:
        return u"not-found"_s;
    case SecretResult::Status::NoBackend:
        return u"no-backend"_s;
    case SecretResult::Status::AccessDenied:
        return u"access-denied"_s;
    case SecretResult::Status::Failed:
        break;
    }
    return u"failed"_s;
}

/// The child: one write and one read with whatever bus the environment names, printed as
/// JSON. The retry after a keyring that does not answer waits on a fake clock here, so
/// the probe also reports that each operation was retried once its delay had passed.
int runProbe()
{
    FakeClock clock;
    KeychainSecretStore store(clock, u"SwitchboardTest-probe-"_s
                                         + QUuid::createUuid().toString(QUuid::WithoutBraces));
    bool retried = true;
    auto attempt = [&](const std::function<void(SecretStore::Callback)> &start) {
        std::optional<SecretResult> result;
        start([&result](const SecretResult &r) { result = r; });
        QTest::qWaitFor([&] { return result || clock.activeTimers() > 0; }, 30000);
        retried = retried && !result && clock.activeTimers() == 1;
        clock.advance(299ms);
        retried = retried && clock.activeTimers() == 1; // not yet
        clock.advance(1ms);
        QTest::qWaitFor([&] { return result.has_value(); }, 30000);
        return SecretOps::orTimeout(result);
    };
    const SecretResult written = attempt(
        [&](SecretStore::Callback done) { store.write(u"probe"_s, u"sk-probe"_s, done); });
    const SecretResult read
        = attempt([&](SecretStore::Callback done) { store.read(u"probe"_s, done); });
    const QJsonObject out {
        { u"write_status"_s, statusName(written.status) },
        { u"write_message"_s, written.message },
        { u"read_status"_s, statusName(read.status) },
        { u"read_message"_s, read.message },
        { u"retried_after_delay"_s, retried },
    };
    QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Compact) << Qt::endl;
    return 0;
}

} // namespace

class TestKeychainSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void writeReadOverwriteRemove();
    void keysAreSeparate();
    void callbacksRunLater();
    void storeMayBeDestroyedWhileJobsRun();
    void unreachableBusIsRetriedOnceThenSaysWhatToDo();

private:
    SystemClock m_clock;
    QString m_service;
    QStringList m_keys;
};

void TestKeychainSecretStore::initTestCase()
{
    m_service = u"SwitchboardTest-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_keys = { u"alpha"_s, u"beta"_s, u"orphan"_s };
}

void TestKeychainSecretStore::cleanupTestCase()
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        return;
    // Leave nothing behind, whatever failed.
    KeychainSecretStore store(m_clock, m_service);
    for (const QString &key : std::as_const(m_keys))
        SecretOps::remove(store, key);
}

#define REQUIRE_SECRET_SERVICE()                                                                   \
    SWITCHBOARD_REQUIRE_SERVICE(qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")            \
                                    ? u"no D-Bus session (DBUS_SESSION_BUS_ADDRESS is unset) "     \
                                      "for the Secret Service"_s                                   \
                                    : QString())

void TestKeychainSecretStore::writeReadOverwriteRemove()
{
    REQUIRE_SECRET_SERVICE();
    KeychainSecretStore store(m_clock, m_service);
    QVERIFY(!store.description().isEmpty());

    SecretResult r = SecretOps::write(store, u"alpha"_s, u"sk-ant-first"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    r = SecretOps::read(store, u"alpha"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.secret, u"sk-ant-first"_s);

    r = SecretOps::write(store, u"alpha"_s, u"sk-ant-second ünïcode"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    r = SecretOps::read(store, u"alpha"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    QCOMPARE(r.secret, u"sk-ant-second ünïcode"_s);

    r = SecretOps::remove(store, u"alpha"_s);
    QVERIFY2(r.ok(), qPrintable(r.message));
    r = SecretOps::read(store, u"alpha"_s);
    QCOMPARE(r.status, SecretResult::Status::NotFound);
    QVERIFY(r.secret.isEmpty());
    QVERIFY(!r.message.isEmpty());
    r = SecretOps::remove(store, u"alpha"_s);
    QCOMPARE(r.status, SecretResult::Status::NotFound);
}

void TestKeychainSecretStore::keysAreSeparate()
{
    REQUIRE_SECRET_SERVICE();
    KeychainSecretStore store(m_clock, m_service);
    QVERIFY(SecretOps::write(store, u"alpha"_s, u"a-secret"_s).ok());
    QVERIFY(SecretOps::write(store, u"beta"_s, u"b-secret"_s).ok());
    QCOMPARE(SecretOps::read(store, u"alpha"_s).secret, u"a-secret"_s);
    QCOMPARE(SecretOps::read(store, u"beta"_s).secret, u"b-secret"_s);

    // Another service name is another namespace.
    KeychainSecretStore other(m_clock, m_service + u"-other"_s);
    QCOMPARE(SecretOps::read(other, u"alpha"_s).status, SecretResult::Status::NotFound);

    QVERIFY(SecretOps::remove(store, u"alpha"_s).ok());
    QCOMPARE(SecretOps::read(store, u"beta"_s).secret, u"b-secret"_s);
    QVERIFY(SecretOps::remove(store, u"beta"_s).ok());
}

void TestKeychainSecretStore::callbacksRunLater()
{
    REQUIRE_SECRET_SERVICE();
    KeychainSecretStore store(m_clock, m_service);
    int calls = 0;
    store.read(u"never-written"_s, [&calls](const SecretResult &) { ++calls; });
    QCOMPARE(calls, 0);
    QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 30000);
}

void TestKeychainSecretStore::storeMayBeDestroyedWhileJobsRun()
{
    REQUIRE_SECRET_SERVICE();
    auto result = std::make_shared<std::optional<SecretResult>>();
    {
        KeychainSecretStore store(m_clock, m_service);
        store.write(u"orphan"_s, u"sk-orphan"_s,
                    [result](const SecretResult &r) { result->emplace(r); });
    }
    QTRY_VERIFY_WITH_TIMEOUT(result->has_value(), 30000);
    QVERIFY2((*result)->ok(), qPrintable((*result)->message));
    KeychainSecretStore store(m_clock, m_service);
    QCOMPARE(SecretOps::read(store, u"orphan"_s).secret, u"sk-orphan"_s);
    QVERIFY(SecretOps::remove(store, u"orphan"_s).ok());
}

void TestKeychainSecretStore::unreachableBusIsRetriedOnceThenSaysWhatToDo()
{
    // Needs no service: the point is that there is none.
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(probeVariable), u"1"_s);
    env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s,
               u"unix:path=/nonexistent/switchboard-test/bus-"_s
                   + QUuid::createUuid().toString(QUuid::WithoutBraces));
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY2(child.waitForFinished(60000), "the probe process did not finish");
    QCOMPARE(child.exitStatus(), QProcess::NormalExit);
    QCOMPARE(child.exitCode(), 0);

    const QByteArray output = child.readAllStandardOutput().trimmed();
    const QJsonObject result = QJsonDocument::fromJson(output.split('\n').last()).object();
    QVERIFY2(!result.isEmpty(), output.constData());
    for (const QString &op : { u"write"_s, u"read"_s }) {
        const QString status = result.value(op + u"_status"_s).toString();
        const QString message = result.value(op + u"_message"_s).toString();
        QVERIFY2(status == u"no-backend" || status == u"failed",
                 qPrintable(op + u": "_s + status + u" "_s + message));
        QVERIFY2(message.contains(u"--secrets-file"), qPrintable(message));
    }
    QVERIFY(result.value(u"retried_after_delay"_s).toBool());
}

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(probeVariable))
        return runProbe();
    TestKeychainSecretStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_keychainsecretstore.moc"
