// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/settings/claudesettingsfile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString url = u"http://127.0.0.1:17878"_s;
const QString token = u"sbk_test_token"_s;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

QJsonObject json(const QString &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

} // namespace

class TestClaudeSettings : public QObject
{
    Q_OBJECT

private slots:
    void defaultPathFollowsHome();
    void createsAMissingFileAndUndoRemovesIt();
    void keepsOtherSettingsAndBacksUp();
    void refusesInvalidJson();
    void refusesEnvThatIsNotAnObject();
    void treatsAnEmptyFileAsEmpty();
    void reportsAnUnwritableFolder();
    void connectedOnlyWithThisEndpointAndAToken();
};

void TestClaudeSettings::defaultPathFollowsHome()
{
    QTemporaryDir home;
    const QByteArray old = qgetenv("HOME");
    qputenv("HOME", home.path().toUtf8());
    QCOMPARE(ClaudeSettingsFile::defaultPath(), home.filePath(u".claude/settings.json"_s));
    qputenv("HOME", old);
}

void TestClaudeSettings::createsAMissingFileAndUndoRemovesIt()
{
    QTemporaryDir home;
    const QString path = home.filePath(u".claude/settings.json"_s);
    ClaudeSettingsFile file(path);
    auto before = file.read();
    QVERIFY(before);
    QVERIFY(!before->exists);

    auto change = file.write(url, token);
    QVERIFY2(change, qPrintable(change.error().message));
    QVERIFY(!change->existed);
    const QJsonObject env = json(path).value(u"env"_s).toObject();
    QCOMPARE(env.value(u"ANTHROPIC_BASE_URL"_s).toString(), url);
    QCOMPARE(env.value(u"ANTHROPIC_AUTH_TOKEN"_s).toString(), token);
    QVERIFY(!QFile::exists(file.backupPath())); // nothing to back up
    auto after = file.read();
    QVERIFY(after && after->exists);
    QVERIFY(ClaudeSettingsFile::pointsAt(*after, url));

    QVERIFY(file.undo(*change));
    QVERIFY(!QFile::exists(path));
}

void TestClaudeSettings::keepsOtherSettingsAndBacksUp()
{
    QTemporaryDir home;
    const QString path = home.filePath(u".claude/settings.json"_s);
    const QByteArray original = R"json({
  "model": "opus",
  "permissions": { "allow": ["Bash(ls:*)"], "deny": [] },
  "env": { "FOO": "bar", "ANTHROPIC_BASE_URL": "https://old.example", "NUM": 3 },
  "hooks": { "PreToolUse": [ { "matcher": "Bash" } ] }
}
)json";
    writeAll(path, original);
    ClaudeSettingsFile file(path);
    auto change = file.write(url, token);
    QVERIFY2(change, qPrintable(change.error().message));
    QVERIFY(change->existed);
    QCOMPARE(change->previous, original);
    QCOMPARE(readAll(file.backupPath()), original);

    const QJsonObject root = json(path);
    const QJsonObject before = QJsonDocument::fromJson(original).object();
    QCOMPARE(root.value(u"model"_s), before.value(u"model"_s));
    QCOMPARE(root.value(u"permissions"_s), before.value(u"permissions"_s));
    QCOMPARE(root.value(u"hooks"_s), before.value(u"hooks"_s));
    const QJsonObject env = root.value(u"env"_s).toObject();
    QCOMPARE(env.value(u"FOO"_s).toString(), u"bar"_s);
    QCOMPARE(env.value(u"NUM"_s).toInt(), 3);
    QCOMPARE(env.value(u"ANTHROPIC_BASE_URL"_s).toString(), url);
    QCOMPARE(env.value(u"ANTHROPIC_AUTH_TOKEN"_s).toString(), token);
    QCOMPARE(root.size(), before.size());

    // Undo restores the exact bytes, even when the backup is gone.
    QFile::remove(file.backupPath());
    QVERIFY(file.undo(*change));
    QCOMPARE(readAll(path), original);
}

void TestClaudeSettings::refusesInvalidJson()
{
    QTemporaryDir home;
    const QString path = home.filePath(u"settings.json"_s);
    const QByteArray broken = "{ \"model\": \"opus\", }trailing";
    writeAll(path, broken);
    ClaudeSettingsFile file(path);
    auto change = file.write(url, token);
    QVERIFY(!change);
    QCOMPARE(change.error().kind, Error::Kind::Invalid);
    QVERIFY2(change.error().message.contains(u"not valid JSON"_s),
             qPrintable(change.error().message));
    QVERIFY(change.error().message.contains(u"Fix the file or move it away"_s));
    QCOMPARE(readAll(path), broken);
    QVERIFY(!QFile::exists(file.backupPath()));
    QVERIFY(!file.read());

    writeAll(path, "[1, 2]"); // valid JSON, but not settings
    QVERIFY(!file.write(url, token));
    QCOMPARE(readAll(path), QByteArray("[1, 2]"));
}

void TestClaudeSettings::refusesEnvThatIsNotAnObject()
{
    QTemporaryDir home;
    const QString path = home.filePath(u"settings.json"_s);
    writeAll(path, R"({"env": "FOO=bar"})");
    auto change = ClaudeSettingsFile(path).write(url, token);
    QVERIFY(!change);
    QVERIFY(change.error().message.contains(u"\"env\""_s));
    QCOMPARE(readAll(path), QByteArray(R"({"env": "FOO=bar"})"));
}

void TestClaudeSettings::treatsAnEmptyFileAsEmpty()
{
    QTemporaryDir home;
    const QString path = home.filePath(u"settings.json"_s);
    writeAll(path, "\n");
    ClaudeSettingsFile file(path);
    auto change = file.write(url, token);
    QVERIFY2(change, qPrintable(change.error().message));
    QVERIFY(change->existed);
    QCOMPARE(json(path).value(u"env"_s).toObject().size(), 2);
    QVERIFY(file.undo(*change));
    QCOMPARE(readAll(path), QByteArray("\n"));
}

void TestClaudeSettings::reportsAnUnwritableFolder()
{
    QTemporaryDir home;
    // A file where the folder should be: cannot be created, even by root.
    writeAll(home.filePath(u".claude"_s), "not a folder");
    const QString path = home.filePath(u".claude/settings.json"_s);
    auto change = ClaudeSettingsFile(path).write(url, token);
    QVERIFY(!change);
    QCOMPARE(change.error().kind, Error::Kind::Io);
    QVERIFY2(change.error().message.contains(QDir::toNativeSeparators(home.filePath(u".claude"_s))),
             qPrintable(change.error().message));
    QCOMPARE(readAll(home.filePath(u".claude"_s)), QByteArray("not a folder"));
}

void TestClaudeSettings::connectedOnlyWithThisEndpointAndAToken()
{
    ClaudeSettingsFile::Connection c;
    c.exists = true;
    c.baseUrl = url + u"/"_s;
    c.token = token;
    QVERIFY(ClaudeSettingsFile::pointsAt(c, url));
    QVERIFY(!ClaudeSettingsFile::pointsAt(c, u"http://127.0.0.1:9999"_s));
    QVERIFY(!ClaudeSettingsFile::pointsAt(c, QString())); // endpoint not running
    c.token.clear();
    QVERIFY(!ClaudeSettingsFile::pointsAt(c, url));
}

QTEST_GUILESS_MAIN(TestClaudeSettings)
#include "tst_claudesettings.moc"
