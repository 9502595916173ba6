// SPDX-License-Identifier: GPL-3.0-or-later
// Which upstream answers the relay passes on: a success in the form the client asked for.
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
    QTest::addColumn<bool>("refused");

    QTest::newRow("stream for a stream") << 200 << true << true << false;
    QTest::newRow("message for a message") << 200 << false << false << false;
    QTest::newRow("stream for a message") << 200 << true << false << true;
    QTest::newRow("message for a stream") << 200 << false << true << true;
    QTest::newRow("error for a stream") << 429 << false << true << false;
    QTest::newRow("status not known yet") << 0 << false << true << false;
}

void TestAnswerPolicy::refusal()
{
    QFETCH(int, status);
    QFETCH(bool, eventStream);
    QFETCH(bool, clientStreams);
    QFETCH(bool, refused);
    QCOMPARE(!AnswerPolicy::refusal(status, eventStream, clientStreams).isEmpty(), refused);
}

QTEST_GUILESS_MAIN(TestAnswerPolicy)
#include "tst_answerpolicy.moc"
