// SPDX-License-Identifier: GPL-3.0-or-later
// What the gateway sends upstream and what it hands back: bodies, model mapping, headers,
// credentials, paths and the upstream's response headers.
#include "gatewayharness.h"
#include "support/testprinters.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using Reply = ScriptedReply;
using Headers = QList<QPair<QByteArray, QByteArray>>;

Q_DECLARE_METATYPE(AuthStyle)

namespace {

// Odd spacing, key order, escapes, unknown fields and non-ASCII text: a parse and
// re-serialisation would change some of it.
// (No raw string literals here: moc 6.4 stops finding the test class after this one.)
const QByteArray oddBody
    = "{ \"zeta\" : 1,\n  \"model\":\"claude-sonnet-4-5\",  \"max_tokens\" : 64,\n"
      "  \"messages\":[{\"role\":\"user\",\"content\":\"h\\u00e9llo \\\"quoted\\\" \u2713\"}],\n"
      "  \"thinking\": {\"type\":\"enabled\",\"budget_tokens\":1024},"
      " \"unknown_field\": {\"a\":[1,2.50,3e2]} }"_ba;

QByteArray withStream(QByteArray body)
{
    return body.replace("\"max_tokens\" : 64,", "\"max_tokens\" : 64, \"stream\": true,");
}

} // namespace

class TestGatewayForwarding : public QObject
{
    Q_OBJECT

private slots:
    void bodyForwardedByteForByte_data();
    void bodyForwardedByteForByte();
    void mappedModelIsTheOnlyChangeUpstream();
    void anthropicVersionIsDefaultedOrPassedOn_data();
    void anthropicVersionIsDefaultedOrPassedOn();
    void onlyKnownClientHeadersAreForwarded();
    void accountCredentialsReplaceTheClientKey_data();
    void accountCredentialsReplaceTheClientKey();
    void betaQueryIsForwarded();
    void accountBasePathIsKept_data();
    void accountBasePathIsKept();
    void onlyKnownResponseHeadersAreRelayed_data();
    void onlyKnownResponseHeadersAreRelayed();
    void countTokensAndModelsAreForwarded();
};

void TestGatewayForwarding::bodyForwardedByteForByte_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("json") << oddBody;
    QTest::newRow("stream") << withStream(oddBody);
}

void TestGatewayForwarding::bodyForwardedByteForByte()
{
    QFETCH(QByteArray, body);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());

    const HttpAnswer answer = h.collect(h.post(u"/v1/messages"_s, body));
    QCOMPARE(answer.status, 200);
    QCOMPARE(h.upstream().requestCount(), 1);
    const RecordedRequest sent = h.upstream().lastRequest();
    QCOMPARE(sent.method, "POST"_ba);
    QCOMPARE(sent.path, u"/v1/messages"_s);
    QCOMPARE(sent.body, body);
    QCOMPARE(sent.header("content-type"), "application/json"_ba);
}

void TestGatewayForwarding::mappedModelIsTheOnlyChangeUpstream()
{
    GatewayHarness h;
    Account &a = h.addAccount(u"A"_s);
    a.modelMapping = ModelMapping({{u"claude-opus-*"_s, u"upstream-opus"_s}});
    QVERIFY(h.start());

    // A mapped model: the upstream gets the request with only the model changed.
    QJsonObject body = GatewayHarness::messageBody(false, u"claude-opus-4-1"_s);
    body.insert(u"unknown_field"_s, QJsonArray {1, u"two"_s});
    QCOMPARE(h.send(body).status, 200);
    QJsonObject expected = body;
    expected.insert(u"model"_s, u"upstream-opus"_s);
    QCOMPARE(h.upstream().lastRequest().json(), expected);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.last().model, u"claude-opus-4-1"_s);
    QCOMPARE(h.finished.last().upstreamModel, u"upstream-opus"_s);

    // A model no rule matches: untouched, byte for byte.
    QCOMPARE(h.collect(h.post(u"/v1/messages"_s, oddBody)).status, 200);
    QCOMPARE(h.upstream().lastRequest().body, oddBody);
}

void TestGatewayForwarding::anthropicVersionIsDefaultedOrPassedOn_data()
{
    QTest::addColumn<QByteArray>("sent");
    QTest::addColumn<QByteArray>("forwarded");
    QTest::newRow("absent") << QByteArray() << "2023-06-01"_ba;
    QTest::newRow("given") << "2024-10-22"_ba
                           << "2024-10-22"_ba;
}

void TestGatewayForwarding::anthropicVersionIsDefaultedOrPassedOn()
{
    QFETCH(QByteArray, sent);
    QFETCH(QByteArray, forwarded);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    Headers headers;
    if (!sent.isEmpty())
        headers.append({"anthropic-version"_ba, sent});
    QCOMPARE(h.send(GatewayHarness::messageBody(false), headers).status, 200);
    // Repeated headers would show up joined with ", ".
    QCOMPARE(h.upstream().lastRequest().header("anthropic-version"), forwarded);
}

void TestGatewayForwarding::onlyKnownClientHeadersAreForwarded()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const QByteArray beta = "prompt-caching-2024-07-31,interleaved-thinking-2025-05-14"_ba;
    QCOMPARE(h.send(GatewayHarness::messageBody(true),
                    {{"anthropic-beta"_ba, beta},
                     {"x-claude-code-session-id"_ba, "0f1e2d3c-session"_ba},
                     {"cookie"_ba, "theme=dark"_ba},
                     {"x-forwarded-for"_ba, "10.0.0.1"_ba}})
                 .status,
             200);
    const RecordedRequest sent = h.upstream().lastRequest();
    QCOMPARE(sent.header("anthropic-beta"), beta);
    QCOMPARE(sent.header("x-claude-code-session-id"), "0f1e2d3c-session"_ba);
    QCOMPARE(sent.header("accept"), "text/event-stream"_ba);
    // Nothing else of the client's travels.
    QVERIFY(!sent.headers.contains("cookie"));
    QVERIFY(!sent.headers.contains("x-forwarded-for"));
}

void TestGatewayForwarding::accountCredentialsReplaceTheClientKey_data()
{
    QTest::addColumn<bool>("clientBearer");
    QTest::addColumn<AuthStyle>("style");
    QTest::addColumn<QByteArray>("apiKey");
    QTest::addColumn<QByteArray>("authorization");

    const QByteArray secret = GatewayHarness::secretOf(u"A"_s).toUtf8();
    QTest::newRow("x-api-key → x-api-key") << false << AuthStyle::XApiKey << secret << QByteArray();
    QTest::newRow("bearer → x-api-key") << true << AuthStyle::XApiKey << secret << QByteArray();
    QTest::newRow("x-api-key → bearer")
        << false << AuthStyle::Bearer << QByteArray() << "Bearer " + secret;
    QTest::newRow("bearer → bearer")
        << true << AuthStyle::Bearer << QByteArray() << "Bearer " + secret;
}

void TestGatewayForwarding::accountCredentialsReplaceTheClientKey()
{
    QFETCH(bool, clientBearer);
    QFETCH(AuthStyle, style);
    QFETCH(QByteArray, apiKey);
    QFETCH(QByteArray, authorization);

    GatewayHarness h;
    Account &a = h.addAccount(u"A"_s);
    a.authStyle = style;
    a.extraHeaders = {{u"X-Org-Id"_s, u"org-42"_s}};
    QVERIFY(h.start());

    const QByteArray key = GatewayHarness::accessKey.toUtf8();
    const QByteArray body = QJsonDocument(GatewayHarness::messageBody(false)).toJson();
    const Headers headers = clientBearer ? Headers {{"authorization"_ba, "Bearer " + key}}
                                         : Headers {{"x-api-key"_ba, key}};
    QCOMPARE(h.collect(h.post(u"/v1/messages"_s, body, headers, false)).status, 200);

    const RecordedRequest sent = h.upstream().lastRequest();
    QCOMPARE(sent.header("x-api-key"), apiKey);
    QCOMPARE(sent.header("authorization"), authorization);
    QCOMPARE(sent.header("x-org-id"), "org-42"_ba);
    for (auto it = sent.headers.cbegin(); it != sent.headers.cend(); ++it)
        QVERIFY2(!it.value().contains(key), it.key().constData());
}

void TestGatewayForwarding::betaQueryIsForwarded()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const HttpAnswer answer = h.collect(h.post(
        u"/v1/messages?beta=true"_s, QJsonDocument(GatewayHarness::messageBody(true)).toJson()));
    QCOMPARE(answer.status, 200);
    QCOMPARE(deltaText(answer.events()), u"Hello from upstream"_s);
    QCOMPARE(h.upstream().lastRequest().path, u"/v1/messages?beta=true"_s);
}

void TestGatewayForwarding::accountBasePathIsKept_data()
{
    QTest::addColumn<QString>("basePath");
    QTest::addColumn<QString>("upstreamPath");
    QTest::newRow("none") << QString() << u"/v1/messages"_s;
    QTest::newRow("slash") << u"/"_s << u"/v1/messages"_s;
    QTest::newRow("prefix") << u"/anthropic"_s << u"/anthropic/v1/messages"_s;
    QTest::newRow("prefix and slash") << u"/api/anthropic/"_s << u"/api/anthropic/v1/messages"_s;
}

void TestGatewayForwarding::accountBasePathIsKept()
{
    QFETCH(QString, basePath);
    QFETCH(QString, upstreamPath);
    GatewayHarness h;
    QUrl base = h.upstream().baseUrl();
    base.setPath(basePath);
    h.addAccount(u"A"_s, 0, base);
    QVERIFY(h.start());
    QCOMPARE(h.send(GatewayHarness::messageBody(false)).status, 200);
    QCOMPARE(h.upstream().lastRequest().path, upstreamPath);
}

void TestGatewayForwarding::onlyKnownResponseHeadersAreRelayed_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestGatewayForwarding::onlyKnownResponseHeadersAreRelayed()
{
    QFETCH(bool, stream);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    const Reply base = stream ? Reply::stream({u"hi"_s}) : Reply::message(u"hi"_s);
    const Reply reply = base.withHeader("request-id", "req_relayed")
                            .withHeader("retry-after", "3")
                            .withHeader("anthropic-ratelimit-requests-remaining", "49")
                            .withHeader("anthropic-ratelimit-tokens-reset", "2025-01-01T00:01:00Z")
                            .withHeader("set-cookie", "upstream=1")
                            .withHeader("x-internal", "secret");
    h.script(u"A"_s, reply);
    QVERIFY(h.start());

    const HttpAnswer answer = h.send(GatewayHarness::messageBody(stream));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("request-id"), "req_relayed"_ba);
    QCOMPARE(answer.header("retry-after"), "3"_ba);
    QCOMPARE(answer.header("anthropic-ratelimit-requests-remaining"), "49"_ba);
    QCOMPARE(answer.header("anthropic-ratelimit-tokens-reset"), "2025-01-01T00:01:00Z"_ba);
    QCOMPARE(answer.header("x-switchboard-account"), "A"_ba);
    QVERIFY(!answer.headers.contains("set-cookie"));
    QVERIFY(!answer.headers.contains("x-internal"));
}

void TestGatewayForwarding::countTokensAndModelsAreForwarded()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());

    QJsonObject count = GatewayHarness::messageBody(false);
    count.remove(u"max_tokens"_s);
    HttpAnswer answer
        = h.collect(h.post(u"/v1/messages/count_tokens"_s, QJsonDocument(count).toJson()));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json().value(u"input_tokens"_s).toInt(), 25);
    QCOMPARE(h.upstream().lastRequest().path, u"/v1/messages/count_tokens"_s);
    QCOMPARE(h.upstream().lastRequest().json(), count);

    answer = h.sendRaw("GET", u"/v1/models"_s, {}, {}, true);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json().value(u"data"_s).toArray().size(), 1);
    QCOMPARE(h.upstream().lastRequest().method, "GET"_ba);
    QCOMPARE(h.upstream().lastRequest().path, u"/v1/models"_s);
    QCOMPARE(h.upstream().requestCount(), 2);
}

QTEST_GUILESS_MAIN(TestGatewayForwarding)
#include "tst_gatewayforwarding.moc"
