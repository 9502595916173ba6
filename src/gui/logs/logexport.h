// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/usagerecord.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QUuid>

/// The logs page's export: requests as CSV (one header line) or JSON lines. Pure, apart
/// from write(), which a worker thread calls.
namespace LogExport {

enum class Format { Csv, Jsonl };

/// The format a file name asks for: ".jsonl"/".json" → JSON lines, anything else CSV.
Format formatFor(const QString &path);
QByteArray csv(const QList<UsageRecord> &records, const QHash<QUuid, QString> &keyNames);
QByteArray jsonl(const QList<UsageRecord> &records, const QHash<QUuid, QString> &keyNames);
/// Writes the records to the file, atomically.
Status write(const QString &path, const QList<UsageRecord> &records,
             const QHash<QUuid, QString> &keyNames);

} // namespace LogExport
