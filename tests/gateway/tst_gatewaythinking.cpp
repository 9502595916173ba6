// SPDX-License-Identifier: GPL-3.0-or-later
// Signed thinking across accounts over real sockets (docs/protocol.md, "Thinking blocks
// across accounts"): the scripted upstream signs thinking per key and refuses what another
// key signed, as the real API does; conversations with thinking move between accounts and
// formats and every turn succeeds.
#include "gatewayharness.h"
#include "support/openaiupstream.h"
#include "support/scriptedthinking.h"
#include "support/testprinters.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using Reply = ScriptedReply;

namespace {

const QByteArray betas
    = "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14"_ba;

QByteArray keyOf(const QString &account)
{
    return GatewayHarness::secretOf(account).toUtf8();
}

/// The first turn of a conversation with thinking on and one tool.
QJsonObject firstTurn(bool stream, const QString &prompt = u"List the files"_s)
{
    QJsonObject body = GatewayHarness::messageBody(stream, GatewayHarness::model, prompt);
    body.insert(u"max_tokens"_s, 2048);
    body.insert(u"thinking"_s, QJsonObject {{u"type"_s, u"adaptive"_s}});
    body.insert(
        u"tools"_s,
        QJsonArray {QJsonObject {{u"name"_s, u"ls"_s},
                                 {u"description"_s, u"Lists files"_s},
                                 {u"input_schema"_s, QJsonObject {{u"type"_s, u"object"_s}}}}});
    return body;
}

/// `body` with the assistant's answer and the user's next message appended: the tool's
/// result when the answer called a tool, else `text`.
QJsonObject nextTurn(QJsonObject body, const QJsonObject &answer, const QString &text = u"Go on"_s)
{
    QJsonArray messages = body.value(u"messages").toArray();
    const QJsonArray content = answer.value(u"content").toArray();
    messages.append(QJsonObject {{u"role"_s, u"assistant"_s}, {u"content"_s, content}});
    QJsonValue reply = text;
    for (const QJsonValue &block : content) {
        if (block[u"type"].toString() == u"tool_use") {
            reply = QJsonArray {QJsonObject {{u"type"_s, u"tool_result"_s},
                                             {u"tool_use_id"_s, block[u"id"]},
                                             {u"content"_s, u"a.txt b.txt"_s}}};
        }
    }
    messages.append(QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, reply}});
    body.insert(u"messages"_s, messages);
    return body;
}

/// The message the client got, whole (a stream assembled).
QJsonObject messageOf(const HttpAnswer &answer, bool stream)
{
    return stream ? assembledMessage(answer.events()) : answer.json();
}

/// The signatures of the thinking blocks in a request's assistant turns, in order.
QStringList signaturesIn(const QJsonObject &request)
{
    QStringList out;
    for (const QJsonValue &message : request.value(u"messages").toArray()) {
        for (const QJsonValue &block : message[u"content"].toArray()) {
            if (block[u"type"].toString() == u"thinking")
                out << block[u"signature"].toString();
        }
    }
    return out;
}

Reply toolCall(bool stream)
{
    return stream ? Reply::toolUseStream(u"ls"_s, {u"{}"_s}) : Reply::toolUse(u"ls"_s, {});
}

/// A successful answer from `account`: a whole stream when streamed.
void verifyServed(const HttpAnswer &answer, bool stream, const QString &account)
{
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.header("x-switchboard-account"), account.toUtf8());
    if (stream)
        QCOMPARE(eventNames(answer.events()).last(), "message_stop"_ba);
}

} // namespace

class TestGatewayThinking : public QObject
{
    Q_OBJECT

private slots:
    void toolLoopMovesToAnotherAccount_data();
    void toolLoopMovesToAnotherAccount();
    void signerKeepsItsBlocks();
    void eachAccountKeepsItsOwnBlocks();
    void unknownSignatureRetriedOnce();
    void refusalRepeatedGoesToClient();
    void toOpenAIAndBack();
};

void TestGatewayThinking::toolLoopMovesToAnotherAccount_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("json") << false;
    QTest::newRow("stream") << true;
}

void TestGatewayThinking::toolLoopMovesToAnotherAccount()
{
    QFETCH(bool, stream);
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.upstream().setThinkingRules(true);
    h.script(u"A"_s, toolCall(stream));
    QVERIFY(h.start());

    const QJsonObject turn1 = firstTurn(stream);
    const HttpAnswer first = h.send(turn1, {{"anthropic-beta"_ba, betas}});
    verifyServed(first, stream, u"A"_s);
    const QJsonObject answer = messageOf(first, stream);
    QCOMPARE(answer[u"content"][0][u"type"].toString(), u"thinking"_s);
    QVERIFY(
        ScriptedThinking::signedBy(answer[u"content"][0][u"signature"].toString(), keyOf(u"A"_s)));

    // A is rate-limited before the tool's result comes back: the turn goes to B.
    h.script(u"A"_s, Reply::rateLimited(30));
    h.upstream().clearRequests();
    const QJsonObject turn2 = nextTurn(turn1, answer);
    const HttpAnswer second = h.send(turn2, {{"anthropic-beta"_ba, betas}});
    verifyServed(second, stream, u"B"_s);
    QCOMPARE(h.upstreamAccounts(), (QStringList {u"A"_s, u"B"_s}));

    // A got the conversation as the client sent it; B without A's thinking and, as the
    // tool loop lost the block its final turn must start with, with thinking off.
    const QList<RecordedRequest> seen = h.upstream().requests();
    QCOMPARE(seen[0].json(), turn2);
    QCOMPARE(seen[0].header("anthropic-beta"), betas);
    const QJsonObject toB = seen[1].json();
    QVERIFY(signaturesIn(toB).isEmpty());
    QVERIFY(!toB.contains(u"thinking"));
    QCOMPARE(toB[u"messages"][1][u"content"].toArray().size(), 1);
    QCOMPARE(toB[u"messages"][1][u"content"][0][u"type"].toString(), u"tool_use"_s);
    QCOMPARE(toB[u"messages"][2], turn2[u"messages"][2]);
    QCOMPARE(seen[1].header("anthropic-beta"), "fine-grained-tool-streaming-2025-05-14"_ba);

    QVERIFY(h.waitForFinished(2));
    const UsageRecord record = h.finished.last();
    QCOMPARE(record.accountName, u"B"_s);
    QVERIFY(record.thinkingDropped);
    QCOMPARE(record.note, u"thinking dropped: signed by A; thinking turned off for this turn"_s);
    QVERIFY(!h.finished.first().thinkingDropped);
    QCOMPARE(h.live(u"B"_s).health.state, HealthState::Valid);
    QCOMPARE(h.live(u"B"_s).health.errorCount, 0);
}

void TestGatewayThinking::signerKeepsItsBlocks()
{
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.upstream().setThinkingRules(true);
    h.script(u"A"_s, toolCall(true));
    QVERIFY(h.start());

    const QJsonObject turn1 = firstTurn(true);
    const HttpAnswer first = h.send(turn1);
    verifyServed(first, true, u"A"_s);
    h.script(u"A"_s, std::nullopt);
    h.upstream().clearRequests();

    const QJsonObject turn2 = nextTurn(turn1, assembledMessage(first.events()));
    const QByteArray body = QJsonDocument(turn2).toJson(QJsonDocument::Compact);
    const HttpAnswer second = h.send(turn2, {{"anthropic-beta"_ba, betas}});
    verifyServed(second, true, u"A"_s);
    QCOMPARE(h.upstream().requestCount(), 1);
    QCOMPARE(h.upstream().lastRequest().body, body); // byte for byte
    QCOMPARE(h.upstream().lastRequest().header("anthropic-beta"), betas);
    QVERIFY(h.waitForFinished(2));
    QVERIFY(!h.finished.last().thinkingDropped);
    QVERIFY(h.finished.last().note.isEmpty());
}

void TestGatewayThinking::eachAccountKeepsItsOwnBlocks()
{
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.upstream().setThinkingRules(true);
    QVERIFY(h.start());

    // A answers the first turn, B the second (A rate-limited), B the third (the
    // conversation stays where it went): B keeps its own block and loses only A's, and
    // thinking stays on as no tool loop is in progress.
    const QJsonObject turn1 = firstTurn(false, u"Capitals"_s);
    const HttpAnswer first = h.send(turn1);
    verifyServed(first, false, u"A"_s);
    h.script(u"A"_s, Reply::rateLimited(30));
    const QJsonObject turn2 = nextTurn(turn1, first.json(), u"And Spain?"_s);
    const HttpAnswer second = h.send(turn2);
    verifyServed(second, false, u"B"_s);
    QVERIFY(h.upstream().lastRequest().json().contains(u"thinking"));
    QVERIFY(signaturesIn(h.upstream().lastRequest().json()).isEmpty());
    const QString signedByB = second.json()[u"content"][0][u"signature"].toString();
    QVERIFY(ScriptedThinking::signedBy(signedByB, keyOf(u"B"_s)));

    h.upstream().clearRequests();
    const HttpAnswer third = h.send(nextTurn(turn2, second.json(), u"And Italy?"_s));
    verifyServed(third, false, u"B"_s);
    QCOMPARE(h.upstreamAccounts(), QStringList {u"B"_s});
    QCOMPARE(signaturesIn(h.upstream().lastRequest().json()), QStringList {signedByB});
    QVERIFY(h.waitForFinished(3));
    QCOMPARE(h.finished.last().note, u"thinking dropped: signed by A"_s);
}

void TestGatewayThinking::unknownSignatureRetriedOnce()
{
    // Thinking the gateway never saw signed (another gateway's, or from before a restart):
    // sent as it is, refused, then sent again without it, on the same account.
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    h.upstream().setThinkingRules(true);
    QVERIFY(h.start());

    const QJsonObject turn1 = firstTurn(false);
    const QJsonObject elsewhere
        = QJsonDocument::fromJson(
              ScriptedThinking::thinkingFirst(Reply::toolUse(u"ls"_s, {}), "sk-ant-elsewhere").body)
              .object();
    const HttpAnswer answer = h.send(nextTurn(turn1, elsewhere));
    verifyServed(answer, false, u"A"_s);
    QCOMPARE(h.upstreamAccounts(), (QStringList {u"A"_s, u"A"_s}));
    QCOMPARE(signaturesIn(h.upstream().requests().first().json()).size(), 1);
    QVERIFY(signaturesIn(h.upstream().lastRequest().json()).isEmpty());

    QVERIFY(h.waitForFinished(1));
    const UsageRecord record = h.finished.last();
    QCOMPARE(record.attempts, 2);
    QCOMPARE(record.path, u"A 400 (thinking refused) → A 200"_s);
    QCOMPARE(
        record.note,
        u"thinking dropped: signed by an unknown account; thinking turned off for this turn"_s);
    const Account a = h.live(u"A"_s);
    QCOMPARE(a.health.state, HealthState::Valid);
    QCOMPARE(a.health.errorCount, 0);
    QCOMPARE(a.health.cooldownUntil, QDateTime());
}

void TestGatewayThinking::refusalRepeatedGoesToClient()
{
    // An account that refuses the thinking even without the unknown blocks: the client's
    // 400, after one retry; no other account tried, no health changed.
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addAccount(u"B"_s, 0);
    const QString refusal = u"messages.1.content.0: Invalid `signature` in `thinking` block"_s;
    h.script(u"A"_s, Reply::badRequest(refusal));
    QVERIFY(h.start());

    const QJsonObject elsewhere
        = QJsonDocument::fromJson(
              ScriptedThinking::thinkingFirst(Reply::message(u"Hi"_s), "sk-ant-elsewhere").body)
              .object();
    const HttpAnswer answer = h.send(nextTurn(firstTurn(false), elsewhere));
    QCOMPARE(answer.status, 400);
    QCOMPARE(answer.errorType(), u"invalid_request_error"_s);
    QCOMPARE(answer.errorMessage(), refusal);
    QCOMPARE(h.upstreamAccounts(), (QStringList {u"A"_s, u"A"_s}));
    QCOMPARE(h.healthChangesOf(u"A"_s), 0);
    QCOMPARE(h.live(u"A"_s).health.errorCount, 0);
    QVERIFY(h.waitForFinished(1));
    QCOMPARE(h.finished.last().status, 400);
}

void TestGatewayThinking::toOpenAIAndBack()
{
    // Anthropic A → OpenAI-compatible O (A rate-limited) → A again (O failing): each turn
    // succeeds; A keeps its own block, loses the reasoning O wrote.
    GatewayHarness h;
    h.addAccount(u"A"_s, 10);
    h.addOpenAIAccount(u"O"_s, 0);
    h.upstream().setThinkingRules(true);
    h.script(u"A"_s, toolCall(true));
    QVERIFY(h.start());

    const QJsonObject turn1 = firstTurn(true);
    const HttpAnswer first = h.send(turn1);
    verifyServed(first, true, u"A"_s);
    const QString signedByA
        = assembledMessage(first.events())[u"content"][0][u"signature"].toString();

    h.script(u"A"_s, Reply::rateLimited(30));
    h.script(u"O"_s, OpenAIReplies::reasoningStream({u"Hmm"_s}, {u"Two files."_s}));
    const QJsonObject turn2 = nextTurn(turn1, assembledMessage(first.events()));
    const HttpAnswer second = h.send(turn2);
    verifyServed(second, true, u"O"_s);
    const QJsonObject fromO = assembledMessage(second.events());
    QCOMPARE(fromO[u"content"][0][u"type"].toString(), u"thinking"_s);
    // A's signature never goes to an OpenAI-compatible provider.
    QVERIFY(!h.upstream().lastRequest().body.contains(signedByA.toUtf8()));

    h.clock.advance(std::chrono::seconds(31));
    h.script(u"A"_s, std::nullopt);
    h.script(u"O"_s, OpenAIReplies::error(500, u"server_error"_s, u"down"_s));
    h.upstream().clearRequests();
    const QJsonObject turn3 = nextTurn(turn2, fromO, u"Thanks"_s);
    const HttpAnswer third = h.send(turn3);
    verifyServed(third, true, u"A"_s);
    const QJsonObject toA = h.upstream().lastRequest().json();
    QCOMPARE(signaturesIn(toA), QStringList {signedByA});
    QVERIFY(toA.contains(u"thinking"));
    QVERIFY(h.waitForFinished(3));
    QCOMPARE(h.finished.last().note, u"thinking dropped: from another provider"_s);
}

QTEST_GUILESS_MAIN(TestGatewayThinking)
#include "tst_gatewaythinking.moc"
