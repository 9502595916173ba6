// SPDX-License-Identifier: GPL-3.0-or-later
#include "testdatabase.h"

#include <QAtomicInteger>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

const char backendVariable[] = "SWITCHBOARD_TEST_DATABASE_BACKEND";
const char urlVariable[] = "SWITCHBOARD_TEST_DATABASE_URL";

// Runs one statement on its own short-lived connection to the server's maintenance
// database: CREATE/DROP DATABASE cannot run inside the database they create or drop.
Status runAdmin(const DatabaseConfig &server, const QString &sql)
{
    static QAtomicInteger<quint64> counter;
    const QString name = u"switchboard-test-admin-%1"_s.arg(counter.fetchAndAddRelaxed(1));
    Status result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(server.host);
        db.setPort(server.port);
        db.setDatabaseName(server.databaseName);
        db.setUserName(server.user);
        db.setPassword(server.password);
        db.setConnectOptions(server.options);
        if (!db.open()) {
            result = Error::storage(
                u"Cannot connect to %1: %2"_s.arg(server.describe(), db.lastError().text()));
        } else {
            QSqlQuery query(db);
            if (!query.exec(sql))
                result = Error::storage(u"%1 failed: %2"_s.arg(sql, query.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

} // namespace

TestDatabase::Backend TestDatabase::backend()
{
    return qEnvironmentVariable(backendVariable) == u"postgres" ? Backend::PostgreSQL
                                                                : Backend::SQLite;
}

QString TestDatabase::backendName()
{
    return backend() == Backend::PostgreSQL ? u"postgres"_s : u"sqlite"_s;
}

QString TestDatabase::unavailableReason()
{
    if (backend() == Backend::PostgreSQL && qEnvironmentVariableIsEmpty(urlVariable)) {
        return u"the PostgreSQL variant needs a server: set %1=postgresql://postgres@HOST:PORT/"
               "postgres (a superuser; each test creates and drops its own database)"_s.arg(
                   QLatin1StringView(urlVariable));
    }
    return {};
}

Result<std::unique_ptr<TestDatabase>> TestDatabase::create(const Clock &clock)
{
    const QString requested = qEnvironmentVariable(backendVariable);
    if (!requested.isEmpty() && requested != u"sqlite" && requested != u"postgres") {
        return Error::invalid(u"%1 must be sqlite or postgres, not \"%2\""_s.arg(
            QLatin1StringView(backendVariable), requested));
    }
    if (const QString reason = unavailableReason(); !reason.isEmpty())
        return Error::storage(reason);

    std::unique_ptr<TestDatabase> self(new TestDatabase);
    if (backend() == Backend::SQLite) {
        self->m_dir = std::make_unique<QTemporaryDir>();
        if (!self->m_dir->isValid())
            return Error::io(u"Cannot create a temporary folder: "_s + self->m_dir->errorString());
        self->m_config = DatabaseConfig::sqlite(self->m_dir->filePath(u"switchboard.db"_s));
    } else {
        auto server = DatabaseConfig::fromUrl(qEnvironmentVariable(urlVariable));
        if (!server)
            return Error::invalid(QLatin1StringView(urlVariable) + u": "_s
                                  + server.error().message);
        self->m_admin = *server;
        const QString name = u"sbtest_%1"_s.arg(
            qulonglong(QRandomGenerator::system()->generate64()), 16, 16, QChar(u'0'));
        if (Status s = runAdmin(self->m_admin, u"CREATE DATABASE "_s + name); !s)
            return s.error();
        // From here on the destructor drops the database.
        self->m_config = *server;
        self->m_config.databaseName = name;
    }
    auto db = Database::open(self->m_config, clock);
    if (!db)
        return db.error();
    self->m_database = std::move(db).value();
    return self;
}

TestDatabase::~TestDatabase()
{
    m_database.reset();
    if (m_config.driver != DatabaseConfig::Driver::PostgreSQL || m_config.databaseName.isEmpty())
        return;
    // FORCE (PostgreSQL 13+) also ends connections a failed test left open.
    const Status dropped = runAdmin(
        m_admin, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_config.databaseName));
    if (!dropped)
        qWarning().noquote() << "Could not drop test database:" << dropped.error().message;
}

Status TestDatabase::reopen(const Clock &clock)
{
    m_database.reset();
    auto db = Database::open(m_config, clock);
    if (!db)
        return db.error();
    m_database = std::move(db).value();
    return {};
}

Result<std::unique_ptr<Database>> TestDatabase::openAnother(const Clock &clock) const
{
    return Database::open(m_config, clock);
}
