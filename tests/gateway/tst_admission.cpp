// SPDX-License-Identifier: GPL-3.0-or-later
// Admission's Host rule, pure: which names and addresses a request may use to reach the
// gateway (the rest of admission is tested over sockets in tst_gatewayadmission).
#include "gateway/admission.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestAdmission : public QObject
{
    Q_OBJECT

private slots:
    void hostNamesThisMachineCanonically_data();
    void hostNamesThisMachineCanonically();
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

QTEST_GUILESS_MAIN(TestAdmission)
#include "tst_admission.moc"
