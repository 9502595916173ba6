// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QUuid>

class Clock;
class Database;

/// A key that local clients present to the gateway. Only its SHA-256 hash is stored.
struct AccessKey
{
    QUuid id;
    QString name;
    QString prefix; ///< the first characters of the key, enough to recognise it
    QByteArray hash; ///< hex SHA-256 of the key
    QDateTime createdAt;
    QDateTime lastUsedAt;
    QDateTime revokedAt;
    bool admin = false; ///< opens the admin API, and only that

    bool isRevoked() const { return revokedAt.isValid(); }
    QString idString() const { return id.toString(QUuid::WithoutBraces); }
};

/// A newly created key: the plaintext exists only here, to be shown once.
struct NewAccessKey
{
    AccessKey key;
    QString plaintext;
};

/// Local access keys in the database.
class AccessKeyStore final
{
    Q_DECLARE_TR_FUNCTIONS(AccessKeyStore)

public:
    AccessKeyStore(Database &db, const Clock &clock);

    /// "sbk_" followed by 32 random bytes, base64url.
    static QString generateKey();
    static QByteArray hashKey(QStringView key);
    static constexpr int prefixLength = 12;

    /// An admin key opens the admin API instead of the Messages API.
    Result<NewAccessKey> create(const QString &name, bool admin = false);
    /// Every key, revoked ones included, newest first.
    Result<QList<AccessKey>> list() const;
    /// Revokes by full id, unique id prefix, exact name or key prefix.
    Result<AccessKey> revoke(const QString &reference);
    /// The active key matching `key`, or NotFound.
    Result<AccessKey> verify(QStringView key) const;
    Status markUsed(const QUuid &id, const QDateTime &when);

private:
    Result<AccessKey> resolve(const QString &reference) const;

    Database &m_db;
    const Clock &m_clock;
};
