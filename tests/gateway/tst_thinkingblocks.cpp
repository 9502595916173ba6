// SPDX-License-Identifier: GPL-3.0-or-later
// Thinking blocks across accounts, pure: which blocks an attempt keeps, when thinking goes
// off for it, the beta header, recognising the upstream's refusal, and the signature book.
#include "gateway/thinkingblocks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject parse(const char *json)
{
    return QJsonDocument::fromJson(QByteArray(json)).object();
}

QJsonObject thinking(const QString &signature)
{
    return {{u"type"_s, u"thinking"_s}, {u"thinking"_s, u"…"_s}, {u"signature"_s, signature}};
}

QJsonObject text(const QString &t)
{
    return {{u"type"_s, u"text"_s}, {u"text"_s, t}};
}

QJsonObject toolUse(const QString &id)
{
    return {{u"type"_s, u"tool_use"_s},
            {u"id"_s, id},
            {u"name"_s, u"bash"_s},
            {u"input"_s, QJsonObject {}}};
}

QJsonObject toolResult(const QString &id)
{
    return {{u"type"_s, u"tool_result"_s}, {u"tool_use_id"_s, id}, {u"content"_s, u"ok"_s}};
}

QJsonObject message(const QString &role, const QJsonArray &content)
{
    return {{u"role"_s, role}, {u"content"_s, content}};
}

/// A Claude Code-like request: adaptive thinking, a finished turn signed by `first`, and a
/// tool loop in progress whose turn was signed by `last`.
QJsonObject toolLoop(const QString &first, const QString &last)
{
    return {
        {u"model"_s, u"claude-sonnet-4-5"_s},
        {u"thinking"_s, QJsonObject {{u"type"_s, u"adaptive"_s}}},
        {u"context_management"_s,
         QJsonObject {{u"edits"_s,
                       QJsonArray {QJsonObject {{u"type"_s, u"clear_thinking_20251015"_s},
                                                {u"keep"_s, u"all"_s}}}}}},
        {u"messages"_s,
         QJsonArray {
             message(u"user"_s, {text(u"hi"_s)}),
             message(u"assistant"_s, {thinking(first), text(u"hello"_s)}),
             message(u"user"_s, {text(u"list files"_s)}),
             message(u"assistant"_s, {thinking(last), toolUse(u"toolu_1"_s)}),
             message(u"user"_s, {toolResult(u"toolu_1"_s)}),
         }},
    };
}

int thinkingBlocks(const QJsonObject &request)
{
    int n = 0;
    for (const QJsonValue &m : request.value(u"messages").toArray()) {
        for (const QJsonValue &b : m[u"content"].toArray())
            n += ThinkingBlocks::isThinking(b.toObject()) ? 1 : 0;
    }
    return n;
}

auto keepOnly(const QString &signature)
{
    return [signature](const QString &s) { return s == signature; };
}

} // namespace

class TestThinkingBlocks : public QObject
{
    Q_OBJECT

private slots:
    void signaturesAndDetection();
    void requestWhoseBlocksAllStayIsLeftAlone();
    void foreignBlockOfAnEarlierTurnIsDroppedAndThinkingStaysOn();
    void foreignBlockOfTheToolLoopTurnsThinkingOff();
    void thinkingOffKeepsOtherContextEdits();
    void blocksWithoutSignatureAreNeverKept();
    void turnLeftEmptyIsDropped();
    void requestWithThinkingOffOnlyLosesTheBlocks();
    void stringContentIsUntouched();
    void betaHeaderLosesOnlyThinkingBetas();
    void refusalsAreRecognised_data();
    void refusalsAreRecognised();
    void signatureBookRemembersAndForgetsTheOldest();
};

void TestThinkingBlocks::signaturesAndDetection()
{
    QCOMPARE(ThinkingBlocks::signatureOf(thinking(u"sig"_s)), u"sig"_s);
    QCOMPARE(ThinkingBlocks::signatureOf(parse(R"({"type":"redacted_thinking","data":"enc"})")),
             u"enc"_s);
    QCOMPARE(ThinkingBlocks::signatureOf(text(u"sig"_s)), QString());
    QVERIFY(ThinkingBlocks::isThinkingOn(parse(R"({"thinking":{"type":"adaptive"}})")));
    QVERIFY(ThinkingBlocks::isThinkingOn(
        parse(R"({"thinking":{"type":"enabled","budget_tokens":1024}})")));
    QVERIFY(!ThinkingBlocks::isThinkingOn(parse(R"({"thinking":{"type":"disabled"}})")));
    QVERIFY(!ThinkingBlocks::isThinkingOn(parse(R"({})")));
    QVERIFY(ThinkingBlocks::hasThinking(toolLoop(u"a"_s, u"b"_s)));
    QVERIFY(!ThinkingBlocks::hasThinking(
        parse(R"({"messages":[{"role":"user","content":[{"type":"thinking","signature":"x"}]}]})")));
}

void TestThinkingBlocks::requestWhoseBlocksAllStayIsLeftAlone()
{
    QVERIFY(!ThinkingBlocks::withoutForeign(toolLoop(u"a1"_s, u"a2"_s),
                                            [](const QString &) { return true; }));
    QVERIFY(!ThinkingBlocks::withoutForeign(parse(R"({"messages":[]})"),
                                            [](const QString &) { return false; }));
}

void TestThinkingBlocks::foreignBlockOfAnEarlierTurnIsDroppedAndThinkingStaysOn()
{
    const QJsonObject request = toolLoop(u"fromA"_s, u"fromB"_s);
    const auto rewrite = ThinkingBlocks::withoutForeign(request, keepOnly(u"fromB"_s));
    QVERIFY(rewrite);
    QCOMPARE(rewrite->droppedBlocks, 1);
    QVERIFY(!rewrite->thinkingOff);
    QCOMPARE(rewrite->request.value(u"thinking"), request.value(u"thinking"));
    QCOMPARE(rewrite->request.value(u"context_management"), request.value(u"context_management"));
    const QJsonArray messages = rewrite->request.value(u"messages").toArray();
    QCOMPARE(messages.size(), 5);
    QCOMPARE(messages[1][u"content"].toArray(), QJsonArray {text(u"hello"_s)});
    // The tool loop's own block stays, byte for byte.
    QCOMPARE(messages[3], request.value(u"messages")[3]);
}

void TestThinkingBlocks::foreignBlockOfTheToolLoopTurnsThinkingOff()
{
    const auto rewrite
        = ThinkingBlocks::withoutForeign(toolLoop(u"fromB"_s, u"fromA"_s), keepOnly(u"fromB"_s));
    QVERIFY(rewrite);
    QVERIFY(rewrite->thinkingOff);
    QCOMPARE(rewrite->droppedBlocks, 2); // the foreign one, then the rest with thinking off
    QVERIFY(!rewrite->request.contains(u"thinking"));
    QVERIFY(!rewrite->request.contains(u"context_management"));
    QCOMPARE(thinkingBlocks(rewrite->request), 0);
    const QJsonArray messages = rewrite->request.value(u"messages").toArray();
    QCOMPARE(messages[3][u"content"].toArray(), QJsonArray {toolUse(u"toolu_1"_s)});
    QCOMPARE(messages[4], toolLoop({}, {}).value(u"messages")[4]);
}

void TestThinkingBlocks::thinkingOffKeepsOtherContextEdits()
{
    QJsonObject request = toolLoop(u"x"_s, u"y"_s);
    request.insert(u"context_management"_s,
                   parse(R"({"edits":[{"type":"clear_thinking_20251015","keep":"all"},
                                      {"type":"clear_tool_uses_20250919"}]})"));
    const auto rewrite
        = ThinkingBlocks::withoutForeign(request, [](const QString &) { return false; });
    QVERIFY(rewrite && rewrite->thinkingOff);
    QCOMPARE(rewrite->request.value(u"context_management"),
             QJsonValue(parse(R"({"edits":[{"type":"clear_tool_uses_20250919"}]})")));
}

void TestThinkingBlocks::blocksWithoutSignatureAreNeverKept()
{
    // Thinking translated from an OpenAI-compatible provider's reasoning: signature "".
    QJsonObject request = toolLoop(u""_s, u"mine"_s);
    const auto rewrite
        = ThinkingBlocks::withoutForeign(request, [](const QString &) { return true; });
    QVERIFY(rewrite);
    QCOMPARE(rewrite->droppedBlocks, 1);
    QVERIFY(!rewrite->thinkingOff);
}

void TestThinkingBlocks::turnLeftEmptyIsDropped()
{
    QJsonObject request = toolLoop(u"a"_s, u"b"_s);
    QJsonArray messages = request.value(u"messages").toArray();
    messages.insert(2, message(u"assistant"_s, {thinking(u"a"_s)}));
    request.insert(u"messages"_s, messages);
    const auto rewrite = ThinkingBlocks::withoutForeign(request, keepOnly(u"b"_s));
    QVERIFY(rewrite);
    QCOMPARE(rewrite->droppedBlocks, 2);
    QCOMPARE(rewrite->request.value(u"messages").toArray().size(), 5);
}

void TestThinkingBlocks::requestWithThinkingOffOnlyLosesTheBlocks()
{
    QJsonObject request = toolLoop(u"a"_s, u"b"_s);
    request.insert(u"thinking"_s, parse(R"({"type":"disabled"})"));
    const auto rewrite = ThinkingBlocks::withoutForeign(request, keepOnly(u"a"_s));
    QVERIFY(rewrite);
    QVERIFY(!rewrite->thinkingOff);
    QCOMPARE(rewrite->droppedBlocks, 1);
    QCOMPARE(rewrite->request.value(u"thinking"), request.value(u"thinking"));
}

void TestThinkingBlocks::stringContentIsUntouched()
{
    const QJsonObject request
        = parse(R"({"thinking":{"type":"enabled"},"messages":[{"role":"user","content":"hi"},
                    {"role":"assistant","content":"hello"},{"role":"user","content":"go"}]})");
    QVERIFY(!ThinkingBlocks::withoutForeign(request, [](const QString &) { return false; }));
}

void TestThinkingBlocks::betaHeaderLosesOnlyThinkingBetas()
{
    QCOMPARE(ThinkingBlocks::betaWithoutThinking(
                 "claude-code-20250219,interleaved-thinking-2025-05-14, "
                 "context-management-2025-06-27"_ba),
             "claude-code-20250219,context-management-2025-06-27"_ba);
    QCOMPARE(ThinkingBlocks::betaWithoutThinking("interleaved-thinking-2025-05-14"_ba),
             QByteArray());
}

void TestThinkingBlocks::refusalsAreRecognised_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("refusal");
    auto error = [](const char *message) -> QByteArray {
        return QByteArray(R"({"type":"error","error":{"type":"invalid_request_error","message":")")
            + message + R"("}})";
    };
    QTest::newRow("invalid signature")
        << 400 << error("messages.1.content.0: Invalid `signature` in `thinking` block") << true;
    QTest::newRow("final turn must start with thinking")
        << 400
        << error("messages.3.content.0.type: Expected `thinking` or `redacted_thinking`, but "
                 "found `tool_use`. When `thinking` is enabled, a final `assistant` message "
                 "must start with a thinking block (preceeding the lastmost set of `tool_use` "
                 "and `tool_result` blocks).")
        << true;
    QTest::newRow("other 400") << 400 << error("max_tokens: must be positive") << false;
    QTest::newRow("not a 400") << 500 << error("Invalid `signature` in `thinking` block")
                               << false;
    QTest::newRow("not json") << 400 << "Invalid signature in thinking block"_ba << false;
}

void TestThinkingBlocks::refusalsAreRecognised()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, refusal);
    QCOMPARE(ThinkingBlocks::isThinkingRefusal(status, body), refusal);
}

void TestThinkingBlocks::signatureBookRemembersAndForgetsTheOldest()
{
    const QUuid a = QUuid::createUuid(), b = QUuid::createUuid();
    SignatureBook book(3);
    book.record(u"s1"_s, a);
    book.record(u"s2"_s, b);
    book.record(u""_s, a); // nothing to remember
    QCOMPARE(book.signer(u"s1"_s), a);
    QCOMPARE(book.signer(u"s2"_s), b);
    QCOMPARE(book.signer(u"s3"_s), QUuid());
    QCOMPARE(book.signer(QString()), QUuid());
    book.record(u"s1"_s, b); // seen again: the newer signer counts, no second entry
    QCOMPARE(book.signer(u"s1"_s), b);
    QCOMPARE(book.size(), 2);
    book.record(u"s3"_s, a);
    book.record(u"s4"_s, a);
    QCOMPARE(book.size(), 3);
    QCOMPARE(book.signer(u"s1"_s), QUuid()); // the oldest went
    QCOMPARE(book.signer(u"s4"_s), a);
}

QTEST_GUILESS_MAIN(TestThinkingBlocks)
#include "tst_thinkingblocks.moc"
