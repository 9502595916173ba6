// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/databaseconfig.h"
#include "core/result.h"

#include <QString>

/// Where Switchboard keeps its files.
namespace DataDir {

/// `override` (from --data-dir) if set, else $SWITCHBOARD_DATA_DIR, else the platform's
/// app-data folder (~/.local/share/Switchboard, %APPDATA%\Switchboard, ~/Library/…).
QString resolve(const QString &override = {});
/// $SWITCHBOARD_DATABASE_URL (postgresql://…) if set, else switchboard.db in `dataDir`.
Result<DatabaseConfig> databaseConfig(const QString &dataDir);

} // namespace DataDir
