// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

/// The model list (`GET /v1/models`) when no Anthropic-format account can give the real one:
/// the Claude models that the OpenAI-compatible accounts' mappings accept. Pure.
namespace ModelCatalog {

/// Current Claude model ids, newest first: what clients such as Claude Code ask for.
const QStringList &claudeModels();
/// The Claude model names the enabled accounts can serve: exact mapping patterns as
/// written, and each known Claude model a wildcard pattern (or an empty mapping) accepts,
/// filtered by the account's allowed models. Sorted as claudeModels(), extra names after.
QStringList modelsFor(const QList<Account> &accounts);
/// The Anthropic list body: {"data":[{"type":"model","id",…}],"has_more":false,…}.
QByteArray listJson(const QStringList &ids);

} // namespace ModelCatalog
