// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QString>

/// Where the database lives: a SQLite file (default) or a PostgreSQL server.
struct DatabaseConfig
{
    enum class Driver { SQLite, PostgreSQL };

    Driver driver = Driver::SQLite;
    QString sqlitePath;
    QString host;
    int port = 5432;
    QString databaseName;
    QString user;
    QString password;
    QString options; ///< QPSQL connect options, e.g. "sslmode=require"

    static DatabaseConfig sqlite(const QString &path);
    /// Parses `postgresql://user:password@host:port/dbname?sslmode=require`.
    static Result<DatabaseConfig> fromUrl(const QString &url);

    /// A description fit for logs: never contains the password.
    QString describe() const;
};
