// SPDX-License-Identifier: GPL-3.0-or-later
// What clients and users see of upstream answers, over real sockets (docs/protocol.md, "What
// clients get"): a key the upstream echoes is masked everywhere it could go; clients get
// errors only in Anthropic's format, valid UTF-8, and a success only in the form they asked for;
// answers too large fail over, and a client that reads slowly slows the upstream down instead
// of filling the gateway's memory.
#include "gateway/answerpolicy.h"
#include "gateway/connectionguard.h"
#include "gateway/streampacer.h"
#include "gateway/upstreamreply.h"
#include "gatewayharness.h"
#include "support/testprinters.h"

#include <QJsonDocument>
#include <QMutex>
#include <QTest>

using namespace Qt::StringLiterals;
using Reply = ScriptedReply;

Q_DECLARE_METATYPE(ScriptedReply)

namespace {

/// Every log message while it lives.
class LogCapture final
{
public:
    LogCapture()
    {
        s_lines.clear();
        m_previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &message) {
                const QMutexLocker lock(&s_mutex);
                s_lines << message;
            });
    }
    ~LogCapture() { qInstallMessageHandler(m_previous); }
    Q_DISABLE_COPY_MOVE(LogCapture)

    static QString text()
    {
        const QMutexLocker lock(&s_mutex);
        return s_lines.join(u'\n');
    }

private:
    static inline QMutex s_mutex;
    static inline QStringList s_lines;
    QtMessageHandler m_previous;
};

/// A stream of `megabytes` MiB of text, in 16 KiB deltas.
Reply bigStream(int megabytes)
{
    return Reply::stream(QStringList(megabytes * 64, QString(16 * 1024, u'x')),
                         GatewayHarness::model);
}

/// A raw client that asked for a stream and reads nothing unless told to: neither Qt's
/// buffer nor the kernel's may hold much for it.
void askForAStream(GatewayHarness &h, RawHttpClient &client)
{
    QVERIFY(client.connectTo(h.port()));
    client.socket().setReadBufferSize(64 * 1024);
    client.socket().setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 64 * 1024);
    client.send(RawHttpClient::request(
        "POST", "/v1/messages", h.port(),
        {"x-api-key: " + GatewayHarness::accessKey.toUtf8(), "content-type: application/json"},
        QJsonDocument(GatewayHarness::messageBody(true)).toJson(QJsonDocument::Compact)));
}

/// The most any of the gateway's client sockets holds unsent.
qint64 mostWaitingToBeSent(GatewayHarness &h)
{
    qint64 most = 0;
    for (const QTcpSocket *socket : h.server().tcpServer()->findChildren<QTcpSocket *>())
        most = std::max(most, socket->bytesToWrite());
    return most;
}

} // namespace

class TestGatewayAnswers : public QObject
{
    Q_OBJECT

private slots:
    void echoedKeyLeavesNoTrace_data();
    void echoedKeyLeavesNoTrace();
    void foreignErrorsBecomeAnthropicErrors_data();
    void foreignErrorsBecomeAnthropicErrors();
    void invalidUtf8IsReplaced_data();
    void invalidUtf8IsReplaced();
    void answerInTheWrongFormFailsOver_data();
    void answerInTheWrongFormFailsOver();
    void answersTooLargeFailOver_data();
    void answersTooLargeFailOver();
    void aSlowClientSlowsTheUpstream();
    void aClientThatStopsReadingIsDropped();
};

void TestGatewayAnswers::echoedKeyLeavesNoTrace_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");

    for (const bool stream : {false, true}) {
        const char *kind = stream ? "stream" : "json";
        QTest::addRow("%s 401", kind) << stream << 401 << u"authentication_error"_s;
        QTest::addRow("%s 403", kind) << stream << 403 << u"permission_error"_s;
        QTest::addRow("%s 400", kind) << stream << 400 << u"invalid_request_error"_s;
    }
}

void TestGatewayAnswers::echoedKeyLeavesNoTrace()
{
    QFETCH(bool, stream);
    QFETCH(int, status);
    QFETCH(QString, type);

    // The account's key has no key-like shape of its own ("sk-ant-ops" is too short for one):
    // only knowing it finds it. The upstream quotes it, and a key-shaped token too.
    const QString name = u"ops.team"_s;
    const QString key = GatewayHarness::secretOf(name);
    const QString other = u"sk-proj-0123456789abcdef"_s;
    GatewayHarness h;
    h.addAccount(name);
    h.script(name,
             Reply::error(status, type,
                          u"invalid x-api-key: %1 (an earlier key was %2)"_s.arg(key, other)));
    QVERIFY(h.start());
    auto leaks = [&](const QString &text) { return text.contains(key) || text.contains(other); };

    LogCapture log;
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(stream));
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(answer.status, status == 400 ? 400 : status == 403 ? 403 : 502);
    QVERIFY(answer.isAnthropicError());
    QVERIFY2(!leaks(QString::fromUtf8(answer.body)), answer.body.constData());
    QVERIFY2(answer.errorMessage().contains(u"…team"_s), qPrintable(answer.errorMessage()));

    // Validation reads the same answer: its message and the health it leaves.
    h.server().validateAccount(h.idOf(name));
    QVERIFY(h.waitForValidations(1));
    QCOMPARE(h.validations.first().ok, status == 400); // a request error proves the key
    QVERIFY2(!leaks(h.validations.first().message), qPrintable(h.validations.first().message));

    const Account account = h.live(name);
    QVERIFY2(!leaks(account.health.reason), qPrintable(account.health.reason));
    QVERIFY2(!leaks(account.health.validationMessage),
             qPrintable(account.health.validationMessage));
    if (status == 401)
        QVERIFY2(account.health.reason.contains(u"…team"_s), qPrintable(account.health.reason));
    for (const auto &[id, health] : std::as_const(h.healthChanges))
        QVERIFY2(!leaks(health.reason), qPrintable(health.reason));
    const UsageRecord record = h.finished.first();
    QVERIFY(!leaks(record.path + record.errorType));
    QVERIFY2(!leaks(log.text()), qPrintable(log.text()));
    if (status != 400) // a failed account is logged, by name
        QVERIFY2(log.text().contains(name), qPrintable(log.text()));
}

void TestGatewayAnswers::foreignErrorsBecomeAnthropicErrors_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<Reply>("reply");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message"); ///< what the client's message contains

    const QByteArray nginx = "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
                             "<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx"
                             "</center>\r\n</body>\r\n</html>\r\n";
    for (const bool stream : {false, true}) {
        const char *kind = stream ? "stream" : "json";
        QTest::addRow("%s html 400", kind) << stream << Reply::raw(400, "text/html", nginx) << 400
                                           << u"invalid_request_error"_s << u"400 Bad Request"_s;
        QTest::addRow("%s plain 404", kind)
            << stream << Reply::raw(404, "text/plain", "no such route\n") << 404
            << u"not_found_error"_s << u"no such route"_s;
        QTest::addRow("%s other json 413", kind)
            << stream << Reply::json(413, {{u"detail"_s, u"body too big"_s}}) << 413
            << u"request_too_large"_s << u"body too big"_s;
        QTest::addRow("%s empty 400", kind) << stream << Reply::raw(400, "text/plain", {}) << 400
                                            << u"invalid_request_error"_s << u"HTTP 400"_s;
        QTest::addRow("%s invalid utf-8 in an anthropic 400", kind)
            << stream
            << Reply::raw(400, "application/json",
                          "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                          "\"message\":\"bad \xff\xfe bytes\"}}")
            << 400 << u"invalid_request_error"_s << u"bad \uFFFD\uFFFD bytes"_s;
        // Failed over with nobody left: the client hears of the page through the summary.
        QTest::addRow("%s html 500", kind)
            << stream
            << Reply::raw(500, "text/html", "<html><title>500 Internal Server Error</title></html>")
            << 502 << u"api_error"_s << u"500 Internal Server Error"_s;
    }
}

void TestGatewayAnswers::foreignErrorsBecomeAnthropicErrors()
{
    QFETCH(bool, stream);
    QFETCH(Reply, reply);
    QFETCH(int, status);
    QFETCH(QString, type);
    QFETCH(QString, message);

    GatewayHarness h;
    h.addAccount(u"A"_s);
    h.script(u"A"_s, reply);
    QVERIFY(h.start());
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(stream));
    QCOMPARE(answer.status, status);
    QVERIFY2(answer.isAnthropicError(), answer.body.constData());
    QCOMPARE(answer.header("content-type"), "application/json"_ba);
    QVERIFY(answer.body.isValidUtf8());
    QCOMPARE(answer.errorType(), type);
    QVERIFY2(answer.errorMessage().contains(message), qPrintable(answer.errorMessage()));
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().errorType, type);
}

void TestGatewayAnswers::invalidUtf8IsReplaced_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestGatewayAnswers::invalidUtf8IsReplaced()
{
    QFETCH(bool, stream);

    Reply reply = stream ? Reply::stream({u"Hello "_s, u"MARK"_s}, GatewayHarness::model)
                         : Reply::message(u"Hello MARK"_s, GatewayHarness::model);
    reply.body.replace("MARK", "\xff\xfe");
    for (Reply::Event &event : reply.events) {
        const QByteArray wire = Reply::encodeEvent(event);
        if (wire.contains("MARK"))
            event.raw = QByteArray(wire).replace("MARK", "\xff\xfe");
    }
    GatewayHarness h;
    h.addAccount(u"A"_s);
    h.script(u"A"_s, reply);
    QVERIFY(h.start());
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(stream));
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.body.isValidUtf8());
    const QString text = stream ? deltaText(answer.events())
                                : answer.json()[u"content"_s][0][u"text"_s].toString();
    QCOMPARE(text, u"Hello \uFFFD\uFFFD"_s);
}

void TestGatewayAnswers::answerInTheWrongFormFailsOver_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<Reply>("reply");
    QTest::newRow("a stream for a message") << false << Reply::stream({u"Hi"_s});
    QTest::newRow("a message for a stream") << true << Reply::message(u"Hi"_s);
}

void TestGatewayAnswers::answerInTheWrongFormFailsOver()
{
    QFETCH(bool, stream);
    QFETCH(Reply, reply);

    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.script(u"A"_s, reply);
    QVERIFY(h.start());
    verifySuccess(h.send(GatewayHarness::messageBody(stream)), stream, u"B"_s);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().path, u"A api_error → B 200"_s);
    const Account a = h.live(u"A"_s);
    QCOMPARE(a.health.errorCount, 1);
    QVERIFY2(a.health.reason.contains(stream ? u"one message"_s : u"event stream"_s),
             qPrintable(a.health.reason));
}

void TestGatewayAnswers::answersTooLargeFailOver_data()
{
    QTest::addColumn<bool>("stream");
    QTest::addColumn<Reply>("reply");
    QTest::addColumn<QString>("step");

    QTest::newRow("a message over the limit")
        << false
        << Reply::raw(200, "application/json", QByteArray(AnswerPolicy::maxBodyBytes + 1, ' '))
        << u"A api_error"_s;
    const Reply::Event start = bigStream(0).events.first();
    const Reply::Event endless {{},
                                {},
                                "event: content_block_delta\ndata: "
                                    + QByteArray(AnswerPolicy::maxEventBytes + 1, 'x') + "\n\n"};
    // An error event stands for the event: judged as the api_error it says.
    QTest::newRow("an event over the limit") << true << Reply::sse({start, endless}) << u"A 500"_s;
    const Reply::Event bigPing {{},
                                {},
                                "event: ping\ndata: {\"type\":\"ping\",\"pad\":\""
                                    + QByteArray(64 * 1024, ' ') + "\"}\n\n"};
    QList<Reply::Event> pings {start};
    for (qsizetype held = 0; held <= AnswerPolicy::maxHeldBytes; held += bigPing.raw.size())
        pings << bigPing;
    QTest::newRow("held too much before content") << true << Reply::sse(pings) << u"A api_error"_s;
}

void TestGatewayAnswers::answersTooLargeFailOver()
{
    QFETCH(bool, stream);
    QFETCH(Reply, reply);
    QFETCH(QString, step);

    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.script(u"A"_s, reply);
    QVERIFY(h.start());
    verifySuccess(h.send(GatewayHarness::messageBody(stream)), stream, u"B"_s);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().path, step + u" → B 200"_s);
    QCOMPARE(h.live(u"A"_s).health.errorCount, 1);
}

void TestGatewayAnswers::aSlowClientSlowsTheUpstream()
{
    // Its own thread sends as fast as the gateway reads, not one write per turn of ours.
    GatewayHarness h(GatewayHarness::UpstreamThread::Own);
    h.addAccount(u"A"_s);
    h.script(u"A"_s, bigStream(32));
    QVERIFY(h.start());
    RawHttpClient client;
    askForAStream(h, client);
    // The client reads nothing until the gateway holds what makes it stop reading upstream.
    QVERIFY(QTest::qWaitFor([&] { return mostWaitingToBeSent(h) > StreamPacer::highWater; },
                            testTimeout()));
    // From then on, however slowly the client reads, the gateway holds at most that and one
    // read from the upstream: without pacing it would hold the rest of the 32 MiB.
    const qint64 bound = StreamPacer::highWater + UpstreamReply::readBufferBytes + 64 * 1024;
    while (!client.received().endsWith("\r\n0\r\n\r\n")) {
        QVERIFY(
            QTest::qWaitFor([&] { return client.socket().bytesAvailable() > 0; }, testTimeout()));
        client.poll();
        const qint64 waiting = mostWaitingToBeSent(h);
        QVERIFY2(waiting <= bound, qPrintable(QString::number(waiting)));
    }
    QCOMPARE(deltaText(client.eventsSoFar()).size(), 32 * 1024 * 1024);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().status, 200);
}

void TestGatewayAnswers::aClientThatStopsReadingIsDropped()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    h.script(u"A"_s, bigStream(16));
    QVERIFY(h.start());
    RawHttpClient client;
    askForAStream(h, client);
    QVERIFY(QTest::qWaitFor([&] { return mostWaitingToBeSent(h) > StreamPacer::highWater; },
                            testTimeout()));
    // The upstream timeout passes while the upstream waits for the client: the client's
    // fault, so it is dropped and the account is not blamed.
    h.passUpstreamTimeout();
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.first().status, 499);
    QVERIFY(client.waitForDisconnected());
    const Account a = h.live(u"A"_s);
    QCOMPARE(a.health.errorCount, 0);
    QCOMPARE(h.healthChangesOf(u"A"_s), 0);
}

QTEST_GUILESS_MAIN(TestGatewayAnswers)
#include "tst_gatewayanswers.moc"
