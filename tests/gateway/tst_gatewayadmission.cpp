// SPDX-License-Identifier: GPL-3.0-or-later
// Who gets in and what the gateway refuses before any upstream is asked: access keys, Host
// and Origin checks, CORS preflight, the connection guard's limits and idle timeout (on the
// fake clock), bad bodies, methods, paths and the reachability probes. Every refusal is an
// Anthropic-format error.
#include "gatewayharness.h"
#include "support/testprinters.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QByteArray keyLine = "x-api-key: " + GatewayHarness::accessKey.toUtf8();
const QByteArray jsonLine = "content-type: application/json"_ba;

QByteArray validBody()
{
    return QJsonDocument(GatewayHarness::messageBody(false)).toJson(QJsonDocument::Compact);
}

/// One request on a fresh connection; the answer as the client saw it.
std::optional<HttpAnswer> exchange(GatewayHarness &h, const QByteArray &request,
                                   bool headRequest = false)
{
    RawHttpClient client;
    if (!client.connectTo(h.port()))
        return std::nullopt;
    client.send(request);
    return client.readAnswer(headRequest);
}

/// `{{PORT}}` in test data stands for the gateway's port.
QByteArray withPort(QByteArray text, quint16 port)
{
    return text.replace("{{PORT}}", QByteArray::number(port));
}

} // namespace

class TestGatewayAdmission : public QObject
{
    Q_OBJECT

private slots:
    void refusedKeysGet401_data();
    void refusedKeysGet401();
    void acceptedKeyFormsGetThrough_data();
    void acceptedKeyFormsGetThrough();
    void revokedKeyIsRefused();
    void passthroughForwardsTheClientKey();
    void keyCheckedBeforeBody();
    void hostMustNameTheLoopbackAddress_data();
    void hostMustNameTheLoopbackAddress();
    void browserOriginMustBeAllowed_data();
    void browserOriginMustBeAllowed();
    void preflightFromAllowedOriginGets204();
    void preflightFromRefusedOriginGets403();
    void oversizedRequestIsRefusedBeforeItArrives_data();
    void oversizedRequestIsRefusedBeforeItArrives();
    void idleConnectionIsClosedAfterTwoMinutes();
    void connectionWithARequestInProgressIsNeverIdle();
    void badBodyGets400NamingTheProblem_data();
    void badBodyGets400NamingTheProblem();
    void wrongMethodGets405_data();
    void wrongMethodGets405();
    void unknownPathGets404();
    void reachabilityProbesNeverAskTheUpstream();
};

void TestGatewayAdmission::refusedKeysGet401_data()
{
    QTest::addColumn<QByteArrayList>("headers");
    QTest::newRow("no key") << QByteArrayList {};
    QTest::newRow("empty x-api-key") << QByteArrayList {"x-api-key: "};
    QTest::newRow("wrong x-api-key") << QByteArrayList {"x-api-key: sbk_wrong"};
    QTest::newRow("wrong bearer") << QByteArrayList {"authorization: Bearer sbk_wrong"};
    QTest::newRow("basic auth") << QByteArrayList {"authorization: Basic "
                                                   + GatewayHarness::accessKey.toUtf8().toBase64()};
    QTest::newRow("key without bearer")
        << QByteArrayList {"authorization: " + GatewayHarness::accessKey.toUtf8()};
    QTest::newRow("wrong x-api-key, right bearer") << QByteArrayList {
        "x-api-key: sbk_wrong", "authorization: Bearer " + GatewayHarness::accessKey.toUtf8()};
}

void TestGatewayAdmission::refusedKeysGet401()
{
    QFETCH(QByteArrayList, headers);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const auto answer = exchange(
        h,
        RawHttpClient::request("POST", "/v1/messages", h.port(), headers << jsonLine, validBody()));
    QVERIFY(answer);
    QCOMPARE(answer->status, 401);
    QVERIFY2(answer->isAnthropicError(), answer->body.constData());
    QCOMPARE(answer->errorType(), u"authentication_error"_s);
    QCOMPARE(h.upstream().requestCount(), 0);
}

void TestGatewayAdmission::acceptedKeyFormsGetThrough_data()
{
    QTest::addColumn<QByteArray>("header");
    const QByteArray key = GatewayHarness::accessKey.toUtf8();
    QTest::newRow("x-api-key") << "x-api-key: " + key;
    QTest::newRow("bearer") << "authorization: Bearer " + key;
    QTest::newRow("bearer, any case") << "Authorization: bearer " + key;
    QTest::newRow("padded") << "x-api-key:   " + key + "  ";
}

void TestGatewayAdmission::acceptedKeyFormsGetThrough()
{
    QFETCH(QByteArray, header);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const auto answer = exchange(
        h,
        RawHttpClient::request("POST", "/v1/messages", h.port(), {header, jsonLine}, validBody()));
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    QCOMPARE(answer->json().value(u"type"_s).toString(), u"message"_s);
    QVERIFY(h.waitForFinished(1));
    QVERIFY(h.finished.first().accessKeyId != QUuid());
}

void TestGatewayAdmission::revokedKeyIsRefused()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    AccessKey revoked;
    revoked.id = QUuid::createUuid();
    revoked.hash = AccessKeyStore::hashKey(GatewayHarness::accessKey);
    revoked.revokedAt = h.clock.now();
    h.server().setAccessKeys({revoked});
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(false));
    QCOMPARE(answer.status, 401);
    QVERIFY(answer.isAnthropicError());
    QCOMPARE(answer.errorType(), u"authentication_error"_s);
}

void TestGatewayAdmission::passthroughForwardsTheClientKey()
{
    GatewayHarness h;
    (void)h.settings.set(SettingKeys::passthrough, true);
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const auto answer = exchange(
        h, RawHttpClient::request("POST", "/v1/messages", h.port(),
                                  {"x-api-key: sk-ant-the-clients-own-key"_ba, jsonLine}, validBody()));
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    // The client's own key went upstream instead of the account's; a local key still routes
    // with the account's key.
    QCOMPARE(h.upstream().lastRequest().header("x-api-key"), "sk-ant-the-clients-own-key"_ba);
    QCOMPARE(h.send(GatewayHarness::messageBody(false)).status, 200);
    QCOMPARE(h.upstream().lastRequest().header("x-api-key"), GatewayHarness::secretOf(u"A"_s).toUtf8());
}

void TestGatewayAdmission::keyCheckedBeforeBody()
{
    GatewayHarness h;
    QVERIFY(h.start());
    const auto answer = exchange(
        h, RawHttpClient::request("POST", "/v1/messages", h.port(), {jsonLine}, "{\"model\":"));
    QVERIFY(answer);
    QCOMPARE(answer->status, 401);
    QCOMPARE(answer->errorType(), u"authentication_error"_s);
}

void TestGatewayAdmission::hostMustNameTheLoopbackAddress_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<int>("status");
    QTest::newRow("127.0.0.1:port") << "127.0.0.1:{{PORT}}"_ba << 200;
    QTest::newRow("localhost:port") << "localhost:{{PORT}}"_ba << 200;
    QTest::newRow("LOCALHOST:port") << "LOCALHOST:{{PORT}}"_ba << 200;
    QTest::newRow("no port") << "127.0.0.1"_ba << 200;
    QTest::newRow("[::1]:port") << "[::1]:{{PORT}}"_ba << 200;
    QTest::newRow("dns name") << "evil.example:{{PORT}}"_ba << 403;
    QTest::newRow("dns name, no port") << "evil.example"_ba << 403;
    QTest::newRow("localhost suffix") << "localhost.evil.example:{{PORT}}"_ba << 403;
    QTest::newRow("ip-looking name") << "127.0.0.1.nip.io:{{PORT}}"_ba << 403;
    QTest::newRow("other port") << "127.0.0.1:1"_ba << 403;
    QTest::newRow("empty") << QByteArray() << 403;
}

void TestGatewayAdmission::hostMustNameTheLoopbackAddress()
{
    QFETCH(QByteArray, host);
    QFETCH(int, status);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const QByteArray hostLine = "host: " + withPort(host, h.port());
    const auto answer
        = exchange(h,
                   RawHttpClient::request("POST", "/v1/messages", h.port(),
                                          {hostLine, keyLine, jsonLine}, validBody()));
    QVERIFY(answer);
    QCOMPARE(answer->status, status);
    if (status == 403) {
        QVERIFY(answer->isAnthropicError());
        QCOMPARE(answer->errorType(), u"permission_error"_s);
        QCOMPARE(h.upstream().requestCount(), 0);
    }
}

void TestGatewayAdmission::browserOriginMustBeAllowed_data()
{
    QTest::addColumn<QByteArray>("origin");
    QTest::addColumn<QStringList>("allowed");
    QTest::addColumn<int>("status");
    QTest::newRow("refused") << "https://evil.example"_ba << QStringList() << 403;
    QTest::newRow("file page") << "null"_ba << QStringList() << 403;
    QTest::newRow("other allowed")
        << "https://evil.example"_ba << QStringList {u"https://app.example"_s} << 403;
    QTest::newRow("allowed") << "https://app.example"_ba << QStringList {u"https://app.example"_s}
                             << 200;
    QTest::newRow("wildcard") << "https://app.example"_ba << QStringList {u"*"_s} << 200;
}

void TestGatewayAdmission::browserOriginMustBeAllowed()
{
    QFETCH(QByteArray, origin);
    QFETCH(QStringList, allowed);
    QFETCH(int, status);
    GatewayHarness h;
    QVERIFY2(h.settings.set(SettingKeys::allowedOrigins, allowed).ok(), "allowed_origins");
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const HttpAnswer answer = h.send(GatewayHarness::messageBody(false), {{"origin"_ba, origin}});
    QCOMPARE(answer.status, status);
    if (status == 403) {
        QVERIFY(answer.isAnthropicError());
        QCOMPARE(answer.errorType(), u"permission_error"_s);
        QVERIFY(answer.errorMessage().contains(u"gateway.allowed_origins"_s));
        QCOMPARE(h.upstream().requestCount(), 0);
    } else {
        // A browser reads the answer only if it names the origin.
        QCOMPARE(answer.header("access-control-allow-origin"), origin);
    }
}

void TestGatewayAdmission::preflightFromAllowedOriginGets204()
{
    GatewayHarness h;
    QVERIFY(
        h.settings.set(SettingKeys::allowedOrigins, QStringList {u"https://app.example"_s}).ok());
    QVERIFY(h.start());
    // A preflight carries no key: browsers never send credentials with it.
    const auto answer = exchange(
        h,
        RawHttpClient::request(
            "OPTIONS", "/v1/messages", h.port(),
            {"origin: https://app.example", "access-control-request-method: POST",
             "access-control-request-headers: x-api-key,content-type,anthropic-version"}));
    QVERIFY(answer);
    QCOMPARE(answer->status, 204);
    QCOMPARE(answer->header("access-control-allow-origin"), "https://app.example"_ba);
    QVERIFY(answer->header("access-control-allow-methods").contains("POST"));
    QCOMPARE(answer->header("access-control-allow-headers"),
             "x-api-key,content-type,anthropic-version"_ba);
    QCOMPARE(answer->header("vary"), "origin"_ba);
    QVERIFY(answer->body.isEmpty());
}

void TestGatewayAdmission::preflightFromRefusedOriginGets403()
{
    GatewayHarness h;
    QVERIFY(h.start());
    const auto answer = exchange(h,
                                 RawHttpClient::request("OPTIONS", "/v1/messages", h.port(),
                                                        {"origin: https://evil.example",
                                                         "access-control-request-method: POST"}));
    QVERIFY(answer);
    QCOMPARE(answer->status, 403);
    QVERIFY(answer->isAnthropicError());
    QCOMPARE(answer->errorType(), u"permission_error"_s);
    QVERIFY(answer->header("access-control-allow-origin").isEmpty());
}

void TestGatewayAdmission::oversizedRequestIsRefusedBeforeItArrives_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("bodyStart");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorType");

    const QByteArray post = "POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1:{{PORT}}\r\n" + keyLine
        + "\r\n" + jsonLine + "\r\n";
    QTest::newRow("content-length 33 MiB")
        << post + "content-length: " + QByteArray::number(33 * 1024 * 1024) + "\r\n\r\n"
        << QByteArray() << 413 << u"request_too_large"_s;
    QTest::newRow("chunk of 33 MiB")
        << post + "transfer-encoding: chunked\r\n\r\n"
        << "2100000\r\n{\"model\":"_ba << 413 << u"request_too_large"_s;
    QTest::newRow("headers over 64 KiB")
        << post + "x-padding: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n"
        << QByteArray() << 431 << u"invalid_request_error"_s;
}

void TestGatewayAdmission::oversizedRequestIsRefusedBeforeItArrives()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, bodyStart);
    QFETCH(int, status);
    QFETCH(QString, errorType);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());

    // Only the head (and a little body) is sent: the answer must not wait for the rest.
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(withPort(head, h.port()) + bodyStart);
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, status);
    QVERIFY2(answer->isAnthropicError(), answer->body.constData());
    QCOMPARE(answer->errorType(), errorType);
    QCOMPARE(answer->header("connection"), "close"_ba);
    QVERIFY(client.waitForDisconnected());
    QCOMPARE(h.upstream().requestCount(), 0);

    // The server is fine afterwards.
    QCOMPARE(h.send(GatewayHarness::messageBody(false)).status, 200);
}

void TestGatewayAdmission::idleConnectionIsClosedAfterTwoMinutes()
{
    GatewayHarness h;
    QVERIFY(h.start());
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    const QByteArray health = RawHttpClient::request("GET", "/health", h.port(), {});
    // An answer means the gateway holds the connection; it is idle from here.
    client.send(health);
    QVERIFY(client.readAnswer());

    // Each request starts the idle time again: two waits of just under two minutes in a
    // row leave the connection open.
    for (int i = 0; i < 2; ++i) {
        h.clock.advance(2min - 1ms);
        client.send(health);
        const std::optional<HttpAnswer> answer = client.readAnswer();
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
    }
    h.clock.advance(2min);
    QVERIFY(client.waitForDisconnected());
}

void TestGatewayAdmission::connectionWithARequestInProgressIsNeverIdle()
{
    GatewayHarness h;
    h.letStreamsWaitOnTheTest();
    h.addAccount(u"A"_s);
    h.script(u"A"_s, ScriptedReply::stream({u"a"_s, u"b"_s}).withPacedEvents());
    h.upstream().allowEvents(4);
    QVERIFY(h.start());

    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    client.send(RawHttpClient::request(
        "POST", "/v1/messages", h.port(), {keyLine, jsonLine},
        QJsonDocument(GatewayHarness::messageBody(true)).toJson(QJsonDocument::Compact)));
    QVERIFY(client.waitUntil([&](const QByteArray &) {
        return eventNames(client.eventsSoFar()).contains("content_block_delta");
    }));
    // Nothing moves on the connection for ten minutes, but a request is in progress.
    h.clock.advance(10min);
    h.upstream().allowEvents();
    const std::optional<HttpAnswer> answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(deltaText(answer->events()), u"ab"_s);

    // Once answered, the connection is idle again.
    h.clock.advance(2min);
    QVERIFY(client.waitForDisconnected());
}

void TestGatewayAdmission::badBodyGets400NamingTheProblem_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("malformed") << "{\"model\": \"claude-sonnet-4-5\", "_ba << u"JSON"_s;
    QTest::newRow("empty") << QByteArray() << u"JSON"_s;
    QTest::newRow("array") << "[1, 2]"_ba << u"object"_s;
    QTest::newRow("no model") << R"({"max_tokens": 5, "messages": []})"_ba << u"model"_s;
    QTest::newRow("model not a string") << R"({"model": 5, "max_tokens": 5})"_ba << u"model"_s;
    QTest::newRow("empty model") << R"({"model": "", "max_tokens": 5})"_ba << u"model"_s;
}

void TestGatewayAdmission::badBodyGets400NamingTheProblem()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, mentions);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const auto answer = exchange(
        h,
        RawHttpClient::request(
            "POST", "/v1/messages", h.port(),
            {keyLine, jsonLine, "content-length: " + QByteArray::number(body.size())}, body));
    QVERIFY(answer);
    QCOMPARE(answer->status, 400);
    QVERIFY2(answer->isAnthropicError(), answer->body.constData());
    QCOMPARE(answer->errorType(), u"invalid_request_error"_s);
    QVERIFY2(answer->errorMessage().contains(mentions), qPrintable(answer->errorMessage()));
    QCOMPARE(h.upstream().requestCount(), 0);
}

void TestGatewayAdmission::wrongMethodGets405_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::newRow("GET /v1/messages") << "GET"_ba
                                      << "/v1/messages"_ba;
    QTest::newRow("PUT /v1/messages") << "PUT"_ba
                                      << "/v1/messages"_ba;
    QTest::newRow("DELETE /v1/messages/count_tokens") << "DELETE"_ba
                                                      << "/v1/messages/count_tokens"_ba;
    QTest::newRow("POST /v1/models") << "POST"_ba
                                     << "/v1/models"_ba;
}

void TestGatewayAdmission::wrongMethodGets405()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());
    const auto answer = exchange(h, RawHttpClient::request(method, path, h.port(), {keyLine}));
    QVERIFY(answer);
    QCOMPARE(answer->status, 405);
    QVERIFY2(answer->isAnthropicError(), answer->body.constData());
    QCOMPARE(answer->errorType(), u"invalid_request_error"_s);
    QCOMPARE(h.upstream().requestCount(), 0);
}

void TestGatewayAdmission::unknownPathGets404()
{
    GatewayHarness h;
    QVERIFY(h.start());
    for (const QByteArray &target : {"/v2/messages"_ba, "/v1/complete"_ba, "/v1/messages/x/y"_ba}) {
        const auto answer = exchange(
            h, RawHttpClient::request("POST", target, h.port(), {keyLine, jsonLine}, validBody()));
        QVERIFY(answer);
        QCOMPARE(answer->status, 404);
        QVERIFY2(answer->isAnthropicError(), answer->body.constData());
        QCOMPARE(answer->errorType(), u"not_found_error"_s);
        QVERIFY(answer->errorMessage().contains(QString::fromLatin1(target)));
    }
}

void TestGatewayAdmission::reachabilityProbesNeverAskTheUpstream()
{
    GatewayHarness h;
    h.addAccount(u"A"_s);
    QVERIFY(h.start());

    // On one connection: a HEAD answer must carry no body, or the next answer is garbled.
    RawHttpClient client;
    QVERIFY(client.connectTo(h.port()));
    std::optional<HttpAnswer> answer;
    for (const QByteArray &target : {"/"_ba, "/v1"_ba, "/health"_ba}) {
        client.send(RawHttpClient::request("HEAD", target, h.port(), {}));
        answer = client.readAnswer(true);
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
    }

    client.send(RawHttpClient::request("GET", "/health", h.port(), {}));
    answer = client.readAnswer();
    QVERIFY(answer);
    QCOMPARE(answer->status, 200);
    const QJsonObject health = answer->json();
    QCOMPARE(health.value(u"status"_s).toString(), u"ok"_s);
    QCOMPARE(health.value(u"accounts"_s).toObject().value(u"total"_s).toInt(), 1);
    QCOMPARE(health.value(u"accounts"_s).toObject().value(u"healthy"_s).toInt(), 1);

    for (const QByteArray &target : {"/"_ba, "/v1"_ba}) {
        client.send(RawHttpClient::request("GET", target, h.port(), {}));
        answer = client.readAnswer();
        QVERIFY(answer);
        QCOMPARE(answer->status, 200);
        QVERIFY(!answer->body.isEmpty());
    }
    QCOMPARE(client.received(), QByteArray());
    QCOMPARE(h.upstream().requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestGatewayAdmission)
#include "tst_gatewayadmission.moc"
