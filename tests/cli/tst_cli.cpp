// SPDX-License-Identifier: GPL-3.0-or-later
// The command line end to end: the real executable, a real database (SQLite file or
// PostgreSQL) and the real Secret Service.
#include "core/clock.h"
#include "core/keychainsecretstore.h"
#include "support/secretops.h"
#include "support/testdatabase.h"
#include "switchboardprocess.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QByteArray secret = "sbtest-secret-7f3a9c1e5d"_ba;

bool isPrivate(const QString &path)
{
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
        | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
    const auto perms = QFile::permissions(path);
    return QFile::exists(path) && !(perms & others) && (perms & QFileDevice::ReadOwner)
        && (perms & QFileDevice::WriteOwner);
}

QString databaseUrl(const DatabaseConfig &c)
{
    return u"postgresql://%1@%2:%3/%4"_s.arg(c.user, c.host).arg(c.port).arg(c.databaseName);
}

} // namespace

class TestCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void addSurvivesRestartAndKeepsSecretInKeychain();
    void secretNeverReachesDatabaseOrOutput();
    void badInputIsRefusedAndWritesNothing_data();
    void badInputIsRefusedAndWritesNothing();
    void noKeychainIsAClearErrorAndStoresNothing();
    void secretsFileIsPrivateAndWarned();
    void editEnableDisableShowRemove();
    void exportAndImport();
    void importIsAllOrNothing();
    void importWithoutSecretsLeavesAccountsDisabled();
    void accessKeysAreShownOnceAndStoredHashed();
    void settingsAreValidated();

private:
    ProcessResult sb(const QStringList &args, const QByteArray &input = {}) const;
    QJsonArray accounts() const;
    /// Every byte of the database: the SQLite files, or a dump of every table.
    QByteArray databaseBytes() const;

    SystemClock m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SwitchboardProcess> m_process;
};

void TestCli::init()
{
    SWITCHBOARD_REQUIRE_TEST_DATABASE();
    SWITCHBOARD_REQUIRE_SERVICE(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS")
                                    ? QString()
                                    : u"no D-Bus session with a Secret Service"_s);
    m_dir = std::make_unique<QTemporaryDir>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"SWITCHBOARD_DATA_DIR"_s, m_dir->filePath(u"data"_s));
    env.remove(u"SWITCHBOARD_DATABASE_URL"_s);
    if (TestDatabase::backend() == TestDatabase::Backend::PostgreSQL) {
        auto db = TestDatabase::create(m_clock);
        QVERIFY2(db, qPrintable(db.error().message));
        m_db = std::move(db).value();
        env.insert(u"SWITCHBOARD_DATABASE_URL"_s, databaseUrl(m_db->config()));
    }
    m_process = std::make_unique<SwitchboardProcess>(env);
}

void TestCli::cleanup()
{
    m_process.reset();
    m_db.reset();
    m_dir.reset();
}

ProcessResult TestCli::sb(const QStringList &args, const QByteArray &input) const
{
    return m_process->run(args, input);
}

QJsonArray TestCli::accounts() const
{
    const ProcessResult r = sb({u"accounts"_s, u"list"_s, u"--json"_s});
    if (r.exitCode != 0)
        qWarning() << "accounts list failed:" << r.err;
    return QJsonDocument::fromJson(r.out.toUtf8()).array();
}

QByteArray TestCli::databaseBytes() const
{
    QByteArray bytes;
    if (!m_db) {
        QDirIterator it(m_dir->filePath(u"data"_s), QDir::Files);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                bytes += file.readAll();
        }
        return bytes;
    }
    for (const QString &table : m_db->connection().tables()) {
        QSqlQuery q(m_db->connection());
        q.exec(u"SELECT * FROM "_s + table);
        while (q.next()) {
            for (int i = 0; i < q.record().count(); ++i)
                bytes += q.value(i).toString().toUtf8() + '\n';
        }
    }
    return bytes;
}

void TestCli::addSurvivesRestartAndKeepsSecretInKeychain()
{
    const ProcessResult added
        = sb({u"accounts"_s, u"add"_s, u"--name"_s, u"work"_s, u"--provider"_s, u"anthropic"_s,
              u"--base-url"_s, u"https://api.anthropic.com/v1/"_s, u"--map"_s,
              u"claude-opus-*=claude-opus-4"_s, u"--json"_s},
             secret + '\n');
    QCOMPARE(added.exitCode, 0);
    const QJsonObject account = QJsonDocument::fromJson(added.out.toUtf8()).object();
    QCOMPARE(account.value(u"name").toString(), u"work"_s);
    // Pasted with /v1 and a trailing slash: stored the way the gateway appends paths.
    QCOMPARE(account.value(u"base_url").toString(), u"https://api.anthropic.com"_s);

    // A new process ("after a restart") lists it.
    const QJsonArray listed = accounts();
    QCOMPARE(listed.size(), 1);
    QCOMPARE(listed[0].toObject().value(u"id"), account.value(u"id"));
    QCOMPARE(listed[0].toObject().value(u"model_map").toArray().size(), 1);

    KeychainSecretStore keychain(m_clock);
    const SecretResult stored = SecretOps::read(keychain, account.value(u"id").toString());
    QVERIFY2(stored.ok(), qPrintable(stored.message));
    QCOMPARE(stored.secret, QString::fromLatin1(secret));

    const ProcessResult removed = sb({u"accounts"_s, u"remove"_s, u"work"_s});
    QCOMPARE(removed.exitCode, 0);
    QCOMPARE(SecretOps::read(keychain, account.value(u"id").toString()).status,
             SecretResult::Status::NotFound);
}

void TestCli::secretNeverReachesDatabaseOrOutput()
{
    const ProcessResult added = sb({u"accounts"_s, u"add"_s, u"--name"_s, u"a"_s}, secret);
    QCOMPARE(added.exitCode, 0);
    QVERIFY(!added.out.contains(QString::fromLatin1(secret)));
    QVERIFY(!added.err.contains(QString::fromLatin1(secret)));
    for (const QStringList &args : {QStringList {u"accounts"_s, u"list"_s, u"--json"_s},
                                    QStringList {u"accounts"_s, u"show"_s, u"a"_s},
                                    QStringList {u"accounts"_s, u"export"_s, u"-"_s}}) {
        const ProcessResult r = sb(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.out.contains(QString::fromLatin1(secret)), qPrintable(args.join(u' ')));
        QVERIFY(!r.err.contains(QString::fromLatin1(secret)));
    }
    QVERIFY(!databaseBytes().isEmpty());
    QVERIFY(!databaseBytes().contains(secret));
}

void TestCli::badInputIsRefusedAndWritesNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("message");

    const QStringList add = {u"accounts"_s, u"add"_s, u"--name"_s};
    QTest::newRow("unknown provider") << add + QStringList {u"x"_s, u"--provider"_s, u"gemini"_s}
                                      << secret << u"Unknown provider \"gemini\""_s;
    QTest::newRow("malformed URL") << add + QStringList {u"x"_s, u"--base-url"_s, u"api:/x"_s}
                                   << secret << u"Base URL \"api:/x\""_s;
    QTest::newRow("duplicate name")
        << add + QStringList {u"Existing"_s} << secret << u"already exists"_s;
    QTest::newRow("empty secret") << add + QStringList {u"x"_s} << "  \n"_ba
                                  << u"No API key was given"_s;
    QTest::newRow("secret with spaces")
        << add + QStringList {u"x"_s} << "two words"_ba << u"must not contain spaces"_s;
    QTest::newRow("bad tier") << add + QStringList {u"x"_s, u"--tier"_s, u"0"_s} << secret
                              << u"Tier must be between 1 and 9"_s;
    QTest::newRow("tier not a number") << add + QStringList {u"x"_s, u"--tier"_s, u"high"_s}
                                       << secret << u"--tier must be a whole number"_s;
    QTest::newRow("bad mapping") << add + QStringList {u"x"_s, u"--map"_s, u"claude"_s} << secret
                                 << u"PATTERN=MODEL"_s;
    QTest::newRow("reserved header")
        << add + QStringList {u"x"_s, u"--header"_s, u"Authorization: x"_s} << secret
        << u"set by Switchboard itself"_s;
    QTest::newRow("unknown id") << QStringList {u"accounts"_s, u"show"_s, u"nope"_s} << QByteArray()
                                << u"No account named or with id \"nope\""_s;
    QTest::newRow("unknown id remove") << QStringList {u"accounts"_s, u"remove"_s, u"nope"_s}
                                       << QByteArray() << u"No account named"_s;
    QTest::newRow("malformed import") << QStringList {u"accounts"_s, u"import"_s, u"-"_s}
                                      << "{\"accounts\": [oops"_ba << u"not valid JSON"_s;
    QTest::newRow("unknown option")
        << add + QStringList {u"x"_s, u"--colour"_s, u"red"_s} << secret << u"Unknown option"_s;
    QTest::newRow("secret on the command line is no option")
        << add + QStringList {u"x"_s, u"--secret"_s, u"abc"_s} << secret << u"Unknown option"_s;
}

void TestCli::badInputIsRefusedAndWritesNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, input);
    QFETCH(QString, message);
    QCOMPARE(sb({u"accounts"_s, u"add"_s, u"--name"_s, u"Existing"_s}, secret).exitCode, 0);
    const QJsonArray before = accounts();

    const ProcessResult r = sb(args, input);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(u'\n'), 0); // one line
    QVERIFY(r.err.startsWith(u"switchboard: "_s));
    QCOMPARE(accounts(), before);
}

void TestCli::noKeychainIsAClearErrorAndStoresNothing()
{
    m_process->environment().insert(u"DBUS_SESSION_BUS_ADDRESS"_s,
                                    u"unix:path="_s + m_dir->filePath(u"no-bus"_s));
    const ProcessResult r = sb({u"accounts"_s, u"add"_s, u"--name"_s, u"x"_s}, secret);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"keychain is not available"_s), qPrintable(r.err));
    QVERIFY(r.err.contains(u"--secrets-file"_s));
    QCOMPARE(accounts().size(), 0);
    QVERIFY(!databaseBytes().contains(secret));
}

void TestCli::secretsFileIsPrivateAndWarned()
{
    const QString path = m_dir->filePath(u"secrets/keys.json"_s);
    const ProcessResult r = sb(
        {u"--secrets-file"_s, path, u"accounts"_s, u"add"_s, u"--name"_s, u"server"_s}, secret);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains(u"plaintext file"_s), qPrintable(r.err));
    QVERIFY(r.out.contains(u"secrets file"_s));
    QVERIFY(isPrivate(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains(secret));
    QVERIFY(!databaseBytes().contains(secret));
}

void TestCli::editEnableDisableShowRemove()
{
    QCOMPARE(sb({u"accounts"_s, u"add"_s, u"--name"_s, u"oa"_s, u"--provider"_s, u"openai"_s,
                 u"--tier"_s, u"2"_s, u"--weight"_s, u"5"_s, u"--models"_s, u"gpt-4o,o3"_s,
                 u"--header"_s, u"OpenAI-Organization: org-1"_s},
                secret)
                 .exitCode,
             0);
    QJsonObject a = accounts()[0].toObject();
    QCOMPARE(a.value(u"auth").toString(), u"bearer"_s);
    QCOMPARE(a.value(u"base_url").toString(), u"https://api.openai.com/v1"_s);
    QCOMPARE(a.value(u"models").toArray(), QJsonArray({u"gpt-4o"_s, u"o3"_s}));
    QCOMPARE(a.value(u"extra_headers").toObject().value(u"OpenAI-Organization"), u"org-1"_s);

    const QString id = a.value(u"id").toString();
    QCOMPARE(sb({u"accounts"_s, u"edit"_s, id.left(8), u"--name"_s, u"renamed"_s, u"--priority"_s,
                 u"7"_s, u"--clear-headers"_s, u"--secret"_s},
                "sbtest-new-secret-1")
                 .exitCode,
             0);
    a = accounts()[0].toObject();
    QCOMPARE(a.value(u"name").toString(), u"renamed"_s);
    QCOMPARE(a.value(u"priority").toInt(), 7);
    QCOMPARE(a.value(u"weight").toInt(), 5); // untouched
    QVERIFY(a.value(u"extra_headers").toObject().isEmpty());
    KeychainSecretStore keychain(m_clock);
    QCOMPARE(SecretOps::read(keychain, id).secret, u"sbtest-new-secret-1"_s);

    QCOMPARE(sb({u"accounts"_s, u"disable"_s, u"renamed"_s}).exitCode, 0);
    QCOMPARE(accounts()[0].toObject().value(u"enabled").toBool(), false);
    const ProcessResult listed = sb({u"accounts"_s, u"list"_s});
    QVERIFY2(listed.out.contains(u"disabled"_s), qPrintable(listed.out));
    QCOMPARE(sb({u"accounts"_s, u"enable"_s, u"renamed"_s}).exitCode, 0);
    QCOMPARE(accounts()[0].toObject().value(u"enabled").toBool(), true);

    const ProcessResult shown = sb({u"accounts"_s, u"show"_s, u"renamed"_s});
    QCOMPARE(shown.exitCode, 0);
    QVERIFY(shown.out.contains(u"Models:"_s) && shown.out.contains(u"gpt-4o, o3"_s));

    QCOMPARE(sb({u"accounts"_s, u"remove"_s, id}).exitCode, 0);
    QCOMPARE(accounts().size(), 0);
    QCOMPARE(SecretOps::read(keychain, id).status, SecretResult::Status::NotFound);
}

void TestCli::exportAndImport()
{
    QCOMPARE(sb({u"accounts"_s, u"add"_s, u"--name"_s, u"one"_s}, secret).exitCode, 0);
    QCOMPARE(sb({u"accounts"_s, u"add"_s, u"--name"_s, u"two"_s, u"--provider"_s, u"openai"_s},
                "sbtest-second-secret")
                 .exitCode,
             0);
    const QString plain = m_dir->filePath(u"plain.json"_s);
    const QString full = m_dir->filePath(u"full.json"_s);
    ProcessResult r = sb({u"accounts"_s, u"export"_s, plain});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(!r.err.contains(u"warning"_s));
    QFile plainFile(plain);
    QVERIFY(plainFile.open(QIODevice::ReadOnly));
    QVERIFY(!plainFile.readAll().contains("secret\""));

    r = sb({u"accounts"_s, u"export"_s, full, u"--with-secrets"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.contains(u"plaintext"_s));
    QVERIFY(isPrivate(full));

    // Into an empty store: both accounts come back, with their keys.
    for (const QString &name : {u"one"_s, u"two"_s})
        QCOMPARE(sb({u"accounts"_s, u"remove"_s, name}).exitCode, 0);
    r = sb({u"accounts"_s, u"import"_s, full});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"Imported 2"_s), qPrintable(r.out));
    const QJsonArray imported = accounts();
    QCOMPARE(imported.size(), 2);
    KeychainSecretStore keychain(m_clock);
    for (const QJsonValue &a : imported) {
        const SecretResult s = SecretOps::read(keychain, a.toObject().value(u"id").toString());
        QVERIFY2(s.ok(), qPrintable(s.message));
        QVERIFY(s.secret == QString::fromLatin1(secret) || s.secret == u"sbtest-second-secret"_s);
    }
    // Importing again would duplicate the names: refused, nothing written.
    r = sb({u"accounts"_s, u"import"_s, full});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"already exists"_s));
    QCOMPARE(accounts().size(), 2);
}

void TestCli::importIsAllOrNothing()
{
    const QByteArray file = R"({"format":"switchboard-accounts","version":1,"accounts":[
        {"name":"good","provider":"anthropic","secret":"sbtest-good-secret"},
        {"name":"bad","provider":"anthropic","tier":42,"secret":"sbtest-bad-secret"}]})";
    const ProcessResult r = sb({u"accounts"_s, u"import"_s, u"-"_s}, file);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(u"account #2 (bad)"_s), qPrintable(r.err));
    QCOMPARE(accounts().size(), 0);

    const ProcessResult wrongShape = sb({u"accounts"_s, u"import"_s, u"-"_s}, R"({"x":1})");
    QCOMPARE(wrongShape.exitCode, 2);
    QVERIFY(wrongShape.err.contains(u"not a Switchboard accounts file"_s));

    const ProcessResult missing
        = sb({u"accounts"_s, u"import"_s, m_dir->filePath(u"missing.json"_s)});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains(u"Cannot read"_s));
}

void TestCli::importWithoutSecretsLeavesAccountsDisabled()
{
    const QByteArray file = R"([{"name":"nokey","provider":"openai",
        "base_url":"http://127.0.0.1:11434/v1"}])";
    const ProcessResult r = sb({u"accounts"_s, u"import"_s, u"-"_s}, file);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(u"left disabled"_s), qPrintable(r.out));
    const QJsonObject a = accounts()[0].toObject();
    QCOMPARE(a.value(u"enabled").toBool(), false);
    QVERIFY(a.value(u"health").toObject().value(u"reason").toString().contains(u"--secret"_s));
}

void TestCli::accessKeysAreShownOnceAndStoredHashed()
{
    ProcessResult r = sb({u"keys"_s, u"create"_s, u"--name"_s, u"laptop"_s, u"--json"_s});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject created = QJsonDocument::fromJson(r.out.toUtf8()).object();
    const QString key = created.value(u"key").toString();
    QVERIFY(key.startsWith(u"sbk_"_s));
    QVERIFY(key.size() >= 4 + 43); // at least 32 random bytes
    QVERIFY(!created.value(u"id").toString().isEmpty());

    r = sb({u"keys"_s, u"list"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(u"laptop"_s) && r.out.contains(key.left(12)));
    QVERIFY(!r.out.contains(key));
    QVERIFY(!databaseBytes().contains(key.toLatin1()));

    r = sb({u"keys"_s, u"create"_s, u"--name"_s, u"ci"_s});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.trimmed().startsWith(u"sbk_"_s)); // the key alone on stdout
    QVERIFY(r.err.contains(u"only time"_s));

    QCOMPARE(sb({u"keys"_s, u"revoke"_s, u"laptop"_s}).exitCode, 0);
    r = sb({u"keys"_s, u"list"_s, u"--json"_s});
    const QJsonArray keys = QJsonDocument::fromJson(r.out.toUtf8()).array();
    QCOMPARE(keys.size(), 2);
    for (const QJsonValue &k : keys) {
        const bool revoked = !k.toObject().value(u"revoked_at").isNull();
        QCOMPARE(revoked, k.toObject().value(u"name").toString() == u"laptop");
    }
    r = sb({u"keys"_s, u"revoke"_s, u"laptop"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"already revoked"_s));
    QCOMPARE(sb({u"keys"_s, u"create"_s}).exitCode, 2);
}

void TestCli::settingsAreValidated()
{
    ProcessResult r = sb({u"settings"_s, u"set"_s, u"gateway.port"_s, u"70000"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"between 1 and 65535"_s));
    r = sb({u"settings"_s, u"set"_s, u"health.error_threshold"_s, u"5"_s});
    QCOMPARE(r.exitCode, 0);
    r = sb({u"settings"_s, u"get"_s, u"health.error_threshold"_s});
    QCOMPARE(r.out.trimmed(), u"5"_s);
    r = sb({u"settings"_s, u"set"_s, u"no.such"_s, u"1"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"Unknown setting"_s));
    r = sb({u"settings"_s, u"list"_s, u"--json"_s});
    QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"health.error_threshold"), 5);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
