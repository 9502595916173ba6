// SPDX-License-Identifier: GPL-3.0-or-later
// Golden transcripts in tests/data/openai, both directions:
//   request/NAME.json   {"preset", "dialect"?, "model", "anthropic", "openai" | "error"}
//   response/NAME.json  {"model", "stop_sequences"?, "openai", "anthropic" | "error"}
//   stream/NAME.sse     OpenAI chunks as the upstream sends them (data: lines)
//   stream/NAME.jsonl   the Anthropic events expected, one {"event","data"} a line
//   stream/NAME.json    optional: {"model", "stop_sequences", "fail": {"type","message"},
//                       "message": the accumulated message expected}
// Minted ids are deterministic: the id seed is fixed in initTestCase.
#include "anthropicstreamvalidator.h"
#include "core/providerpreset.h"
#include "gateway/openai/openaimapping.h"
#include "gateway/openai/openairequest.h"
#include "gateway/openai/openairesponse.h"
#include "gateway/openai/openaistream.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QString dataDir(const QString &sub)
{
    return QStringLiteral(SWITCHBOARD_TEST_DATA_DIR) + u"/openai/"_s + sub;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

QJsonObject readJson(const QString &path)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(readFile(path), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("%s: %s", qPrintable(path), qPrintable(error.errorString()));
    return doc.object();
}

QByteArray pretty(const QJsonValue &value)
{
    return value.isArray() ? QJsonDocument(value.toArray()).toJson()
                           : QJsonDocument(value.toObject()).toJson();
}

OpenAIDialect dialectFor(const QJsonObject &testCase)
{
    const ProviderPreset *preset = ProviderPreset::byId(testCase.value(u"preset"_s).toString());
    if (!preset)
        qFatal("unknown preset in test case");
    OpenAIDialect d = preset->dialect;
    const QJsonObject o = testCase.value(u"dialect"_s).toObject();
    d.cleanToolSchemas = o.value(u"cleanToolSchemas"_s).toBool(d.cleanToolSchemas);
    d.maxCompletionTokens = o.value(u"maxCompletionTokens"_s).toBool(d.maxCompletionTokens);
    d.streamUsage = o.value(u"streamUsage"_s).toBool(d.streamUsage);
    d.imageUrls = o.value(u"imageUrls"_s).toBool(d.imageUrls);
    d.reasoningContent = o.value(u"reasoningContent"_s).toBool(d.reasoningContent);
    static const QHash<QString, ReasoningStyle> styles {
        {u"None"_s, ReasoningStyle::None},
        {u"ReasoningEffort"_s, ReasoningStyle::ReasoningEffort},
        {u"OpenRouter"_s, ReasoningStyle::OpenRouter},
        {u"EnableThinking"_s, ReasoningStyle::EnableThinking},
        {u"ThinkingType"_s, ReasoningStyle::ThinkingType},
    };
    if (o.contains(u"reasoning"_s))
        d.reasoning = styles.value(o.value(u"reasoning"_s).toString());
    return d;
}

QStringList strings(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out.append(v.toString());
    return out;
}

/// What the strict fake upstream accepts: known fields only, never null.
QString strictnessProblem(const QJsonObject &request, const OpenAIDialect &dialect)
{
    static const QSet<QString> fields {
        u"model"_s,
        u"messages"_s,
        u"max_tokens"_s,
        u"max_completion_tokens"_s,
        u"temperature"_s,
        u"top_p"_s,
        u"stop"_s,
        u"stream"_s,
        u"stream_options"_s,
        u"tools"_s,
        u"tool_choice"_s,
        u"parallel_tool_calls"_s,
        u"reasoning_effort"_s,
        u"reasoning"_s,
        u"enable_thinking"_s,
        u"thinking_budget"_s,
        u"thinking"_s,
        u"user"_s,
    };
    static const QSet<QString> messageFields {u"role"_s, u"content"_s, u"name"_s, u"tool_calls"_s,
                                              u"tool_call_id"_s};
    for (auto it = request.begin(); it != request.end(); ++it) {
        if (!fields.contains(it.key()))
            return u"unknown field "_s + it.key();
        if (it.value().isNull())
            return u"null field "_s + it.key();
    }
    for (const QJsonValue &m : request.value(u"messages"_s).toArray()) {
        const QJsonObject message = m.toObject();
        for (auto it = message.begin(); it != message.end(); ++it) {
            const bool known = messageFields.contains(it.key())
                || (dialect.reasoningContent && it.key() == u"reasoning_content");
            if (!known)
                return u"unknown message field "_s + it.key();
            if (it.value().isNull())
                return u"null message field "_s + it.key();
        }
    }
    return {};
}

/// One stream chunk whose delta is `delta`.
QByteArray chunk(const QJsonObject &delta)
{
    return QJsonDocument(
               QJsonObject {{u"choices"_s, QJsonArray {QJsonObject {{u"index"_s, 0},
                                                                   {u"delta"_s, delta}}}}})
        .toJson(QJsonDocument::Compact);
}

/// A chunk with one piece of the tool call at `index`.
QByteArray toolChunk(int index, QJsonObject call)
{
    call.insert(u"index"_s, index);
    return chunk({{u"tool_calls"_s, QJsonArray {call}}});
}

QJsonObject toolFunction(const QString &name, const QString &arguments)
{
    QJsonObject function {{u"arguments"_s, arguments}};
    if (!name.isEmpty())
        function.insert(u"name"_s, name);
    return function;
}

bool regenerate()
{
    return qEnvironmentVariableIntValue("SWITCHBOARD_REGENERATE_GOLDEN") == 1;
}

void rewrite(const QString &path, QJsonObject testCase, const QString &key, const QJsonValue &value)
{
    testCase.insert(key, value);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(testCase).toJson());
}

void addRows(const QString &sub, const QString &pattern)
{
    QTest::addColumn<QString>("path");
    const QDir dir(dataDir(sub));
    const QStringList files = dir.entryList({pattern}, QDir::Files, QDir::Name);
    QVERIFY2(!files.isEmpty(), qPrintable(u"no test cases in "_s + dir.path()));
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

QList<QByteArray> ssePayloads(const QByteArray &bytes)
{
    SseParser parser;
    QList<QByteArray> out;
    for (const SseEvent &e : parser.feed(bytes + "\n\n"))
        out.append(e.data);
    return out;
}

} // namespace

class TestOpenAIConvert : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { OpenAIMapping::setIdSeed(42); }
    void init() { OpenAIMapping::setIdSeed(42); }

    void requestsMatchTheGoldenFiles_data() { addRows(u"request"_s, u"*.json"_s); }
    void requestsMatchTheGoldenFiles()
    {
        QFETCH(QString, path);
        const QJsonObject testCase = readJson(path);
        const OpenAIDialect dialect = dialectFor(testCase);
        const Result<QJsonObject> actual = OpenAIRequest::fromAnthropic(
            testCase.value(u"anthropic"_s).toObject(), testCase.value(u"model"_s).toString(),
            dialect);
        if (testCase.contains(u"error"_s)) {
            QVERIFY2(!actual, actual ? pretty(*actual).constData() : "");
            QCOMPARE(actual.error().kind, Error::Kind::Invalid);
            QVERIFY2(actual.error().message.contains(testCase.value(u"error"_s).toString()),
                     qPrintable(actual.error().message));
            return;
        }
        QVERIFY2(actual, qPrintable(actual.error().message));
        const QString problem = strictnessProblem(*actual, dialect);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        if (regenerate())
            rewrite(path, testCase, u"openai"_s, *actual);
        const QJsonObject expected = testCase.value(u"openai"_s).toObject();
        QVERIFY2(*actual == expected,
                 QByteArray("actual:\n" + pretty(*actual) + "expected:\n" + pretty(expected))
                     .constData());
    }

    /// Several gateways send a reasoning option alongside disabled thinking and get 400s:
    /// without thinking on, no preset's request turns reasoning on.
    void reasoningStaysOffWithoutThinking_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QJsonValue>("thinking");
        for (const ProviderPreset &p : ProviderPreset::all()) {
            if (p.kind != ProviderKind::OpenAI)
                continue;
            QTest::addRow("%s, absent", qPrintable(p.id)) << p.id << QJsonValue();
            QTest::addRow("%s, disabled", qPrintable(p.id))
                << p.id << QJsonValue(QJsonObject {{u"type"_s, u"disabled"_s}});
        }
    }
    void reasoningStaysOffWithoutThinking()
    {
        QFETCH(QString, preset);
        QFETCH(QJsonValue, thinking);
        QJsonObject request {{u"model"_s, u"claude"_s},
                             {u"max_tokens"_s, 100},
                             {u"messages"_s, QJsonArray {QJsonObject {{u"role"_s, u"user"_s},
                                                                      {u"content"_s, u"hi"_s}}}}};
        if (!thinking.isUndefined())
            request.insert(u"thinking"_s, thinking);
        const auto converted = OpenAIRequest::fromAnthropic(
            request, u"m"_s, ProviderPreset::byId(preset)->dialect);
        QVERIFY(converted);
        QVERIFY(!converted->contains(u"reasoning_effort"));
        QVERIFY(!converted->contains(u"reasoning"));
        QVERIFY(!converted->contains(u"thinking_budget"));
        QVERIFY(!converted->value(u"enable_thinking").toBool());
        QCOMPARE_NE(converted->value(u"thinking")[u"type"].toString(), u"enabled"_s);
    }

    void responsesMatchTheGoldenFiles_data() { addRows(u"response"_s, u"*.json"_s); }
    void responsesMatchTheGoldenFiles()
    {
        QFETCH(QString, path);
        const QJsonObject testCase = readJson(path);
        const Result<QJsonObject> actual = OpenAIResponse::toAnthropic(
            testCase.value(u"openai"_s).toObject(), testCase.value(u"model"_s).toString(),
            strings(testCase.value(u"stop_sequences"_s)));
        if (testCase.contains(u"error"_s)) {
            QVERIFY(!actual);
            QVERIFY2(actual.error().message.contains(testCase.value(u"error"_s).toString()),
                     qPrintable(actual.error().message));
            return;
        }
        QVERIFY2(actual, qPrintable(actual.error().message));
        if (regenerate())
            rewrite(path, testCase, u"anthropic"_s, *actual);
        const QJsonObject expected = testCase.value(u"anthropic"_s).toObject();
        QVERIFY2(*actual == expected,
                 QByteArray("actual:\n" + pretty(*actual) + "expected:\n" + pretty(expected))
                     .constData());
    }

    void streamsMatchTheGoldenFiles_data() { addRows(u"stream"_s, u"*.sse"_s); }
    void streamsMatchTheGoldenFiles()
    {
        QFETCH(QString, path);
        const QString base = path.chopped(4);
        const QJsonObject meta
            = QFile::exists(base + u".json"_s) ? readJson(base + u".json"_s) : QJsonObject {};
        OpenAIStreamTranslator translator(meta.value(u"model"_s).toString(u"claude-sonnet-4-5"_s),
                                          strings(meta.value(u"stop_sequences"_s)));
        QList<SseEvent> events;
        for (const QByteArray &payload : ssePayloads(readFile(path)))
            events += translator.feed(payload);
        if (meta.contains(u"fail"_s)) {
            const QJsonObject fail = meta.value(u"fail"_s).toObject();
            events += translator.fail(fail.value(u"type"_s).toString(),
                                      fail.value(u"message"_s).toString());
        }
        events += translator.finish(); // the connection closes
        QVERIFY(translator.isFinished());
        QVERIFY(translator.finish().isEmpty());

        AnthropicStreamValidator validator;
        QVERIFY2(validator.feed(events) && validator.done(), qPrintable(validator.error()));

        QByteArray actual;
        for (const SseEvent &e : events) {
            actual += QJsonDocument(
                          QJsonObject {{u"event"_s, QString::fromUtf8(e.event)},
                                       {u"data"_s, QJsonDocument::fromJson(e.data).object()}})
                          .toJson(QJsonDocument::Compact)
                + '\n';
        }
        const QString expectedPath = base + u".jsonl"_s;
        if (regenerate()) {
            QFile file(expectedPath);
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(actual);
        }
        QList<QJsonObject> expectedEvents;
        for (const QByteArray &line : readFile(expectedPath).split('\n')) {
            if (!line.trimmed().isEmpty())
                expectedEvents.append(QJsonDocument::fromJson(line).object());
        }
        QList<QJsonObject> actualEvents;
        for (const QByteArray &line : actual.split('\n')) {
            if (!line.isEmpty())
                actualEvents.append(QJsonDocument::fromJson(line).object());
        }
        for (qsizetype i = 0; i < qMin(actualEvents.size(), expectedEvents.size()); ++i) {
            QVERIFY2(actualEvents[i] == expectedEvents[i],
                     qPrintable(u"event %1 differs:\nactual:   %2\nexpected: %3"_s.arg(i).arg(
                         QString::fromUtf8(
                             QJsonDocument(actualEvents[i]).toJson(QJsonDocument::Compact)),
                         QString::fromUtf8(
                             QJsonDocument(expectedEvents[i]).toJson(QJsonDocument::Compact)))));
        }
        QCOMPARE(actualEvents.size(), expectedEvents.size());
        QCOMPARE(translator.usage(), validator.message().value(u"usage"_s).toObject());

        if (meta.contains(u"message"_s)) {
            const QJsonObject expected = meta.value(u"message"_s).toObject();
            QVERIFY2(validator.message() == expected,
                     QByteArray("actual:\n" + pretty(validator.message()) + "expected:\n"
                                + pretty(expected))
                         .constData());
        }
    }

    /// Many parallel calls, their pieces interleaved: every one arrives whole, in order.
    void manyInterleavedToolCalls()
    {
        constexpr int calls = 20000;
        OpenAIStreamTranslator translator(u"claude-sonnet-4-5"_s, {});
        QList<SseEvent> events;
        for (int i = 0; i < calls; ++i) {
            events += translator.feed(
                toolChunk(i, {{u"id"_s, u"call_%1"_s.arg(i)},
                              {u"type"_s, u"function"_s},
                              {u"function"_s, toolFunction(u"f"_s, u"{\"n\":"_s)}}));
        }
        for (int i = calls - 1; i >= 0; --i) { // the closing pieces in reverse order
            events += translator.feed(
                toolChunk(i, {{u"function"_s, toolFunction({}, QString::number(i) + u'}')}}));
        }
        events += translator.feed(
            QJsonDocument(QJsonObject {{u"choices"_s,
                                        QJsonArray {QJsonObject {{u"index"_s, 0},
                                                                 {u"delta"_s, QJsonObject {}},
                                                                 {u"finish_reason"_s,
                                                                  u"tool_calls"_s}}}}})
                .toJson(QJsonDocument::Compact));
        events += translator.feed("[DONE]");
        AnthropicStreamValidator validator;
        QVERIFY2(validator.feed(events) && validator.done(), qPrintable(validator.error()));
        const QJsonArray content = validator.message().value(u"content"_s).toArray();
        QCOMPARE(content.size(), calls);
        for (int i = 0; i < calls; i += 997) {
            QCOMPARE(content[i][u"id"_s].toString(), u"call_%1"_s.arg(i));
            QCOMPARE(content[i][u"input"_s][u"n"_s].toInt(), i);
        }
        QCOMPARE(validator.message().value(u"stop_reason"_s).toString(), u"tool_use"_s);
    }

    /// Text held back behind an unfinished tool call is bounded: past the limit the
    /// message ends with an error, as a broken stream would, and nothing more is kept.
    void heldBackContentIsBounded()
    {
        OpenAIStreamTranslator translator(u"claude-sonnet-4-5"_s, {}, 1000);
        QList<SseEvent> events = translator.feed(
            toolChunk(0, {{u"id"_s, u"call_1"_s},
                          {u"type"_s, u"function"_s},
                          {u"function"_s, toolFunction(u"f"_s, u"{\"a\":"_s)}}));
        const QByteArray text = chunk({{u"content"_s, QString(100, u'x')}});
        for (int i = 0; i < 50 && !translator.isFinished(); ++i)
            events += translator.feed(text);
        QVERIFY(translator.isFinished());
        QVERIFY(translator.feed(text).isEmpty());
        AnthropicStreamValidator validator;
        QVERIFY2(validator.feed(events) && validator.done(), qPrintable(validator.error()));
        QVERIFY(validator.sawError());
        QVERIFY(validator.errorEvent()[u"error"_s][u"message"_s].toString().contains(
            u"held back"_s));
        // The cut-off call still parses.
        QCOMPARE(validator.message().value(u"content"_s).toArray().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestOpenAIConvert)
#include "tst_openaiconvert.moc"
