// SPDX-License-Identifier: GPL-3.0-or-later
// `switchboard --headless`: starts, serves /health over a real socket, and stops cleanly
// on SIGTERM and SIGINT; a busy port is a clear error.
#include "switchboardprocess.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

class TestHeadless final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesHealthAndStopsOnSignal_data();
    void servesHealthAndStopsOnSignal();
    void busyPortIsAClearError();
    void badListenArgumentIsRefused();

private:
    QProcessEnvironment environment(const QTemporaryDir &dir) const;
};

QProcessEnvironment TestHeadless::environment(const QTemporaryDir &dir) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"SWITCHBOARD_DATA_DIR"_s, dir.path());
    env.remove(u"SWITCHBOARD_DATABASE_URL"_s);
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    return env;
}

void TestHeadless::servesHealthAndStopsOnSignal_data()
{
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("SIGTERM") << int(SIGTERM);
    QTest::newRow("SIGINT") << int(SIGINT);
}

void TestHeadless::servesHealthAndStopsOnSignal()
{
    QFETCH(int, signalNumber);
    QTemporaryDir dir;
    QProcess server;
    server.setProcessEnvironment(environment(dir));
    server.start(SwitchboardProcess::program(), {u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s});
    QVERIFY(server.waitForStarted());

    // The first line names the port the system chose.
    QString banner;
    QVERIFY(QTest::qWaitFor(
        [&] {
            banner += QString::fromUtf8(server.readAllStandardOutput());
            return banner.contains(u'\n') || server.state() != QProcess::Running;
        },
        20000));
    const auto match
        = QRegularExpression(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s).match(banner);
    QVERIFY2(match.hasMatch(),
             qPrintable(banner + QString::fromUtf8(server.readAllStandardError())));
    const int port = match.captured(1).toInt();
    QVERIFY(port > 0);

    QNetworkAccessManager nam;
    QNetworkReply *health
        = nam.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/health"_s.arg(port))));
    QSignalSpy healthDone(health, &QNetworkReply::finished);
    QVERIFY(healthDone.wait(10000));
    QCOMPARE(health->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    const QJsonObject body = QJsonDocument::fromJson(health->readAll()).object();
    QCOMPARE(body.value(u"status").toString(), u"ok"_s);
    QCOMPARE(body.value(u"accounts").toObject().value(u"total").toInt(), 0);
    QVERIFY(!body.value(u"version").toString().isEmpty());

    QNetworkReply *probe = nam.head(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/"_s.arg(port))));
    QSignalSpy probeDone(probe, &QNetworkReply::finished);
    QVERIFY(probeDone.wait(10000));
    QCOMPARE(probe->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);

    // An unknown path needs a key like any other (its body would be read otherwise), and is
    // answered in Anthropic's format.
    QNetworkReply *missing
        = nam.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/nope"_s.arg(port))));
    QSignalSpy missingDone(missing, &QNetworkReply::finished);
    QVERIFY(missingDone.wait(10000));
    QCOMPARE(missing->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);
    const QJsonObject error = QJsonDocument::fromJson(missing->readAll()).object();
    QCOMPARE(error.value(u"type").toString(), u"error"_s);
    QCOMPARE(error.value(u"error").toObject().value(u"type").toString(),
             u"authentication_error"_s);

    ::kill(pid_t(server.processId()), signalNumber);
    QVERIFY(server.waitForFinished(15000));
    QCOMPARE(server.exitStatus(), QProcess::NormalExit);
    QCOMPARE(server.exitCode(), 0);
}

void TestHeadless::busyPortIsAClearError()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    QTemporaryDir dir;
    SwitchboardProcess process(environment(dir));
    const ProcessResult r = process.run(
        {u"--headless"_s, u"--listen"_s, u"127.0.0.1:%1"_s.arg(occupant.serverPort())});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(u"Cannot listen on 127.0.0.1 port %1"_s.arg(occupant.serverPort())),
             qPrintable(r.err));
    QVERIFY(r.err.contains(u"choose another one"_s));
}

void TestHeadless::badListenArgumentIsRefused()
{
    QTemporaryDir dir;
    SwitchboardProcess process(environment(dir));
    const ProcessResult r = process.run({u"--headless"_s, u"--listen"_s, u"localhost"_s});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(u"--listen must be HOST:PORT"_s));
}

QTEST_GUILESS_MAIN(TestHeadless)
#include "tst_headless.moc"
