// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/database.h"
#include "support/testservices.h"

#include <QTemporaryDir>

#include <memory>

class Clock;

/// A fresh, migrated database for one test, removed again when the object is destroyed.
///
/// The backend comes from SWITCHBOARD_TEST_DATABASE_BACKEND (`sqlite`, the default, or
/// `postgres`). SQLite uses a file in a temporary folder; PostgreSQL creates a database of
/// its own on the server named by SWITCHBOARD_TEST_DATABASE_URL
/// (postgresql://postgres@127.0.0.1:PORT/postgres, a superuser) and drops it afterwards.
///
///     void init()
///     {
///         SWITCHBOARD_REQUIRE_TEST_DATABASE();
///         auto db = TestDatabase::create(m_clock);
///         QVERIFY2(db, qPrintable(errorMessage(db))); // testprinters.h
///         m_db = std::move(db).value();
///     }
class TestDatabase final
{
public:
    enum class Backend { SQLite, PostgreSQL };

    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    static Backend backend();
    static QString backendName();
    /// Empty when the selected backend can be used, else why not.
    static QString unavailableReason();

    static Result<std::unique_ptr<TestDatabase>> create(const Clock &clock);

    Database &database() { return *m_database; }
    QSqlDatabase &connection() { return m_database->connection(); }
    const DatabaseConfig &config() const { return m_config; }
    /// The SQLite file, empty for PostgreSQL.
    QString sqlitePath() const { return m_config.sqlitePath; }

    /// Closes the connection and opens the same database again, as a restart would.
    Status reopen(const Clock &clock);
    /// A second, independent connection to the same database; destroy it before this object.
    Result<std::unique_ptr<Database>> openAnother(const Clock &clock) const;

private:
    TestDatabase() = default;

    std::unique_ptr<QTemporaryDir> m_dir; ///< SQLite only
    DatabaseConfig m_config;
    DatabaseConfig m_admin; ///< the server's maintenance database (PostgreSQL only)
    std::unique_ptr<Database> m_database;
};

/// Skips (or fails, with SWITCHBOARD_REQUIRE_SERVICES=1) when the selected database backend
/// is not available.
#define SWITCHBOARD_REQUIRE_TEST_DATABASE()                                                        \
    SWITCHBOARD_REQUIRE_SERVICE(TestDatabase::unavailableReason())
