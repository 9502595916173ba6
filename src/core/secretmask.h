// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

/// Keeps secrets out of what is stored, logged or shown: an upstream may echo the key it
/// refused in its error message, and debug logs hold whole requests.
namespace SecretMask {

/// "…" and the secret's last four characters (just "…" for a very short one).
QString value(const QString &secret);
/// `text` with `secret` (when given) and everything that looks like a key — `sk-…` (Anthropic,
/// OpenAI, OpenRouter, DeepSeek), `sbk_…` (our access keys), Google's `AIza…`, the value of
/// a bearer token — masked with value().
QString text(const QString &text, const QString &secret = {});

} // namespace SecretMask
