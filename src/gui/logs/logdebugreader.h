// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

/// Finds a request's entry in the debug log (<data dir>/logs/debug.jsonl and its rotated
/// files), matched by the request's arrival time and account. Reads files: call it on a
/// worker thread.
namespace LogDebugReader {

/// The entry, nullopt when none matches (logged before debug logging was on, or rotated
/// away), or an error when a file exists but cannot be read.
Result<std::optional<QJsonObject>> find(const QString &dataDir, const QDateTime &time,
                                        const QString &accountName);
/// Pretty JSON of a body logged as text: indented when it parses, else as it is.
QString prettyBody(const QString &body);

} // namespace LogDebugReader
