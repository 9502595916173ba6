// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/databaseconfig.h"
#include "core/result.h"

#include <QSqlDatabase>

#include <memory>

class Clock;

/// One open, migrated database connection. A QSqlDatabase belongs to the thread that
/// opened it: open one Database per thread that needs it.
class Database final
{
public:
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    /// Opens (creating if needed) and migrates the database. A new SQLite file is
    /// readable by the user only and uses WAL journaling.
    static Result<std::unique_ptr<Database>> open(const DatabaseConfig &config, const Clock &clock);

    QSqlDatabase &connection() { return m_db; }
    const DatabaseConfig &config() const { return m_config; }

private:
    Database(DatabaseConfig config, QSqlDatabase db);

    DatabaseConfig m_config;
    QSqlDatabase m_db;
};
