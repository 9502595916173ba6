// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/scriptedreply.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

/// The real API's rules on signed thinking (docs/protocol.md, "Thinking blocks across
/// accounts"), for ScriptedUpstream: a thinking block is signed for the key of the account
/// that produced it and any other key refuses it with the real 400; with thinking on, a
/// final assistant turn in a tool loop must start with a thinking block.
namespace ScriptedThinking {

/// A new signature of `key`'s account (each block gets its own, as the real API's do).
QString sign(const QByteArray &key);
bool signedBy(const QString &signature, const QByteArray &key);

/// The 400 the real API answers to `request` sent with `key`; nullopt when it takes it.
std::optional<ScriptedReply> refusal(const QJsonObject &request, const QByteArray &key);

/// `reply` (a message or a stream) thinking first: a thinking block signed for `key` before
/// its content, the later blocks' indices shifted.
ScriptedReply thinkingFirst(ScriptedReply reply, const QByteArray &key,
                            const QString &thought = QStringLiteral("Let me think."));

} // namespace ScriptedThinking
