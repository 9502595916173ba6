// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QUuid>

#include <deque>
#include <functional>
#include <optional>

/// Signed thinking across accounts (docs/protocol.md, "Thinking blocks across accounts"): a
/// thinking block's signature binds it to the account that produced it, so a conversation
/// that moves to another account must lose the blocks that account cannot verify. Pure.
namespace ThinkingBlocks {

/// What binds a block to its account: a `thinking` block's `signature`, a
/// `redacted_thinking` block's `data`. Empty for other blocks, and for thinking made from an
/// OpenAI-compatible provider's reasoning, which no Anthropic account can verify.
QString signatureOf(const QJsonObject &block);
bool isThinking(const QJsonObject &block);
/// `thinking.type` is "enabled" or "adaptive".
bool isThinkingOn(const QJsonObject &request);
/// True when some assistant turn of the request holds a thinking or redacted_thinking block.
bool hasThinking(const QJsonObject &request);

/// A request changed for one attempt.
struct Rewrite
{
    QJsonObject request;
    int droppedBlocks = 0;
    /// Thinking was turned off for the attempt: the final assistant turn is in a tool loop
    /// and lost the thinking block it must start with.
    bool thinkingOff = false;
};

/// Removes from the assistant turns the thinking blocks `keep` refuses (a block without a
/// signature is never kept), and assistant turns left empty by it. When the final assistant
/// turn holds `tool_use` and no longer starts with a thinking block while thinking is on, the
/// upstream would refuse it, so thinking goes off for the request: `thinking`, the
/// `clear_thinking_*` context-management edits and every remaining thinking block are
/// removed. nullopt when every block may stay.
std::optional<Rewrite> withoutForeign(const QJsonObject &request,
                                      const std::function<bool(const QString &signature)> &keep);

/// An `anthropic-beta` value without the betas that need thinking on.
QByteArray betaWithoutThinking(const QByteArray &beta);

/// True for an upstream 400 refusing the request's thinking blocks: an invalid signature,
/// or a final assistant turn that must start with a thinking block.
bool isThinkingRefusal(int status, const QByteArray &body);

} // namespace ThinkingBlocks

/// Which account signed which thinking blocks, learned from the answers the gateway relays.
/// Bounded: past `capacity` signatures the oldest are forgotten (a forgotten one is then
/// treated as unknown, and an upstream refusal still tells).
class SignatureBook final
{
public:
    explicit SignatureBook(qsizetype capacity = 100'000);

    void record(const QString &signature, const QUuid &account);
    /// The account that produced the signature; null when unknown.
    QUuid signer(const QString &signature) const;
    qsizetype size() const { return m_signers.size(); }

private:
    static size_t key(const QString &signature);

    qsizetype m_capacity;
    QHash<size_t, QUuid> m_signers;
    std::deque<size_t> m_order; ///< oldest first
};
