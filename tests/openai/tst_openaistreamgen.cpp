// SPDX-License-Identifier: GPL-3.0-or-later
// Random but valid OpenAI chunk sequences, as the providers we know send them, through
// OpenAIStreamTranslator: every output must pass AnthropicStreamValidator and accumulate to
// what OpenAIResponse::toAnthropic makes of the same answer sent in one piece. Truncated and
// failed streams must still be valid, with an error event exactly when the answer was cut.
// Set SWITCHBOARD_STREAMGEN_SEED=N to replay one sequence.
#include "anthropicstreamvalidator.h"
#include "gateway/openai/openaimapping.h"
#include "gateway/openai/openairesponse.h"
#include "gateway/openai/openaistream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

constexpr int kSequences = 3000;

struct ToolCall
{
    QString id; ///< empty: the provider sends none
    QString name;
    QString arguments;
};

/// One generated answer and the chunk payloads that stream it.
struct Generated
{
    QString reasoning;
    QString text;
    QList<ToolCall> tools;
    QString finishReason;
    QString matchedStop;
    QJsonObject usage; ///< empty: the provider reports none
    QList<QByteArray> payloads;
    int finishPayload = -1; ///< index of the payload carrying finish_reason
    int usagePayload = -1; ///< index of the payload carrying usage; -1: none
    QJsonObject completion; ///< the same answer, non-streaming
};

class Generator
{
public:
    explicit Generator(quint32 seed)
        : m_rng(seed)
        , m_id(u"chatcmpl-gen%1"_s.arg(seed))
    { }

    Generated run();

private:
    int below(int n) { return int(m_rng.bounded(n)); }
    bool chance(int percent) { return below(100) < percent; }
    QString word();
    QString randomText();
    QJsonValue randomValue(int depth);
    QStringList split(const QString &s);
    QJsonObject chunk(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null);

    QRandomGenerator m_rng;
    QString m_id;
    QString m_matchedStop;
};

QString Generator::word()
{
    static const QStringList words {u"alpha"_s, u"beta"_s,      u"{"_s,     u"}"_s,      u"\""_s,
                                    u"\\"_s,    u"ünï"_s,       u"中文"_s,  u"\n"_s,     u" "_s,
                                    u"[x]"_s,   u"emoji🙂"_s, u"tab\t"_s, u"END-ish"_s};
    return words[below(int(words.size()))];
}

QString Generator::randomText()
{
    QString s;
    const int n = 1 + below(12);
    for (int i = 0; i < n; ++i)
        s += word();
    return s;
}

QJsonValue Generator::randomValue(int depth)
{
    switch (below(depth > 2 ? 3 : 5)) {
    case 0:
        return randomText();
    case 1:
        return below(1000) - 500;
    case 2:
        return chance(50);
    case 3: {
        QJsonArray a;
        for (int i = below(3); i > 0; --i)
            a.append(randomValue(depth + 1));
        return a;
    }
    default: {
        QJsonObject o;
        for (int i = below(3); i > 0; --i)
            o.insert(u"k%1"_s.arg(i), randomValue(depth + 1));
        return o;
    }
    }
}

QStringList Generator::split(const QString &s)
{
    // Random cut points, with empty pieces thrown in as some providers send them.
    QStringList pieces;
    qsizetype pos = 0;
    while (pos < s.size()) {
        if (chance(10))
            pieces.append(QString());
        qsizetype len = 1 + below(6);
        if (pos + len < s.size() && s[pos + len - 1].isHighSurrogate())
            ++len; // keep surrogate pairs whole: JSON cannot carry half of one
        pieces.append(s.mid(pos, len));
        pos += len;
    }
    return pieces;
}

QJsonObject Generator::chunk(const QJsonObject &delta, const QJsonValue &finish)
{
    QJsonObject choice {{u"index"_s, 0}, {u"delta"_s, delta}, {u"finish_reason"_s, finish}};
    if (!finish.isNull() && !m_matchedStop.isEmpty())
        choice.insert(u"stop_reason"_s, m_matchedStop);
    return {{u"id"_s, m_id},
            {u"object"_s, u"chat.completion.chunk"_s},
            {u"choices"_s, QJsonArray {choice}}};
}

Generated Generator::run()
{
    Generated g;
    if (chance(40))
        g.reasoning = randomText();
    if (chance(70))
        g.text = randomText();
    const int toolCount = chance(50) ? below(5) : 0;
    for (int i = 0; i < toolCount; ++i) {
        QJsonObject args;
        for (int k = below(4); k > 0; --k)
            args.insert(u"p%1"_s.arg(k), randomValue(0));
        ToolCall call;
        call.id = chance(85) ? u"call_%1_%2"_s.arg(m_id).arg(i) : QString();
        call.name = u"tool_%1"_s.arg(below(3));
        // Mostly compact, sometimes spaced, sometimes empty (a tool without parameters).
        call.arguments = chance(10)
            ? QString()
            : QString::fromUtf8(QJsonDocument(args).toJson(chance(80) ? QJsonDocument::Compact
                                                                      : QJsonDocument::Indented));
        g.tools.append(call);
    }
    if (!g.tools.isEmpty())
        g.finishReason = chance(80) ? u"tool_calls"_s : u"stop"_s;
    else
        g.finishReason
            = QStringList {u"stop"_s, u"stop"_s, u"length"_s, u"content_filter"_s}[below(4)];
    if (g.finishReason == u"stop" && g.tools.isEmpty() && chance(25))
        g.matchedStop = m_matchedStop = u"END"_s;
    const int usagePlacement = below(3); // 0: in the finish chunk, 1: own chunk, 2: none
    if (usagePlacement != 2) {
        g.usage = {{u"prompt_tokens"_s, 10 + below(5000)},
                   {u"completion_tokens"_s, below(2000)},
                   {u"total_tokens"_s, 0}};
        if (chance(50))
            g.usage.insert(u"prompt_tokens_details"_s,
                           QJsonObject {{u"cached_tokens"_s, below(10)}});
    }

    // The stream: a list of deltas, then the finish.
    QList<QJsonObject> deltas;
    if (chance(70))
        deltas.append({{u"role"_s, u"assistant"_s},
                       {u"content"_s, chance(50) ? QJsonValue(u""_s) : QJsonValue()}});
    for (const QString &p : split(g.reasoning))
        deltas.append({{u"reasoning_content"_s, p}});
    for (const QString &p : split(g.text))
        deltas.append({{u"content"_s, p}});
    if (chance(30) && deltas.size() >= 2) {
        // Providers sometimes pack neighbouring fields into one delta.
        const int at = below(int(deltas.size()) - 1);
        QJsonObject merged = deltas[at];
        bool clash = false;
        for (auto it = deltas[at + 1].begin(); it != deltas[at + 1].end(); ++it)
            clash = clash || merged.contains(it.key());
        if (!clash) {
            for (auto it = deltas[at + 1].begin(); it != deltas[at + 1].end(); ++it)
                merged.insert(it.key(), it.value());
            deltas[at] = merged;
            deltas.removeAt(at + 1);
        }
    }

    // Tool pieces per call, then interleaved; call k's first piece precedes call k+1's.
    QList<QList<QJsonObject>> perTool;
    for (int i = 0; i < g.tools.size(); ++i) {
        const ToolCall &call = g.tools[i];
        QList<QJsonObject> pieces;
        const QStringList fragments
            = chance(20) ? QStringList {call.arguments} : split(call.arguments);
        QJsonObject first {{u"index"_s, i}, {u"type"_s, u"function"_s}};
        if (!call.id.isEmpty())
            first.insert(u"id"_s, call.id);
        QJsonObject function {{u"name"_s, call.name}};
        function.insert(u"arguments"_s,
                        chance(50) && !fragments.isEmpty() ? fragments.first() : QString());
        first.insert(u"function"_s, function);
        pieces.append(first);
        for (qsizetype f = function.value(u"arguments"_s).toString().isEmpty() ? 0 : 1;
             f < fragments.size(); ++f) {
            QJsonObject piece {{u"index"_s, i},
                               {u"function"_s, QJsonObject {{u"arguments"_s, fragments[f]}}}};
            if (!call.id.isEmpty() && chance(30))
                piece.insert(u"id"_s, call.id);
            pieces.append(piece);
        }
        perTool.append(pieces);
    }
    QList<int> next(perTool.size(), 0);
    int started = 0;
    while (true) {
        QList<int> candidates;
        for (int i = 0; i < perTool.size(); ++i) {
            if (next[i] < perTool[i].size() && (next[i] > 0 || i == started))
                candidates.append(i);
        }
        if (candidates.isEmpty())
            break;
        const bool interleave = chance(50);
        const int pick
            = interleave ? candidates[below(int(candidates.size()))] : candidates.first();
        QJsonArray calls {perTool[pick][next[pick]]};
        if (next[pick] == 0)
            ++started;
        ++next[pick];
        // Sometimes a second call's piece rides in the same delta.
        if (chance(15)) {
            for (int other : candidates) {
                if (other != pick && next[other] < perTool[other].size() && next[other] > 0) {
                    calls.append(perTool[other][next[other]++]);
                    break;
                }
            }
        }
        deltas.append({{u"tool_calls"_s, calls}});
    }

    QList<QJsonObject> chunks;
    for (const QJsonObject &d : deltas)
        chunks.append(chunk(d));
    if (!chunks.isEmpty() && chance(40)) {
        QJsonObject last = chunks.takeLast();
        QJsonObject choice = last[u"choices"_s][0].toObject();
        choice.insert(u"finish_reason"_s, g.finishReason);
        if (!g.matchedStop.isEmpty())
            choice.insert(u"stop_reason"_s, g.matchedStop);
        last.insert(u"choices"_s, QJsonArray {choice});
        chunks.append(last);
    } else {
        chunks.append(chunk({}, g.finishReason));
    }
    g.finishPayload = int(chunks.size()) - 1;
    if (usagePlacement == 0) {
        chunks.last().insert(u"usage"_s, g.usage);
        g.usagePayload = g.finishPayload;
    } else if (usagePlacement == 1) {
        chunks.append({{u"id"_s, m_id}, {u"choices"_s, QJsonArray {}}, {u"usage"_s, g.usage}});
        g.usagePayload = g.finishPayload + 1;
    } else if (chance(50)) {
        chunks.last().insert(u"usage"_s, QJsonValue::Null);
    }
    for (const QJsonObject &c : chunks)
        g.payloads.append(QJsonDocument(c).toJson(QJsonDocument::Compact));
    if (chance(70))
        g.payloads.append("[DONE]");

    // The same answer, non-streaming.
    QJsonObject message {{u"role"_s, u"assistant"_s},
                         {u"content"_s, g.text.isEmpty() ? QJsonValue() : QJsonValue(g.text)}};
    if (!g.reasoning.isEmpty())
        message.insert(u"reasoning_content"_s, g.reasoning);
    QJsonArray calls;
    for (const ToolCall &call : g.tools) {
        QJsonObject c {{u"type"_s, u"function"_s},
                       {u"function"_s,
                        QJsonObject {{u"name"_s, call.name}, {u"arguments"_s, call.arguments}}}};
        if (!call.id.isEmpty())
            c.insert(u"id"_s, call.id);
        calls.append(c);
    }
    if (!calls.isEmpty())
        message.insert(u"tool_calls"_s, calls);
    QJsonObject choice {
        {u"index"_s, 0}, {u"message"_s, message}, {u"finish_reason"_s, g.finishReason}};
    if (!g.matchedStop.isEmpty())
        choice.insert(u"stop_reason"_s, g.matchedStop);
    g.completion = {{u"id"_s, m_id}, {u"choices"_s, QJsonArray {choice}}};
    if (!g.usage.isEmpty())
        g.completion.insert(u"usage"_s, g.usage);
    return g;
}

QString describe(quint32 seed, const Generated &g, const QList<SseEvent> &events)
{
    QString s = u"seed %1\nupstream:\n"_s.arg(seed);
    for (const QByteArray &p : g.payloads)
        s += u"  "_s + QString::fromUtf8(p) + u'\n';
    s += u"events:\n"_s;
    for (const SseEvent &e : events)
        s += u"  "_s + QString::fromUtf8(e.event) + u' ' + QString::fromUtf8(e.data) + u'\n';
    return s;
}

QList<quint32> seeds()
{
    bool ok = false;
    const quint32 one = qEnvironmentVariable("SWITCHBOARD_STREAMGEN_SEED").toUInt(&ok);
    if (ok)
        return {one};
    QList<quint32> all;
    for (quint32 s = 1; s <= kSequences; ++s)
        all.append(s);
    return all;
}

const QStringList kStops {u"END"_s};

} // namespace

class TestOpenAIStreamGen : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { OpenAIMapping::setIdSeed(7); }

    void generatedStreamsBecomeValidAnthropicStreams()
    {
        for (const quint32 seed : seeds()) {
            const Generated g = Generator(seed).run();
            OpenAIStreamTranslator translator(u"claude-sonnet-4-5"_s, kStops);
            QList<SseEvent> events;
            for (const QByteArray &p : g.payloads)
                events += translator.feed(p);
            events += translator.finish();

            AnthropicStreamValidator validator;
            const bool valid = validator.feed(events) && validator.done();
            QVERIFY2(valid, qPrintable(validator.error() + u'\n' + describe(seed, g, events)));
            QVERIFY2(!validator.sawError(), qPrintable(describe(seed, g, events)));

            const Result<QJsonObject> expected
                = OpenAIResponse::toAnthropic(g.completion, u"claude-sonnet-4-5"_s, kStops);
            QVERIFY(expected);
            const QJsonObject actual = validator.message();
            QVERIFY2(actual == *expected,
                     qPrintable(u"accumulated:\n%1\nnon-streaming:\n%2\n%3"_s.arg(
                         QString::fromUtf8(QJsonDocument(actual).toJson()),
                         QString::fromUtf8(QJsonDocument(*expected).toJson()),
                         describe(seed, g, events))));
            QCOMPARE(translator.usage(), expected->value(u"usage"_s).toObject());
        }
    }

    void truncatedStreamsStillEndAsValidAnthropicStreams()
    {
        for (const quint32 seed : seeds()) {
            const Generated g = Generator(seed).run();
            QRandomGenerator rng(seed ^ 0x5eed);
            const int cut = int(rng.bounded(int(g.payloads.size()) + 1)); // payloads fed
            const bool failed = rng.bounded(4) == 0; // the relay noticed, instead of a close
            OpenAIStreamTranslator translator(u"claude-sonnet-4-5"_s, kStops);
            QList<SseEvent> events;
            for (int i = 0; i < cut; ++i)
                events += translator.feed(g.payloads[i]);
            events += failed ? translator.fail(u"api_error"_s, u"The upstream timed out."_s)
                             : translator.finish();
            QVERIFY(translator.isFinished());

            AnthropicStreamValidator validator;
            const bool valid = validator.feed(events) && validator.done();
            QVERIFY2(valid, qPrintable(validator.error() + u'\n' + describe(seed, g, events)));
            // Finished normally: the finish_reason arrived, and the usage too if one was
            // coming in the same chunk or before the cut. fail() after the end changes nothing.
            const bool finishSeen = cut > g.finishPayload;
            const bool doneSeen = cut > 0 && g.payloads[cut - 1] == "[DONE]";
            const bool complete
                = doneSeen || (finishSeen && g.usagePayload >= 0 && cut > g.usagePayload);
            const bool expectError = failed ? !complete : !finishSeen;
            QVERIFY2(validator.sawError() == expectError,
                     qPrintable(u"cut after %1 payloads, failed %2\n"_s.arg(cut).arg(failed)
                                + describe(seed, g, events)));
            if (expectError) {
                QVERIFY(validator.message().value(u"stop_reason"_s).isNull());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestOpenAIStreamGen)
#include "tst_openaistreamgen.moc"
