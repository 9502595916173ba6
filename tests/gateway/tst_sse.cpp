// SPDX-License-Identifier: GPL-3.0-or-later
// The SSE parser: what comes out of bytes that are not quite a clean stream, and of an event
// that never ends.
#include "gateway/answerpolicy.h"
#include "gateway/sse.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSse : public QObject
{
    Q_OBJECT

private slots:
    void invalidUtf8BecomesReplacementCharacters();
    void anEventTooLargeEndsTheStream_data();
    void anEventTooLargeEndsTheStream();
};

void TestSse::invalidUtf8BecomesReplacementCharacters()
{
    SseParser parser;
    // A valid character split across reads stays whole; stray bytes do not survive.
    QList<SseEvent> events
        = parser.feed("event: content_block_delta\ndata: {\"text\":\"caf\xC3"_ba);
    events += parser.feed("\xA9 \xFF\"}\n\nevent: bad\xFE\ndata: x\n\n"_ba);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].data, "{\"text\":\"caf\xC3\xA9 \xEF\xBF\xBD\"}"_ba);
    QCOMPARE(events[1].event, "bad\xEF\xBF\xBD"_ba);
    for (const SseEvent &event : std::as_const(events))
        QVERIFY(event.data.isValidUtf8() && event.event.isValidUtf8());
}

void TestSse::anEventTooLargeEndsTheStream_data()
{
    QTest::addColumn<QByteArray>("line");
    // One endless line, or endless data lines of one event: both are one event being built.
    QTest::newRow("one line") << QByteArray(64 * 1024, 'x');
    QTest::newRow("many data lines") << "data: " + QByteArray(64 * 1024, 'x') + '\n';
    // Too large even when it arrives whole, in one read.
    QTest::newRow("one complete event")
        << "data: " + QByteArray(AnswerPolicy::maxEventBytes + 1, 'x') + "\n\n";
}

void TestSse::anEventTooLargeEndsTheStream()
{
    QFETCH(QByteArray, line);
    SseParser parser;
    QCOMPARE(parser.feed("event: ping\ndata: {}\n\nevent: content_block_delta\n"_ba).size(), 1);
    QList<SseEvent> events;
    qsizetype fed = 0;
    while (events.isEmpty() && fed <= AnswerPolicy::maxEventBytes) {
        events = parser.feed(line);
        fed += line.size();
    }
    QCOMPARE(events, QList<SseEvent> {AnswerPolicy::eventTooLarge()});
    QVERIFY(events.first().data.contains("api_error"));
    QVERIFY(parser.pendingBytes() == 0);
    QVERIFY(parser.feed("\n\nevent: ping\ndata: {}\n\n"_ba).isEmpty()); // nothing after it
}

QTEST_GUILESS_MAIN(TestSse)
#include "tst_sse.moc"
