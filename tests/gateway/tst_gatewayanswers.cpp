// SPDX-License-Identifier: GPL-3.0-or-later
// What clients and users see of upstream answers, over real sockets (docs/protocol.md, "What
// clients get"): a key the upstream echoes is masked everywhere it could go.
#include "gatewayharness.h"
#include "support/testprinters.h"

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

} // namespace

class TestGatewayAnswers : public QObject
{
    Q_OBJECT

private slots:
    void echoedKeyLeavesNoTrace_data();
    void echoedKeyLeavesNoTrace();
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

QTEST_GUILESS_MAIN(TestGatewayAnswers)
#include "tst_gatewayanswers.moc"
