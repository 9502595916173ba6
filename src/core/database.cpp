// SPDX-License-Identifier: GPL-3.0-or-later
#include "database.h"

#include "core/clock.h"
#include "core/logging.h"
#include "core/migrations.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

constexpr QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return u"switchboard-%1"_s.arg(counter.fetchAndAddRelaxed(1));
}

// SQLite gives the -wal and -shm files the permissions of the database file, so
// creating the file owner-only first keeps all three private.
Status prepareSqliteFile(const QString &path)
{
    const QFileInfo info(path);
    QDir dir = info.absoluteDir();
    if (!dir.exists()) {
        if (!dir.mkpath(u"."_s)) {
            return Error::io(
                QCoreApplication::translate("Database", "Cannot create the data folder %1.")
                    .arg(dir.absolutePath()));
        }
        QFile::setPermissions(dir.absolutePath(),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner
                                  | QFileDevice::ExeOwner);
    }
    if (!info.exists()) {
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, ownerOnly)) {
            return Error::io(
                QCoreApplication::translate("Database", "Cannot create the database file %1: %2")
                    .arg(path, file.errorString()));
        }
    } else if (QFile::permissions(path) != ownerOnly) {
        QFile::setPermissions(path, ownerOnly);
    }
    return {};
}

} // namespace

Database::Database(DatabaseConfig config, QSqlDatabase db)
    : m_config(std::move(config))
    , m_db(std::move(db))
{ }

Database::~Database()
{
    const QString name = m_db.connectionName();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(name);
}

Result<std::unique_ptr<Database>> Database::open(const DatabaseConfig &config, const Clock &clock)
{
    const bool sqlite = config.driver == DatabaseConfig::Driver::SQLite;
    if (sqlite) {
        if (Status s = prepareSqliteFile(config.sqlitePath); !s)
            return s.error();
    }
    const QString driver = sqlite ? u"QSQLITE"_s : u"QPSQL"_s;
    if (!QSqlDatabase::isDriverAvailable(driver)) {
        return Error::storage(
            QCoreApplication::translate("Database",
                                        "The Qt SQL driver %1 is not installed (on Debian: "
                                        "apt install %2).")
                .arg(driver, sqlite ? u"libqt6sql6-sqlite"_s : u"libqt6sql6-psql"_s));
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(driver, nextConnectionName());
    if (sqlite) {
        db.setDatabaseName(config.sqlitePath);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    } else {
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setDatabaseName(config.databaseName);
        db.setUserName(config.user);
        db.setPassword(config.password);
        db.setConnectOptions(config.options);
    }
    std::unique_ptr<Database> database(new Database(config, db));
    if (!database->m_db.open()) {
        return Error::storage(QCoreApplication::translate("Database", "Cannot open %1: %2")
                                  .arg(config.describe(), database->m_db.lastError().text()));
    }
    if (sqlite) {
        QSqlQuery pragma(database->m_db);
        pragma.exec(u"PRAGMA journal_mode=WAL"_s);
        pragma.exec(u"PRAGMA synchronous=NORMAL"_s);
    }
    if (Status s = Migrations::migrate(database->m_db, clock.nowMs()); !s)
        return s.error();
    qCDebug(lcStore) << "Opened" << config.describe();
    return database;
}
