// SPDX-License-Identifier: GPL-3.0-or-later
// The admin API validating an account whose key is still being read (one just added or
// edited): it waits for the key, once and briefly, as a request does, instead of failing.
// A GatewayServer on the test thread with a fake clock, in front of a scripted upstream,
// reading keys from a store that answers when the test says so.
#include "core/accesskeystore.h"
#include "core/secretstore.h"
#include "gateway/gatewayserver.h"
#include "support/fakeclock.h"
#include "support/scriptedupstream.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString adminKey = u"sbk_admin-validate-test"_s;

/// Holds every read until answerReads().
class HeldSecretStore final : public SecretStore
{
public:
    QString description() const override { return u"held"_s; }
    void read(const QString &, Callback done) override { m_reads.append(std::move(done)); }
    void write(const QString &, const QString &, Callback done) override
    {
        finishLater(std::move(done), {});
    }
    void remove(const QString &, Callback done) override { finishLater(std::move(done), {}); }

    qsizetype pendingReads() const { return m_reads.size(); }
    void answerReads(const QString &secret)
    {
        for (const Callback &done : std::exchange(m_reads, {}))
            done({SecretResult::Status::Ok, secret, {}});
    }

private:
    QList<Callback> m_reads;
};

} // namespace

class TestAdminValidate final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void validateWaitsForAKeyStillBeingRead();
    void validateGivesUpWhenTheKeyDoesNotComeInTime();

private:
    /// Adds an account and sends POST …/validate for it while its key is being read;
    /// returns once the admin API waits for the key.
    QNetworkReply *validateWhileTheKeyIsRead();
    static QJsonObject json(QNetworkReply *reply);

    FakeClock m_clock;
    ScriptedUpstream m_upstream;
    HeldSecretStore *m_secrets = nullptr; // owned by m_server
    std::unique_ptr<GatewayServer> m_server;
    QNetworkAccessManager m_nam;
};

void TestAdminValidate::initTestCase()
{
    QVERIFY(m_upstream.listen());
}

void TestAdminValidate::init()
{
    m_upstream.clearRequests();
    auto secrets = std::make_unique<HeldSecretStore>();
    m_secrets = secrets.get();
    m_server = std::make_unique<GatewayServer>(m_clock, std::move(secrets));
    AccessKey key;
    key.id = QUuid::createUuid();
    key.name = u"ops"_s;
    key.hash = AccessKeyStore::hashKey(adminKey);
    key.admin = true;
    m_server->setAccessKeys({key});
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void TestAdminValidate::cleanup()
{
    m_server.reset();
}

QNetworkReply *TestAdminValidate::validateWhileTheKeyIsRead()
{
    Account account;
    account.id = QUuid::createUuid();
    account.name = u"fresh"_s;
    account.baseUrl = m_upstream.baseUrl();
    account.createdAt = account.updatedAt = m_clock.now();
    m_server->setAccounts({account});
    if (m_secrets->pendingReads() != 1)
        return nullptr;

    QNetworkRequest request(QUrl(
        u"http://127.0.0.1:%1/admin/v1/accounts/fresh/validate"_s.arg(m_server->serverPort())));
    request.setRawHeader("x-api-key", adminKey.toUtf8());
    QNetworkReply *reply = m_nam.post(request, QByteArray());
    // Its wait for the key is the only timer due this soon.
    const QDateTime waitEnds = m_clock.now().addSecs(5);
    if (!QTest::qWaitFor([&] { return reply->isFinished() || m_clock.nextDue() == waitEnds; },
                         15000)
        || reply->isFinished()) {
        qWarning() << "answered without waiting for the key:" << reply->readAll();
    }
    return reply;
}

QJsonObject TestAdminValidate::json(QNetworkReply *reply)
{
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 15000))
        return {};
    return QJsonDocument::fromJson(reply->readAll()).object();
}

void TestAdminValidate::validateWaitsForAKeyStillBeingRead()
{
    QNetworkReply *reply = validateWhileTheKeyIsRead();
    QVERIFY2(reply, "the gateway did not start reading the key");
    QVERIFY(!reply->isFinished());
    m_secrets->answerReads(u"sk-ant-fresh"_s);
    const QJsonObject answer = json(reply);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(answer.value(u"ok"_s).toBool(), true);
    QCOMPARE(m_upstream.lastRequest().header("x-api-key"), "sk-ant-fresh"_ba);
    delete reply;
}

void TestAdminValidate::validateGivesUpWhenTheKeyDoesNotComeInTime()
{
    QNetworkReply *reply = validateWhileTheKeyIsRead();
    QVERIFY2(reply, "the gateway did not start reading the key");
    QVERIFY(!reply->isFinished());
    m_clock.advance(5s);
    const QJsonObject answer = json(reply);
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 500);
    QVERIFY2(answer.value(u"error"_s)
                 .toObject()
                 .value(u"message"_s)
                 .toString()
                 .contains(u"still being read"_s),
             QJsonDocument(answer).toJson().constData());
    QCOMPARE(m_upstream.requestCount(), 0);
    delete reply;
}

QTEST_GUILESS_MAIN(TestAdminValidate)
#include "tst_adminvalidate.moc"
