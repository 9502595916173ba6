// SPDX-License-Identifier: GPL-3.0-or-later
//
// SseParser. Input: one byte choosing how the rest is cut into reads, then an upstream's
// bytes.
//
// Invariants: cut into reads of any size, the bytes give the same events as fed at once;
// no event holds a line end where the format cannot carry one; every event survives
// serialize() and a parse unchanged; the parser never holds more than it was given.

#include "fuzzcheck.h"

#include "gateway/sse.h"

FUZZ_QUIET_QT

namespace {

QList<SseEvent> parse(const QByteArray &input, qsizetype readSize)
{
    SseParser parser;
    QList<SseEvent> events;
    for (qsizetype start = 0; start < input.size(); start += readSize) {
        events += parser.feed(input.sliced(start, std::min(readSize, input.size() - start)));
        FUZZ_CHECK(parser.pendingBytes() >= 0 && parser.pendingBytes() <= input.size(),
                   "the parser holds more than it was given");
    }
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArray input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const QList<SseEvent> whole = parse(input, std::max<qsizetype>(1, input.size()));
    FUZZ_CHECK(parse(input, 1 + data[0] % 16) == whole, "reads of another size parsed differently");

    for (const SseEvent &event : whole) {
        FUZZ_CHECK(!event.event.contains('\n') && !event.event.contains('\r'),
                   "an event name with a line end");
        FUZZ_CHECK(!event.data.contains('\r'), "event data with a CR");
        SseParser again;
        const QList<SseEvent> reparsed = again.feed(event.serialize());
        FUZZ_CHECK(reparsed.size() == 1 && reparsed.first() == event,
                   "an event changed through serialize() and parse");
        FUZZ_CHECK(again.pendingBytes() == 0, "serialize() left a partial event");
    }
    return 0;
}
