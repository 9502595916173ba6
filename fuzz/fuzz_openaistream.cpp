// SPDX-License-Identifier: GPL-3.0-or-later
//
// OpenAIStreamTranslator behind SseParser, as the relay runs them. Input: one byte of
// options (stop sequences, a relay failure before the end, a small hold limit), then the
// bytes an OpenAI-compatible upstream sends.
//
// Invariants: whatever the upstream sends, the client gets a valid Anthropic event
// sequence (AnthropicStreamValidator: one message_start, blocks started, fed and stopped
// in order, tool inputs that parse as objects, an error only between blocks, message_delta
// once, message_stop last), every event compact JSON in SSE form, the usage it reports
// equal to what the events add up to, and nothing more once it is finished.

#include "fuzzcheck.h"

#include "anthropicstreamvalidator.h"
#include "gateway/openai/openaistream.h"
#include "gateway/sse.h"

using namespace Qt::StringLiterals;

FUZZ_QUIET_QT

namespace {

void send(const QList<SseEvent> &events, AnthropicStreamValidator &validator)
{
    for (const SseEvent &event : events) {
        if (!validator.feed(event)) {
            std::fprintf(stderr, "%s\n", qPrintable(validator.error()));
            FUZZ_CHECK(false, "the translator sent an invalid Anthropic stream");
        }
        // What the client reads back from the wire is the event itself.
        SseParser client;
        const QList<SseEvent> read = client.feed(event.serialize());
        FUZZ_CHECK(read.size() == 1 && read.first() == event, "an event garbled in SSE form");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t options = data[0];
    const QStringList stops = options & 1 ? QStringList {u"END"_s, u"\n\n"_s} : QStringList {};
    const bool relayFails = options & 2;
    const qsizetype maxHeld = options & 4 ? 64 << (options >> 5)
                                          : OpenAIStreamTranslator::defaultMaxHeldChars;

    OpenAIStreamTranslator translator(u"claude-sonnet-4-5"_s, stops, maxHeld);
    AnthropicStreamValidator validator;
    SseParser upstream;
    const QByteArray bytes(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    for (const SseEvent &event : upstream.feed(bytes))
        send(translator.feed(event.data), validator);
    if (relayFails)
        send(translator.fail(u"overloaded_error"_s, u"The upstream stalled."_s), validator);
    send(translator.finish(), validator);

    FUZZ_CHECK(translator.isFinished(), "not finished after finish()");
    if (!validator.done()) {
        std::fprintf(stderr, "%s\n", qPrintable(validator.error()));
        FUZZ_CHECK(false, "the stream did not end with message_stop");
    }
    FUZZ_CHECK(translator.usage() == validator.message().value(u"usage"_s).toObject(),
               "usage() differs from the events' usage");
    FUZZ_CHECK(translator.finish().isEmpty() && translator.feed("[DONE]").isEmpty()
                   && translator.fail(u"api_error"_s, u"late"_s).isEmpty(),
               "events after message_stop");
    return 0;
}
