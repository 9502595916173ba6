// SPDX-License-Identifier: GPL-3.0-or-later
// JsonScan: valid objects pass through unchanged however they are split; malformed ones
// (the fuzzer's reproducers among them) are cut at the first bad character and completed;
// what the client gets always parses as an object.
#include "gateway/openai/jsonscan.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// What a client accumulates: everything passed on, then the completion.
struct Scanned
{
    QString passed;
    QString client;
    bool complete = false;
};

Scanned scanPieces(const QStringList &pieces)
{
    JsonScan scan;
    Scanned result;
    for (const QString &piece : pieces)
        result.passed += scan.feed(piece);
    result.complete = scan.isComplete();
    result.client = result.passed + scan.completion();
    return result;
}

Scanned scanSplit(const QString &text, qsizetype at)
{
    return scanPieces({text.left(at), text.mid(at)});
}

Scanned scanByCharacter(const QString &text)
{
    QStringList pieces;
    for (const QChar c : text)
        pieces.append(QString(c));
    return scanPieces(pieces);
}

void row(const char *name, const QStringList &pieces, const QString &client)
{
    QTest::newRow(name) << pieces << client;
}

bool parsesAsObject(const QString &text, QJsonObject *object = nullptr)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (object)
        *object = doc.object();
    return error.error == QJsonParseError::NoError && doc.isObject();
}

QString nested(qsizetype depth)
{
    return u"{\"a\":"_s + QString(depth - 1, u'[') + QString(depth - 1, u']') + u'}';
}

} // namespace

class TestJsonScan : public QObject
{
    Q_OBJECT

private slots:
    void validObjectsPassUnchanged_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("passed"); ///< empty: the same
        QTest::newRow("empty") << u"{}"_s << QString();
        QTest::newRow("flat") << u"{\"city\":\"Paris\",\"days\":3}"_s << QString();
        QTest::newRow("spaces") << u"{ \"a\" : [ 1 , 2 ] ,\n\t\"b\" :\r{ } }"_s
                                << u"{ \"a\" : [ 1 ,2 ] ,\"b\" :\r{ } }"_s;
        QTest::newRow("nested") << u"{\"a\":{\"b\":[[],[{}],{\"c\":[null,true,false]}]}}"_s
                                << QString();
        QTest::newRow("numbers")
            << u"{\"n\":[0,-0,12,-3.25,1e5,1E+2,2.5e-3,-0.0e0,1.7976931348623157e308,5e-324]}"_s
            << QString();
        QTest::newRow("escapes")
            << u"{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\u0000\"}"_s << QString();
        QTest::newRow("brackets in strings") << u"{\"k{\":\"}],:[{\",\"\\\"}\":1}"_s << QString();
        QTest::newRow("unicode") << u"{\"名\":\"値 ✓ 😀\"}"_s << QString();
        QTest::newRow("lone surrogate escape") << u"{\"a\":\"\\ud800\"}"_s << QString();
        QTest::newRow("deepest QJsonDocument takes") << nested(JsonScan::maxDepth) << QString();
    }

    /// Split at every position, or one character at a time, a valid object reaches the client
    /// as it was sent (whitespace after commas aside), whole, with nothing to add.
    void validObjectsPassUnchanged()
    {
        QFETCH(QString, json);
        QFETCH(QString, passed);
        if (passed.isEmpty())
            passed = json;
        QVERIFY(parsesAsObject(json));
        const Scanned whole = scanPieces({json});
        QCOMPARE(whole.passed, passed);
        QVERIFY(whole.complete);
        QCOMPARE(whole.client, passed);
        QCOMPARE(scanByCharacter(json).passed, passed);
        for (qsizetype at = 0; at <= json.size(); ++at) {
            const Scanned split = scanSplit(json, at);
            QCOMPARE(split.passed, passed);
            QVERIFY(split.complete);
        }
    }

    /// Cut off anywhere, what was passed on plus the completion parses, and begins with
    /// everything passed on.
    void cutOffObjectsAreCompleted()
    {
        const QString json = u"{\"a\":[1,-2.5e+3,true,null,\"x\\u00e9\\n\"],\"b\":{\"c\":false},"
                             "\"d\":\"\\\"\"}"_s;
        for (qsizetype at = 0; at < json.size(); ++at) {
            const Scanned cut = scanPieces({json.left(at)});
            QVERIFY(!cut.complete);
            QVERIFY2(at == 0 || parsesAsObject(cut.client), qPrintable(cut.client));
            QVERIFY(json.startsWith(cut.passed));
        }
        QCOMPARE(scanPieces({u"{\"a\":[1,"_s}).client, u"{\"a\":[1]}"_s);
        QCOMPARE(scanPieces({u"{\"a\":1,"_s}).client, u"{\"a\":1}"_s);
        QCOMPARE(scanPieces({u"{\"a\":-"_s}).client, u"{\"a\":null}"_s);
        QCOMPARE(scanPieces({u"{\"a\":12"_s}).client, u"{\"a\":12}"_s);
        QCOMPARE(scanPieces({u"{\"a\":[fa"_s}).client, u"{\"a\":[false]}"_s);
        QCOMPARE(scanPieces({u"{\"a\":\"x\\u00"_s}).client, u"{\"a\":\"x\"}"_s);
        QCOMPARE(scanPieces({u"{\"ke"_s}).client, u"{\"ke\":null}"_s);
        QCOMPARE(scanPieces({u"{\"key\""_s}).client, u"{\"key\":null}"_s);
    }

    void malformedArgumentsAreCut_data()
    {
        QTest::addColumn<QStringList>("pieces");
        QTest::addColumn<QString>("client");
        // From fuzz_openaistream: pieces of two calls mixed up, or the first one lost.
        row("fuzz: two calls in one", {u"{\"ci"_s, u"{\"tz\":"_s}, u"{\"ci{\":null}"_s);
        row("fuzz: key with no value", {u"{\"ci"_s, u"ris}\"}"_s}, u"{\"ciris}\":null}"_s);
        row("fuzz: a key again", {u"{\"ci"_s, u"{\"ci"_s}, u"{\"ci{\":null}"_s);
        row("fuzz: no start", {u"ty\": \"Pa"_s}, u"{}"_s);
        row("fuzz: a second object", {u"{\"city\": \"Pa"_s, u"{\"ci"_s}, u"{\"city\": \"Pa{\"}"_s);
        row("fuzz: not a value", {u"{\"city\":$\"Pa"_s}, u"{\"city\":null}"_s);
        row("fuzz: cut after a colon", {u"{\"a\":"_s}, u"{\"a\":null}"_s);
        row("a string, not an object", {u"\"\\u0000\""_s}, u"{}"_s);
        row("a raw NUL", {QString(QChar(0))}, u"{}"_s);
        row("an array", {u" [1]"_s}, u"{}"_s);
        row("nothing", {u""_s, u" \n"_s}, u""_s);
        row("leading whitespace dropped", {u"  "_s, u"\n{}"_s}, u"{}"_s);
        row("overflow", {u"{\"a\":1e9"_s, u"99}"_s}, u"{\"a\":null}"_s);
        row("underflow", {u"{\"a\":[1,2,1e-999]}"_s}, u"{\"a\":[1,2,null]}"_s);
        row("leading zero", {u"{\"a\":01}"_s}, u"{\"a\":0}"_s);
        row("no fraction digits", {u"{\"a\":1.}"_s}, u"{\"a\":null}"_s);
        row("no integer digits", {u"{\"a\":.5}"_s}, u"{\"a\":null}"_s);
        row("number too long", {u"{\"a\":1."_s + QString(JsonScan::maxNumberChars, u'0') + u'}'},
            u"{\"a\":null}"_s);
        row("unknown escape", {u"{\"a\":\"x\\'\"}"_s}, u"{\"a\":\"x\"}"_s);
        row("bad unicode escape", {u"{\"a\":\"\\u12"_s, u"zz\"}"_s}, u"{\"a\":\"\"}"_s);
        row("raw control characters escaped", {u"{\"a\":\"x\ny\t\x01\"}"_s},
            u"{\"a\":\"x\\u000ay\\u0009\\u0001\"}"_s);
        row("trailing comma in object", {u"{\"a\":1,}"_s}, u"{\"a\":1}"_s);
        row("trailing comma in array", {u"{\"a\":[1, ]}"_s}, u"{\"a\":[1]}"_s);
        row("bad literal", {u"{\"a\":tru"_s, u"x}"_s}, u"{\"a\":true}"_s);
        row("missing colon", {u"{\"a\" \"b\"}"_s}, u"{\"a\" :null}"_s);
        row("missing comma", {u"{\"a\":1 \"b\":2}"_s}, u"{\"a\":1 }"_s);
        row("key not a string", {u"{1:2}"_s}, u"{}"_s);
        row("mismatched close", {u"{\"a\":[1}"_s}, u"{\"a\":[1]}"_s);
        row("garbage after the object", {u"{\"a\":1}"_s, u"x{"_s}, u"{\"a\":1}"_s);
        row("deeper than QJsonDocument takes", {nested(JsonScan::maxDepth + 1)},
            u"{\"a\":"_s + QString(JsonScan::maxDepth - 1, u'[')
                + QString(JsonScan::maxDepth - 1, u']') + u'}');
    }

    /// Cut at the first bad character, then completed; the same however the pieces fall.
    void malformedArgumentsAreCut()
    {
        QFETCH(QStringList, pieces);
        QFETCH(QString, client);
        const Scanned scanned = scanPieces(pieces);
        QCOMPARE(scanned.client, client);
        QVERIFY(client.isEmpty() || parsesAsObject(scanned.client));
        QCOMPARE(scanByCharacter(pieces.join(QString())).client, client);
    }

    /// Random damage to valid objects, randomly split: the client's text always parses as an
    /// object (or is empty, when nothing but whitespace came).
    void damagedObjectsStillParse()
    {
        const QStringList seeds {
            u"{\"city\":\"Paris\",\"days\":[1,2.5,-3e2],\"opts\":{\"x\":true,\"y\":null}}"_s,
            u"{\"s\":\"a\\\"b\\\\c\\u00e9\",\"n\":-0.0e-0,\"e\":[],\"o\":{}}"_s,
        };
        const QString alphabet = u"{}[]\":,\\ \n0123456789.-+eEtrufalsn\x01x\u00e9"_s;
        QRandomGenerator random(20261202);
        for (int round = 0; round < 4000; ++round) {
            QString text = seeds[round % seeds.size()];
            for (int edits = random.bounded(1, 4); edits > 0; --edits) {
                const qsizetype at = random.bounded(int(text.size()) + 1);
                const QChar c = alphabet[random.bounded(int(alphabet.size()))];
                switch (random.bounded(3)) {
                case 0:
                    text.insert(at, c);
                    break;
                case 1:
                    text.remove(at, 1);
                    break;
                default:
                    text.truncate(at);
                }
            }
            QStringList pieces;
            for (qsizetype at = 0; at < text.size();) {
                const qsizetype size = random.bounded(1, 6);
                pieces.append(text.mid(at, size));
                at += size;
            }
            const Scanned scanned = scanPieces(pieces);
            QVERIFY2(scanned.client.isEmpty() || parsesAsObject(scanned.client),
                     qPrintable(text + u" -> "_s + scanned.client));
            // Taken whole: the client has what the text says.
            QJsonObject expected;
            if (scanned.complete && parsesAsObject(text, &expected)) {
                QJsonObject actual;
                QVERIFY(parsesAsObject(scanned.client, &actual));
                QCOMPARE(actual, expected);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestJsonScan)
#include "tst_jsonscan.moc"
