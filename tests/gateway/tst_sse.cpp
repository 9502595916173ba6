// SPDX-License-Identifier: GPL-3.0-or-later
// The SSE parser: what comes out of bytes that are not quite a clean stream.
#include "gateway/sse.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSse : public QObject
{
    Q_OBJECT

private slots:
    void invalidUtf8BecomesReplacementCharacters();
};

void TestSse::invalidUtf8BecomesReplacementCharacters()
{
    SseParser parser;
    // A valid character split across reads stays whole; stray bytes do not survive.
    QList<SseEvent> events = parser.feed("event: content_block_delta\ndata: {\"text\":\"caf\xC3"_ba);
    events += parser.feed("\xA9 \xFF\"}\n\nevent: bad\xFE\ndata: x\n\n"_ba);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events[0].data, "{\"text\":\"caf\xC3\xA9 \xEF\xBF\xBD\"}"_ba);
    QCOMPARE(events[1].event, "bad\xEF\xBF\xBD"_ba);
    for (const SseEvent &event : std::as_const(events))
        QVERIFY(event.data.isValidUtf8() && event.event.isValidUtf8());
}

QTEST_GUILESS_MAIN(TestSse)
#include "tst_sse.moc"
