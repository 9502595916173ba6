// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QSqlDatabase>

/// Forward-only schema migrations. The SQL is portable between SQLite and PostgreSQL:
/// times are BIGINT milliseconds since the epoch (UTC), booleans INTEGER 0/1, lists JSON text.
namespace Migrations {

/// The schema version this build writes.
int latestVersion();
/// The version recorded in the database, 0 for an empty database.
Result<int> currentVersion(QSqlDatabase &db);
/// Applies every missing migration, each in its own transaction.
Status migrate(QSqlDatabase &db, qint64 nowMs);

} // namespace Migrations
