// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateway/openai/tokenestimate.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject request(const QJsonValue &content)
{
    return {{u"model"_s, u"claude"_s},
            {u"messages"_s,
             QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, content}}}}};
}

} // namespace

class TestTokenEstimate : public QObject
{
    Q_OBJECT

private slots:
    void textCostsByCharactersAndIdeographs()
    {
        QCOMPARE(TokenEstimate::textTokens(u""), 0);
        QCOMPARE(TokenEstimate::textTokens(u"abcd"), 1);
        QCOMPARE(TokenEstimate::textTokens(u"abcde"), 2);
        QCOMPARE(TokenEstimate::textTokens(u"你好世界"), 4); // one per ideograph
        QCOMPARE(TokenEstimate::textTokens(u"こんにちは"), 5);
        QCOMPARE(TokenEstimate::textTokens(u"안녕"), 2);
        QCOMPARE(TokenEstimate::textTokens(u"éé"), 1);
    }

    void cjkCostsMoreThanAscii()
    {
        const QString ascii(400, u'a');
        const QString cjk(400, QChar(0x4E2D));
        QVERIFY(TokenEstimate::inputTokens(request(cjk))
                > 3 * TokenEstimate::inputTokens(request(ascii)));
    }

    void longerRequestsNeverCostLess()
    {
        qint64 previous = 0;
        QString text;
        for (int i = 0; i < 50; ++i) {
            text += u"The quick brown fox jumps over the lazy dog. "_s;
            const qint64 n = TokenEstimate::inputTokens(request(text));
            QVERIFY(n > previous);
            previous = n;
        }
        QJsonObject withSystem = request(text);
        withSystem.insert(u"system"_s, u"You are helpful."_s);
        QVERIFY(TokenEstimate::inputTokens(withSystem) > previous);
        QJsonObject withTools = withSystem;
        withTools.insert(u"tools"_s,
                         QJsonArray {QJsonObject {{u"name"_s, u"get_weather"_s},
                                                  {u"description"_s, u"Weather for a city"_s},
                                                  {u"input_schema"_s, QJsonObject {}}}});
        QVERIFY(TokenEstimate::inputTokens(withTools)
                > TokenEstimate::inputTokens(withSystem) + 346);
    }

    void imagesCounted()
    {
        const QJsonObject image {{u"type"_s, u"image"_s},
                                 {u"source"_s,
                                  QJsonObject {{u"type"_s, u"base64"_s},
                                               {u"media_type"_s, u"image/png"_s},
                                               {u"data"_s, u"iVBORw0KGgo="_s}}}};
        const qint64 one = TokenEstimate::inputTokens(request(QJsonArray {image}));
        const qint64 two = TokenEstimate::inputTokens(request(QJsonArray {image, image}));
        QVERIFY(one >= 1600);
        QVERIFY(two - one >= 1600);
        // Tool results carrying images count them too.
        const QJsonObject result {{u"type"_s, u"tool_result"_s},
                                  {u"tool_use_id"_s, u"t"_s},
                                  {u"content"_s, QJsonArray {image}}};
        QVERIFY(TokenEstimate::inputTokens(request(QJsonArray {result})) >= 1600);
    }

    void knownExamples_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("claudeTokens"); // approximate counts from Claude's count_tokens
        // Reference counts are typical values for these kinds of text, not measured here:
        // the bounds below are deliberately wide (±35 %) so that only gross errors fail.
        QTest::newRow("greeting") << u"Hello, world! How are you today?"_s << 9;
        QTest::newRow("prose")
            << u"The gateway routes Anthropic Messages API requests to upstream accounts, "
               "switching to another account when one is rate limited or out of credit, and "
               "converting requests for providers that only speak OpenAI's Chat Completions "
               "format."_s
            << 45;
        QTest::newRow("code")
            << u"int main(int argc, char **argv) {\n    for (int i = 0; i < argc; ++i)\n"
               "        printf(\"%s\\n\", argv[i]);\n    return 0;\n}\n"_s
            << 40;
    }

    void knownExamples()
    {
        QFETCH(QString, text);
        QFETCH(int, claudeTokens);
        const qint64 n = TokenEstimate::textTokens(text);
        QVERIFY2(n >= claudeTokens * 0.65 && n <= claudeTokens * 1.35,
                 qPrintable(u"%1 tokens estimated, about %2 expected"_s.arg(n).arg(claudeTokens)));
    }
};

QTEST_GUILESS_MAIN(TestTokenEstimate)
#include "tst_tokenestimate.moc"
