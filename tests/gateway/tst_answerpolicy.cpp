// SPDX-License-Identifier: GPL-3.0-or-later
// Which upstream answers the relay passes on: a success in the form the client asked for, of
// bounded size.
#include "gateway/answerpolicy.h"

#include <QTest>

class TestAnswerPolicy : public QObject
{
    Q_OBJECT

private slots:
    void refusal_data();
    void refusal();
};

void TestAnswerPolicy::refusal_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("eventStream");
    QTest::addColumn<bool>("clientStreams");
    QTest::addColumn<qsizetype>("bodyBytes");
    QTest::addColumn<bool>("refused");

    constexpr qsizetype max = AnswerPolicy::maxBodyBytes;
    QTest::newRow("stream for a stream") << 200 << true << true << max * 4 << false;
    QTest::newRow("message for a message") << 200 << false << false << max << false;
    QTest::newRow("stream for a message") << 200 << true << false << qsizetype(0) << true;
    QTest::newRow("message for a stream") << 200 << false << true << qsizetype(0) << true;
    QTest::newRow("error for a stream") << 429 << false << true << qsizetype(10) << false;
    QTest::newRow("status not known yet") << 0 << false << true << qsizetype(0) << false;
    QTest::newRow("message too large") << 200 << false << false << max + 1 << true;
    QTest::newRow("error too large") << 400 << false << true << max + 1 << true;
}

void TestAnswerPolicy::refusal()
{
    QFETCH(int, status);
    QFETCH(bool, eventStream);
    QFETCH(bool, clientStreams);
    QFETCH(qsizetype, bodyBytes);
    QFETCH(bool, refused);
    const auto refusal = AnswerPolicy::refusal(status, eventStream, clientStreams, bodyBytes);
    QCOMPARE(refusal.has_value(), refused);
    if (refusal) {
        QCOMPARE(refusal->transport, UpstreamOutcome::Transport::Unusable);
        QVERIFY(!refusal->networkError.isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestAnswerPolicy)
#include "tst_answerpolicy.moc"
