// SPDX-License-Identifier: GPL-3.0-or-later
// What of an upstream's error answer may go on: readable, bounded summaries of any body, and
// bodies with the account's key and key-shaped tokens masked.
#include "gateway/upstreammessage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString ownKey = u"own-key-Zq81xQpLm0"_s;

} // namespace

class TestUpstreamMessage : public QObject
{
    Q_OBJECT

private slots:
    void summary_data();
    void summary();
    void maskedJsonStaysJson();
    void maskedLeavesCleanBodiesAlone();
    void maskedText();
    void clientBody_data();
    void clientBody();
};

void TestUpstreamMessage::summary_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    QTest::newRow("anthropic")
        << R"({"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}})"_ba
        << u"Slow down"_s;
    QTest::newRow("openai") << R"({"error":{"message":"Rate limit reached","code":"x"}})"_ba
                            << u"Rate limit reached"_s;
    QTest::newRow("error as a string") << R"({"error":"boom"})"_ba << u"boom"_s;
    QTest::newRow("top-level detail")
        << R"({"detail":"Not authenticated"})"_ba << u"Not authenticated"_s;
    QTest::newRow("json without words")
        << R"({"error":{"type":"api_error"}})"_ba << uR"({"error":{"type":"api_error"}})"_s;
    QTest::newRow("html title")
        << "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad "
           "Request</h1></center><hr><center>nginx</center></body></html>\r\n"_ba
        << u"400 Bad Request"_s;
    QTest::newRow("html without a title")
        << "<!DOCTYPE html><html><style>p{}</style><body><p>Upstream\n  broke</p></body></html>"_ba
        << u"Upstream broke"_s;
    QTest::newRow("empty html") << "<html><body></body></html>"_ba << u"an HTML page"_s;
    QTest::newRow("plain text") << "502 Bad Gateway\r\n\r\n  nginx/1.25.3\r\n"_ba
                                << u"502 Bad Gateway nginx/1.25.3"_s;
    QTest::newRow("long text is cut")
        << QByteArray(1000, 'x') << QString(UpstreamMessage::maxChars, u'x') + u'…';
    QTest::newRow("invalid utf-8") << "bad \xff\xfe bytes"_ba << u"bad \uFFFD\uFFFD bytes"_s;
    QTest::newRow("own key") << ("invalid x-api-key " + ownKey.toUtf8())
                             << u"invalid x-api-key …pLm0"_s;
    QTest::newRow("key-shaped token")
        << R"({"error":{"message":"Incorrect API key provided: sk-proj-AbCdEfGhIjKl"}})"_ba
        << u"Incorrect API key provided: …IjKl"_s;
    QTest::newRow("empty") << QByteArray() << QString();
}

void TestUpstreamMessage::summary()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QCOMPARE(UpstreamMessage::summary(body, ownKey), expected);
}

void TestUpstreamMessage::maskedJsonStaysJson()
{
    // A key with characters JSON escapes is found in the decoded string, and what replaces
    // it keeps the document valid.
    const QString key = u"k3y/with\"quote\\"_s;
    const QJsonObject error {{u"type"_s, u"error"_s},
                             {u"error"_s,
                              QJsonObject {{u"type"_s, u"authentication_error"_s},
                                           {u"message"_s, QString(u"invalid x-api-key "_s + key)}}},
                             {u"request_id"_s, u"req_1"_s}};
    const QByteArray masked
        = UpstreamMessage::masked(QJsonDocument(error).toJson(QJsonDocument::Compact), key);
    QJsonParseError parseError;
    const QJsonObject json = QJsonDocument::fromJson(masked, &parseError).object();
    QCOMPARE(parseError.error, QJsonParseError::NoError);
    QCOMPARE(json.value(u"error"_s)[u"message"_s].toString(), u"invalid x-api-key …ote\\"_s);
    QCOMPARE(json.value(u"request_id"_s).toString(), u"req_1"_s);
    QVERIFY(!masked.contains("with"));
}

void TestUpstreamMessage::maskedLeavesCleanBodiesAlone()
{
    const QByteArray body = R"({"type":"error",  "error":{"message":"overloaded"}})"_ba;
    QCOMPARE(UpstreamMessage::masked(body, ownKey), body);
    QCOMPARE(UpstreamMessage::masked("plain words"_ba, ownKey), "plain words"_ba);
}

void TestUpstreamMessage::maskedText()
{
    QCOMPARE(UpstreamMessage::masked("<p>key " + ownKey.toUtf8() + " refused</p>", ownKey),
             "<p>key …pLm0 refused</p>"_ba);
    QCOMPARE(UpstreamMessage::masked("sk-ant-api03-abcdefghijkl \xff"_ba), "…ijkl \xEF\xBF\xBD"_ba);
}

void TestUpstreamMessage::clientBody_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("message");

    QTest::newRow("anthropic error kept")
        << 400 << R"({"type":"error","error":{"type":"invalid_request_error","message":"m"}})"_ba
        << u"invalid_request_error"_s << u"m"_s;
    QTest::newRow("anthropic error, key masked")
        << 400
        << QByteArray(R"({"type":"error","error":{"type":"invalid_request_error","message":")"
                      + ownKey.toUtf8() + R"("}})")
        << u"invalid_request_error"_s << u"…pLm0"_s;
    QTest::newRow("html 400") << 400 << "<html><title>400 Bad Request</title></html>"_ba
                              << u"invalid_request_error"_s << u"400 Bad Request"_s;
    QTest::newRow("plain 404") << 404 << "no route\n"_ba << u"not_found_error"_s << u"no route"_s;
    QTest::newRow("other json 413")
        << 413 << R"({"detail":"too big"})"_ba << u"request_too_large"_s << u"too big"_s;
    QTest::newRow("error without type")
        << 429 << R"({"error":{"message":"slow"}})"_ba << u"rate_limit_error"_s << u"slow"_s;
    QTest::newRow("empty 503") << 503 << QByteArray() << u"overloaded_error"_s
                               << u"HTTP 503 with no details"_s;
    QTest::newRow("invalid utf-8 in an anthropic error")
        << 400 << "{\"type\":\"error\",\"error\":{\"type\":\"x\",\"message\":\"a\xff\"}}"_ba
        << u"x"_s << u"a\uFFFD"_s;
}

void TestUpstreamMessage::clientBody()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, type);
    QFETCH(QString, message);
    const QByteArray client = UpstreamMessage::clientBody(status, body, ownKey);
    const QJsonObject json = QJsonDocument::fromJson(client).object();
    QCOMPARE(json.value(u"type"_s).toString(), u"error"_s);
    QCOMPARE(json.value(u"error"_s)[u"type"_s].toString(), type);
    QCOMPARE(json.value(u"error"_s)[u"message"_s].toString(), message);
}

QTEST_GUILESS_MAIN(TestUpstreamMessage)
#include "tst_upstreammessage.moc"
