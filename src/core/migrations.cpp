// SPDX-License-Identifier: GPL-3.0-or-later
#include "migrations.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

// Each entry is one schema version. Never edit a released entry: add a new one.
const QList<QStringList> &steps()
{
    static const QList<QStringList> all = {
        // 1: accounts, access keys, settings
        {
            uR"(CREATE TABLE accounts (
                id VARCHAR(36) PRIMARY KEY,
                name VARCHAR(200) NOT NULL UNIQUE,
                provider VARCHAR(32) NOT NULL,
                base_url TEXT NOT NULL,
                auth_style VARCHAR(32) NOT NULL,
                tier INTEGER NOT NULL,
                priority INTEGER NOT NULL,
                weight INTEGER NOT NULL,
                enabled INTEGER NOT NULL,
                allowed_models TEXT NOT NULL,
                model_map TEXT NOT NULL,
                extra_headers TEXT NOT NULL,
                notes TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                health_state VARCHAR(16) NOT NULL,
                health_reason TEXT NOT NULL,
                last_validated_at BIGINT,
                last_used_at BIGINT,
                usage_count BIGINT NOT NULL,
                error_count INTEGER NOT NULL,
                cooldown_until BIGINT))"_s,
            uR"(CREATE TABLE access_keys (
                id VARCHAR(36) PRIMARY KEY,
                name VARCHAR(200) NOT NULL,
                prefix VARCHAR(32) NOT NULL,
                key_hash VARCHAR(64) NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT,
                revoked_at BIGINT))"_s,
            uR"(CREATE TABLE settings (
                setting_key VARCHAR(100) PRIMARY KEY,
                setting_value TEXT NOT NULL,
                updated_at BIGINT NOT NULL))"_s,
        },
        // 2: usage log, minute aggregates, validation results, admin keys
        {
            uR"(CREATE TABLE usage_log (
                id VARCHAR(36) PRIMARY KEY,
                created_at BIGINT NOT NULL,
                access_key_id VARCHAR(36) NOT NULL,
                account_id VARCHAR(36) NOT NULL,
                account_name VARCHAR(200) NOT NULL,
                model VARCHAR(200) NOT NULL,
                upstream_model VARCHAR(200) NOT NULL,
                input_tokens BIGINT NOT NULL,
                output_tokens BIGINT NOT NULL,
                cache_read_tokens BIGINT NOT NULL,
                cache_write_tokens BIGINT NOT NULL,
                latency_ms INTEGER NOT NULL,
                first_token_ms INTEGER NOT NULL,
                status INTEGER NOT NULL,
                error_type VARCHAR(64) NOT NULL,
                attempts INTEGER NOT NULL,
                path TEXT NOT NULL,
                stream INTEGER NOT NULL))"_s,
            u"CREATE INDEX usage_log_created ON usage_log (created_at)"_s,
            uR"(CREATE TABLE usage_minutes (
                minute BIGINT NOT NULL,
                account_id VARCHAR(36) NOT NULL,
                requests BIGINT NOT NULL,
                errors BIGINT NOT NULL,
                input_tokens BIGINT NOT NULL,
                output_tokens BIGINT NOT NULL,
                cache_read_tokens BIGINT NOT NULL,
                cache_write_tokens BIGINT NOT NULL,
                latency_ms_sum BIGINT NOT NULL,
                PRIMARY KEY (minute, account_id)))"_s,
            u"ALTER TABLE accounts ADD COLUMN validation_latency_ms INTEGER"_s,
            u"ALTER TABLE accounts ADD COLUMN validation_message TEXT"_s,
            u"ALTER TABLE access_keys ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0"_s,
        },
        // 3: what the gateway changed in a request (thinking dropped for another account)
        {
            u"ALTER TABLE usage_log ADD COLUMN note TEXT"_s,
            u"ALTER TABLE usage_log ADD COLUMN thinking_dropped INTEGER NOT NULL DEFAULT 0"_s,
        },
    };
    return all;
}

Status exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql)) {
        return Error::storage(
            QCoreApplication::translate("Migrations", "Database schema update failed: %1")
                .arg(query.lastError().text()));
    }
    return {};
}

} // namespace

namespace Migrations {

int latestVersion()
{
    return int(steps().size());
}

Result<int> currentVersion(QSqlDatabase &db)
{
    if (!db.tables().contains(u"schema_version"_s))
        return 0;
    QSqlQuery query(db);
    if (!query.exec(u"SELECT MAX(version) FROM schema_version"_s) || !query.next()) {
        return Error::storage(
            QCoreApplication::translate("Migrations", "Cannot read the database schema version: %1")
                .arg(query.lastError().text()));
    }
    return query.value(0).toInt();
}

Status migrate(QSqlDatabase &db, qint64 nowMs)
{
    if (!db.tables().contains(u"schema_version"_s)) {
        if (Status s = exec(db,
                            u"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, "
                            "applied_at BIGINT NOT NULL)"_s);
            !s)
            return s;
    }
    const Result<int> current = currentVersion(db);
    if (!current)
        return current.error();
    if (*current > latestVersion()) {
        return Error::storage(
            QCoreApplication::translate("Migrations",
                                        "The database was written by a newer Switchboard "
                                        "(schema %1, this build knows %2). Update Switchboard.")
                .arg(*current)
                .arg(latestVersion()));
    }
    for (int version = *current + 1; version <= latestVersion(); ++version) {
        db.transaction();
        for (const QString &sql : steps().at(version - 1)) {
            if (Status s = exec(db, sql); !s) {
                db.rollback();
                return s;
            }
        }
        QSqlQuery record(db);
        record.prepare(u"INSERT INTO schema_version (version, applied_at) VALUES (?, ?)"_s);
        record.addBindValue(version);
        record.addBindValue(nowMs);
        if (!record.exec() || !db.commit()) {
            db.rollback();
            return Error::storage(record.lastError().text());
        }
        qCInfo(lcStore) << "Database schema migrated to version" << version;
    }
    return {};
}

} // namespace Migrations
