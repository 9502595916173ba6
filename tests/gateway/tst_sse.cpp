// SPDX-License-Identifier: GPL-3.0-or-later
// The SSE parser: events from an upstream's bytes however they are cut into reads, in work
// linear in the bytes (fuzz/fuzz_sse found a line arriving in small reads searched again
// from its start on every read), what comes out of bytes that are not quite a clean stream,
// and of an event that never ends.
#include "gateway/answerpolicy.h"
#include "gateway/sse.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QList<SseEvent> parseInReads(const QByteArray &bytes, qsizetype read)
{
    SseParser parser;
    QList<SseEvent> events;
    for (qsizetype at = 0; at < bytes.size(); at += read)
        events += parser.feed(bytes.mid(at, read));
    return events;
}

} // namespace

class TestSse : public QObject
{
    Q_OBJECT

private slots:
    void readsOfAnySizeGiveTheSameEvents();
    void aLongLineInSmallReadsIsSearchedOnce();
    void invalidUtf8BecomesReplacementCharacters();
    void anEventTooLargeEndsTheStream_data();
    void anEventTooLargeEndsTheStream();
};

void TestSse::readsOfAnySizeGiveTheSameEvents()
{
    const QByteArray bytes = ": ping\r\nevent: message_start\r\ndata: {\"a\":\r\ndata:  1}\r\n"
                             "id: 7\r\n\r\nevent:x\rdata\r\rdata: last\n\n";
    const QList<SseEvent> expected {{"message_start", "{\"a\":\n 1}"}, {"x", ""}, {"", "last"}};
    for (qsizetype read = 1; read <= bytes.size(); ++read)
        QCOMPARE(parseInReads(bytes, read), expected);
}

void TestSse::aLongLineInSmallReadsIsSearchedOnce()
{
    // 4 MiB of one data line, a byte a read: quadratic work would never end.
    const QByteArray line = "data: " + QByteArray(4 * 1024 * 1024, 'x');
    SseParser parser;
    for (qsizetype at = 0; at < line.size(); ++at)
        QVERIFY(parser.feed(line.mid(at, 1)).isEmpty());
    QCOMPARE(parser.pendingBytes(), line.size());
    const QList<SseEvent> events = parser.feed("\n\n");
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.first().data.size(), line.size() - 6);
    QCOMPARE(parser.pendingBytes(), 0);
}

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
