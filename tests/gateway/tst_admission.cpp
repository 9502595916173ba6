// SPDX-License-Identifier: GPL-3.0-or-later
// Admission's Host rule, pure: which names and addresses a request may use to reach the
// gateway (the rest of admission is tested over sockets in tst_gatewayadmission); how a
// refusal names the client, and how refusals are summed up for the window.
#include "core/accesskeystore.h"
#include "gateway/admission.h"
#include "gateway/refusaltally.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestAdmission : public QObject
{
    Q_OBJECT

private slots:
    void hostNamesThisMachineCanonically_data();
    void hostNamesThisMachineCanonically();
    void refusalsNameTheClient();
    void refusalsAreSummedUpAndBounded();
};

void TestAdmission::hostNamesThisMachineCanonically_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QList<QHostAddress>>("listening"); // besides loopback
    QTest::addColumn<bool>("allowed");
    const QList<QHostAddress> none;
    const QList<QHostAddress> lan {QHostAddress(u"192.168.1.5"_s)};

    QTest::newRow("localhost") << "localhost:8080"_ba << none << true;
    QTest::newRow("127.0.0.1") << "127.0.0.1:8080"_ba << none << true;
    QTest::newRow("another loopback") << "127.0.0.2:8080"_ba << none << true;
    QTest::newRow("[::1]") << "[::1]:8080"_ba << none << true;
    QTest::newRow("no port") << "127.0.0.1"_ba << none << true;
    QTest::newRow("other port") << "127.0.0.1:8081"_ba << none << false;
    QTest::newRow("hex dotted") << "0x7f.1:8080"_ba << none << false;
    QTest::newRow("octal") << "0177.0.0.1:8080"_ba << none << false;
    QTest::newRow("decimal") << "2130706433:8080"_ba << none << false;
    QTest::newRow("short form") << "127.1:8080"_ba << none << false;
    QTest::newRow("long IPv6 loopback") << "[0:0:0:0:0:0:0:1]:8080"_ba << none << false;
    QTest::newRow("another machine") << "10.0.0.5:8080"_ba << none << false;
    QTest::newRow("LAN address, not listening there") << "192.168.1.5:8080"_ba << none << false;
    QTest::newRow("LAN address it listens on") << "192.168.1.5:8080"_ba << lan << true;
    QTest::newRow("dns name") << "evil.example:8080"_ba << lan << false;
    QTest::newRow("dns name on loopback") << "127.0.0.1.nip.io:8080"_ba << none << false;
    QTest::newRow("bracket without close") << "[::1:8080"_ba << none << false;
    QTest::newRow("empty") << QByteArray() << none << false;
}

void TestAdmission::hostNamesThisMachineCanonically()
{
    QFETCH(QByteArray, host);
    QFETCH(QList<QHostAddress>, listening);
    QFETCH(bool, allowed);
    QCOMPARE(Admission::hostAllowed(host, 8080, listening), allowed);
}

void TestAdmission::refusalsNameTheClient()
{
    Admission::Config config;
    config.port = 8080;
    config.keyHashes.insert(AccessKeyStore::hashKey(u"sk-sb-live-000000000001"_s), QUuid());
    config.revokedKeyNames.insert(AccessKeyStore::hashKey(u"sk-sb-old-00000000009"_s), u"laptop"_s);
    auto client = [&config](QByteArray host, QByteArray origin, QByteArray key) {
        const Admission::Decision d = Admission::decide({host, origin, key, {}}, config);
        return d.admitted ? u"admitted"_s : d.client;
    };
    QCOMPARE(client("127.0.0.1:8080", {}, "sk-sb-live-000000000001"), u"admitted"_s);
    QCOMPARE(client("127.0.0.1:8080", {}, "sk-ant-somebody-else-3f9a"), u"unknown key …3f9a"_s);
    QCOMPARE(client("127.0.0.1:8080", {}, "short"), u"unknown key"_s); // no tail of a guessable key
    QCOMPARE(client("127.0.0.1:8080", {}, "sk-sb-old-00000000009"), u"revoked key “laptop”"_s);
    QCOMPARE(client("127.0.0.1:8080", {}, {}), u"no key"_s);
    QCOMPARE(client("rebind.example:8080", {}, "sk-sb-live-000000000001"),
             u"host rebind.example:8080"_s);
    QCOMPARE(client("127.0.0.1:8080", "https://evil.example", "sk-sb-live-000000000001"),
             u"origin https://evil.example"_s);
    // What a client sent is shown printable and short, whatever it was.
    const QString odd = client("127.0.0.1:8080", "x\x01" + QByteArray(500, 'a'), {});
    QVERIFY(odd.startsWith(u"origin x?aaa"_s));
    QVERIFY(odd.size() < 100);
}

void TestAdmission::refusalsAreSummedUpAndBounded()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'800'000'000, Qt::UTC);
    auto refusal = [](const QString &client, int status) {
        Admission::Decision d;
        d.status = status;
        d.client = client;
        d.message = u"told"_s;
        return d;
    };
    RefusalTally tally;
    QVERIFY(tally.isEmpty());
    for (int i = 0; i < 5; ++i)
        tally.add(refusal(u"no key"_s, 401), now.addSecs(i));
    tally.add(refusal(u"host x"_s, 403), now);
    QList<AdmissionRefusal> taken = tally.take();
    QVERIFY(tally.isEmpty());
    QCOMPARE(taken.size(), 2);
    QCOMPARE(taken[0].client, u"no key"_s);
    QCOMPARE(taken[0].count, 5);
    QCOMPARE(taken[0].time, now.addSecs(4));
    QCOMPARE(taken[1].count, 1);

    // A flood of distinct clients: bounded, and every refusal still counted.
    for (int i = 0; i < 1000; ++i)
        tally.add(refusal(u"unknown key …%1"_s.arg(i), 401), now);
    taken = tally.take();
    QCOMPARE(taken.size(), RefusalTally::maxClients);
    QCOMPARE(taken.last().client, u"other clients"_s);
    int total = 0;
    for (const AdmissionRefusal &r : taken)
        total += r.count;
    QCOMPARE(total, 1000);
}

QTEST_GUILESS_MAIN(TestAdmission)
#include "tst_admission.moc"
