// SPDX-License-Identifier: GPL-3.0-or-later
// SseParser, pure: events from an upstream's bytes however they are cut into reads, and work
// linear in the bytes (found by fuzz/fuzz_sse: a line arriving in small reads was searched
// again from its start on every read).
#include "gateway/sse.h"

#include <QTest>

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

class TestSseParser : public QObject
{
    Q_OBJECT

private slots:
    void readsOfAnySizeGiveTheSameEvents()
    {
        const QByteArray bytes = ": ping\r\nevent: message_start\r\ndata: {\"a\":\r\ndata:  1}\r\n"
                                 "id: 7\r\n\r\nevent:x\rdata\r\rdata: last\n\n";
        const QList<SseEvent> expected {{"message_start", "{\"a\":\n 1}"}, {"x", ""}, {"", "last"}};
        for (qsizetype read = 1; read <= bytes.size(); ++read)
            QCOMPARE(parseInReads(bytes, read), expected);
    }

    /// 4 MiB of one data line, a byte a read: quadratic work would never end.
    void aLongLineInSmallReadsIsSearchedOnce()
    {
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
};

QTEST_GUILESS_MAIN(TestSseParser)
#include "tst_sseparser.moc"
