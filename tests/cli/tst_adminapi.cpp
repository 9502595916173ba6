// SPDX-License-Identifier: GPL-3.0-or-later
// The admin REST API end to end: the real headless executable, a scripted upstream in this
// process, and real HTTP requests with admin and ordinary access keys.
#include "support/scriptedupstream.h"
#include "support/testtimeout.h"
#include "switchboardprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Response
{
    int status = 0;
    QJsonObject json;
    QByteArray account; ///< x-switchboard-account
};

} // namespace

class TestAdminApi final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void keysAreSeparate();
    void createListUseEditDelete();
    void createIsValidatedLikeTheCommandLine();
    void validateOne();
    void echoedKeyLeavesNoTrace();
    void pinRoutesToTheAccount();
    void statsCountRequests();
    void unknownEndpointsAndReload();

private:
    Response call(const QByteArray &verb, const QString &path, const QString &key,
                  const QJsonObject &body = {});
    Response message(const QString &key);
    QString readSecretsFile() const;

    QTemporaryDir m_dir;
    ScriptedUpstream m_upstream;
    QProcess m_gateway;
    QNetworkAccessManager m_nam;
    quint16 m_port = 0;
    QString m_adminKey;
    QString m_clientKey;
};

void TestAdminApi::initTestCase()
{
    QVERIFY(m_upstream.listen());
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"SWITCHBOARD_DATA_DIR"_s, m_dir.filePath(u"data"_s));
    env.remove(u"SWITCHBOARD_DATABASE_URL"_s);
    SwitchboardProcess cli(env);
    const ProcessResult admin
        = cli.run({u"keys"_s, u"create"_s, u"--name"_s, u"ops"_s, u"--admin"_s});
    QCOMPARE(admin.exitCode, 0);
    m_adminKey = admin.out.trimmed();
    const ProcessResult client = cli.run({u"keys"_s, u"create"_s, u"--name"_s, u"ci"_s});
    QCOMPARE(client.exitCode, 0);
    m_clientKey = client.out.trimmed();

    m_gateway.setProcessEnvironment(env);
    m_gateway.start(SwitchboardProcess::program(),
                    {u"--secrets-file"_s, m_dir.filePath(u"secrets.json"_s), u"--headless"_s,
                     u"--listen"_s, u"127.0.0.1:0"_s});
    QString banner;
    QVERIFY(QTest::qWaitFor(
        [&] {
            banner += QString::fromUtf8(m_gateway.readAllStandardOutput());
            return banner.contains(u'\n') || m_gateway.state() == QProcess::NotRunning;
        },
        20000));
    const auto match
        = QRegularExpression(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s).match(banner);
    QVERIFY2(match.hasMatch(),
             qPrintable(banner + QString::fromUtf8(m_gateway.readAllStandardError())));
    m_port = quint16(match.captured(1).toUInt());
}

void TestAdminApi::cleanupTestCase()
{
    m_gateway.terminate();
    QVERIFY(m_gateway.waitForFinished(15000));
    QCOMPARE(m_gateway.exitCode(), 0);
}

Response TestAdminApi::call(const QByteArray &verb, const QString &path, const QString &key,
                            const QJsonObject &body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)));
    request.setRawHeader("x-api-key", key.toLatin1());
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    QNetworkReply *reply = m_nam.sendCustomRequest(
        request, verb, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson());
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!done.wait(20000))
        return {};
    reply->deleteLater();
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
            QJsonDocument::fromJson(reply->readAll()).object(),
            reply->rawHeader("x-switchboard-account")};
}

Response TestAdminApi::message(const QString &key)
{
    return call("POST", u"/v1/messages"_s, key,
                {{u"model"_s, u"claude-sonnet-4-5"_s},
                 {u"max_tokens"_s, 16},
                 {u"messages"_s,
                  QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}}});
}

QString TestAdminApi::readSecretsFile() const
{
    QFile file(m_dir.filePath(u"secrets.json"_s));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

void TestAdminApi::keysAreSeparate()
{
    const Response clientOnAdmin = call("GET", u"/admin/v1/accounts"_s, m_clientKey);
    QCOMPARE(clientOnAdmin.status, 401);
    QCOMPARE(clientOnAdmin.json.value(u"error").toObject().value(u"type").toString(),
             u"authentication_error"_s);
    QVERIFY(clientOnAdmin.json.value(u"error")
                .toObject()
                .value(u"message")
                .toString()
                .contains(u"--admin"_s));
    QCOMPARE(message(m_adminKey).status, 401);
    QCOMPARE(call("GET", u"/admin/v1/accounts"_s, u"nonsense"_s).status, 401);
    QCOMPARE(call("GET", u"/admin/v1/accounts"_s, m_adminKey).status, 200);
}

void TestAdminApi::createListUseEditDelete()
{
    Response created = call("POST", u"/admin/v1/accounts"_s, m_adminKey,
                            {{u"name"_s, u"alpha"_s},
                             {u"base_url"_s, m_upstream.baseUrl().toString()},
                             {u"secret"_s, u"sbtest-alpha-key"_s}});
    QCOMPARE(created.status, 201);
    QCOMPARE(created.json.value(u"name").toString(), u"alpha"_s);
    QVERIFY(!created.json.contains(u"secret"));
    QVERIFY(readSecretsFile().contains(u"sbtest-alpha-key"_s));

    const Response listed = call("GET", u"/admin/v1/accounts"_s, m_adminKey);
    QCOMPARE(listed.status, 200);
    const QJsonArray data = listed.json.value(u"data").toArray();
    QVERIFY(std::any_of(data.begin(), data.end(), [](const QJsonValue &a) {
        return a.toObject().value(u"name").toString() == u"alpha";
    }));
    QVERIFY(!QJsonDocument(listed.json).toJson().contains("sbtest-alpha-key"));

    // Usable at once: the gateway reloaded after the write.
    m_upstream.clearRequests();
    QCOMPARE(message(m_clientKey).status, 200);
    QCOMPARE(m_upstream.lastRequest().header("x-api-key"), "sbtest-alpha-key"_ba);

    Response patched = call("PATCH", u"/admin/v1/accounts/alpha"_s, m_adminKey,
                            {{u"priority"_s, 7}, {u"secret"_s, u"sbtest-alpha-key-2"_s}});
    QCOMPARE(patched.status, 200);
    QCOMPARE(patched.json.value(u"priority").toInt(), 7);
    QVERIFY(QTest::qWaitFor(
        [&] {
            return message(m_clientKey).status == 200
                && m_upstream.lastRequest().header("x-api-key") == "sbtest-alpha-key-2";
        },
        10000));

    QCOMPARE(call("DELETE", u"/admin/v1/accounts/alpha"_s, m_adminKey).status, 200);
    QCOMPARE(call("GET", u"/admin/v1/accounts/alpha"_s, m_adminKey).status, 404);
    QVERIFY(!readSecretsFile().contains(u"sbtest-alpha-key"_s));
}

void TestAdminApi::createIsValidatedLikeTheCommandLine()
{
    Response r = call("POST", u"/admin/v1/accounts"_s, m_adminKey,
                      {{u"name"_s, u"bad"_s}, {u"provider"_s, u"gemini"_s}, {u"secret"_s, u"x"_s}});
    QCOMPARE(r.status, 400);
    QVERIFY(r.json.value(u"error")
                .toObject()
                .value(u"message")
                .toString()
                .contains(u"Unknown provider"_s));
    r = call("POST", u"/admin/v1/accounts"_s, m_adminKey, {{u"name"_s, u"nokey"_s}});
    QCOMPARE(r.status, 400);
    QVERIFY(r.json.value(u"error")
                .toObject()
                .value(u"message")
                .toString()
                .contains(u"API key is empty"_s));
    QCOMPARE(call("POST", u"/admin/v1/accounts"_s, m_adminKey,
                  {{u"name"_s, u"dup"_s},
                   {u"base_url"_s, m_upstream.baseUrl().toString()},
                   {u"secret"_s, u"k1"_s}})
                 .status,
             201);
    r = call("POST", u"/admin/v1/accounts"_s, m_adminKey,
             {{u"name"_s, u"dup"_s}, {u"secret"_s, u"k2"_s}});
    QCOMPARE(r.status, 409);
    QVERIFY(r.json.value(u"error")
                .toObject()
                .value(u"message")
                .toString()
                .contains(u"already exists"_s));
    QCOMPARE(call("DELETE", u"/admin/v1/accounts/dup"_s, m_adminKey).status, 200);
}

void TestAdminApi::validateOne()
{
    // Every check of this account fails, the automatic one on add included.
    m_upstream.setHandler([](const RecordedRequest &request) {
        return request.header("x-api-key") == "kb" ? ScriptedReply::unauthorized()
                                                   : ScriptedReply::message(u"ok"_s);
    });
    QCOMPARE(call("POST", u"/admin/v1/accounts"_s, m_adminKey,
                  {{u"name"_s, u"beta"_s},
                   {u"base_url"_s, m_upstream.baseUrl().toString()},
                   {u"secret"_s, u"kb"_s}})
                     .status,
             201);
    QVERIFY(QTest::qWaitFor(
            [&] { return call("GET", u"/admin/v1/accounts/beta"_s, m_adminKey).status == 200; }, 10000));
    const Response r = call("POST", u"/admin/v1/accounts/beta/validate"_s, m_adminKey);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value(u"ok").toBool(), false);
    QVERIFY(r.json.value(u"message").toString().contains(u"rejected"_s));
    const Response account = call("GET", u"/admin/v1/accounts/beta"_s, m_adminKey);
    QCOMPARE(account.json.value(u"health").toObject().value(u"state").toString(), u"invalid"_s);
    QVERIFY(!account.json.value(u"health").toObject().value(u"last_validated").isNull());
    QCOMPARE(call("DELETE", u"/admin/v1/accounts/beta"_s, m_adminKey).status, 200);
    m_upstream.setHandler({});
}

void TestAdminApi::echoedKeyLeavesNoTrace()
{
    // Some upstreams quote the key they refuse. Of a key without the usual shape of one, only
    // its last four characters may show: in what the admin API lists and the command line
    // prints, and in the gateway's log.
    const QString key = u"echo.Key-0123456789"_s;
    m_upstream.setHandler([key](const RecordedRequest &request) {
        return request.header("x-api-key") == key.toLatin1()
            ? ScriptedReply::error(401, u"authentication_error"_s, u"invalid x-api-key: "_s + key)
            : ScriptedReply::message(u"ok"_s);
    });
    QCOMPARE(call("POST", u"/admin/v1/accounts"_s, m_adminKey,
                  {{u"name"_s, u"echo"_s},
                   {u"base_url"_s, m_upstream.baseUrl().toString()},
                   {u"secret"_s, key}})
                 .status,
             201);
    // The check on add finds the key rejected.
    QByteArray listed;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const Response r = call("GET", u"/admin/v1/accounts/echo"_s, m_adminKey);
            listed = QJsonDocument(r.json).toJson();
            return r.json.value(u"health").toObject().value(u"state").toString() == u"invalid";
        },
        testTimeout()));
    QVERIFY2(!listed.contains(key.toUtf8()), listed.constData());
    QVERIFY2(listed.contains("…6789"), listed.constData());

    const Response validated = call("POST", u"/admin/v1/accounts/echo/validate"_s, m_adminKey);
    QCOMPARE(validated.status, 200);
    const QString message = validated.json.value(u"message").toString();
    QVERIFY2(message.contains(u"…6789"_s) && !message.contains(key), qPrintable(message));

    // The health reaches the database in the storage thread's next batch.
    SwitchboardProcess cli(m_gateway.processEnvironment());
    ProcessResult shown;
    QVERIFY(QTest::qWaitFor(
        [&] {
            shown = cli.run({u"accounts"_s, u"show"_s, u"echo"_s});
            return shown.out.contains(u"…6789"_s);
        },
        testTimeout()));
    QVERIFY2(!shown.out.contains(key), qPrintable(shown.out));

    const QString log = QString::fromUtf8(m_gateway.readAllStandardError());
    QVERIFY2(log.contains(u"echo"_s) && !log.contains(key), qPrintable(log));
    QCOMPARE(call("DELETE", u"/admin/v1/accounts/echo"_s, m_adminKey).status, 200);
    m_upstream.setHandler({});
}

void TestAdminApi::pinRoutesToTheAccount()
{
    for (const auto &[name, priority] : {std::pair {u"high"_s, 100}, std::pair {u"low"_s, 0}}) {
        QCOMPARE(call("POST", u"/admin/v1/accounts"_s, m_adminKey,
                      {{u"name"_s, name},
                       {u"priority"_s, priority},
                       {u"base_url"_s, m_upstream.baseUrl().toString()},
                       {u"secret"_s, QString(u"k-"_s + name)}})
                     .status,
                 201);
    }
    QVERIFY(QTest::qWaitFor([&] { return message(m_clientKey).account == "high"; }, 10000));
    QCOMPARE(call("POST", u"/admin/v1/pin"_s, m_adminKey, {{u"account"_s, u"low"_s}}).status, 200);
    QCOMPARE(message(m_clientKey).account, "low"_ba);
    QVERIFY(!call("GET", u"/admin/v1/pin"_s, m_adminKey).json.value(u"pinned").isNull());
    QCOMPARE(call("DELETE", u"/admin/v1/pin"_s, m_adminKey).status, 200);
    QCOMPARE(message(m_clientKey).account, "high"_ba);
    QCOMPARE(call("POST", u"/admin/v1/pin"_s, m_adminKey, {{u"account"_s, u"nobody"_s}}).status,
             404);
    for (const QString &name : {u"high"_s, u"low"_s})
        QCOMPARE(call("DELETE", u"/admin/v1/accounts/"_s + name, m_adminKey).status, 200);
}

void TestAdminApi::statsCountRequests()
{
    QCOMPARE(call("POST", u"/admin/v1/accounts"_s, m_adminKey,
                  {{u"name"_s, u"counted"_s},
                   {u"base_url"_s, m_upstream.baseUrl().toString()},
                   {u"secret"_s, u"kc"_s}})
                 .status,
             201);
    // The first answer shows the gateway has the new account; two more make three.
    QVERIFY(QTest::qWaitFor([&] { return message(m_clientKey).account == "counted"; }, 10000));
    for (int i = 0; i < 2; ++i)
        QCOMPARE(message(m_clientKey).account, "counted"_ba);
    // Usage is written in batches by the storage thread: it shows up within a flush or two.
    QVERIFY(QTest::qWaitFor(
        [&] {
            const QJsonArray accounts
                = call("GET", u"/admin/v1/stats"_s, m_adminKey).json.value(u"accounts").toArray();
            return std::any_of(accounts.begin(), accounts.end(), [](const QJsonValue &a) {
                return a.toObject().value(u"account").toString() == u"counted"
                    && a.toObject().value(u"requests").toInt() == 3
                    && a.toObject().value(u"input_tokens").toInt() == 75;
            });
        },
        15000));
    QCOMPARE(call("DELETE", u"/admin/v1/accounts/counted"_s, m_adminKey).status, 200);
}

void TestAdminApi::unknownEndpointsAndReload()
{
    const Response missing = call("GET", u"/admin/v1/nothing"_s, m_adminKey);
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.json.value(u"type").toString(), u"error"_s);
    QCOMPARE(missing.json.value(u"error").toObject().value(u"type").toString(),
             u"not_found_error"_s);
    QCOMPARE(call("PUT", u"/admin/v1/accounts"_s, m_adminKey).status, 405);
    QCOMPARE(call("POST", u"/admin/v1/reload"_s, m_adminKey).json.value(u"reloaded").toBool(),
             true);
}

QTEST_GUILESS_MAIN(TestAdminApi)
#include "tst_adminapi.moc"
