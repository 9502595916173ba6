// SPDX-License-Identifier: GPL-3.0-or-later
#include "accesskeystore.h"

#include "core/clock.h"
#include "core/database.h"
#include "core/logging.h"
#include "core/sqlutil.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

const QString columns
    = u"id, name, prefix, key_hash, created_at, last_used_at, revoked_at, is_admin"_s;

AccessKey fromRecord(const QSqlQuery &q)
{
    return {QUuid::fromString(q.value(0).toString()),
            q.value(1).toString(),
            q.value(2).toString(),
            q.value(3).toString().toLatin1(),
            Sql::toTime(q.value(4)),
            Sql::toTime(q.value(5)),
            Sql::toTime(q.value(6)),
            q.value(7).toInt() != 0};
}

} // namespace

AccessKeyStore::AccessKeyStore(Database &db, const Clock &clock)
    : m_db(db)
    , m_clock(clock)
{ }

QString AccessKeyStore::generateKey()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          bytes.size() / int(sizeof(quint32)));
    return u"sbk_"_s
        + QString::fromLatin1(
               bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray AccessKeyStore::hashKey(QStringView key)
{
    return QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex();
}

Result<NewAccessKey> AccessKeyStore::create(const QString &name, bool admin)
{
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 100)
        return Error::invalid(tr("An access key needs a name of 1 to 100 characters."));
    NewAccessKey created;
    created.plaintext = generateKey();
    AccessKey &key = created.key;
    key.id = QUuid::createUuid();
    key.name = trimmed;
    key.prefix = created.plaintext.left(prefixLength);
    key.hash = hashKey(created.plaintext);
    key.createdAt = m_clock.now();
    key.admin = admin;

    QSqlQuery q(m_db.connection());
    q.prepare(u"INSERT INTO access_keys ("_s + columns + u") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(key.idString());
    q.addBindValue(key.name);
    q.addBindValue(key.prefix);
    q.addBindValue(QString::fromLatin1(key.hash));
    q.addBindValue(Sql::fromTime(key.createdAt));
    q.addBindValue(Sql::fromTime({}));
    q.addBindValue(Sql::fromTime({}));
    q.addBindValue(admin ? 1 : 0);
    if (!q.exec())
        return Sql::error(q);
    qCInfo(lcStore) << "Access key created:" << key.name << key.prefix;
    return created;
}

Result<QList<AccessKey>> AccessKeyStore::list() const
{
    QSqlQuery q(m_db.connection());
    if (!q.exec(u"SELECT "_s + columns + u" FROM access_keys ORDER BY created_at DESC, name"_s))
        return Sql::error(q);
    QList<AccessKey> keys;
    while (q.next())
        keys.append(fromRecord(q));
    return keys;
}

Result<AccessKey> AccessKeyStore::resolve(const QString &reference) const
{
    auto keys = list();
    if (!keys)
        return keys.error();
    const QString ref = reference.trimmed();
    QList<AccessKey> matches;
    for (const AccessKey &key : *keys) {
        if (key.idString().compare(ref, Qt::CaseInsensitive) == 0)
            return key;
        if (key.name == ref || key.prefix == ref
            || (ref.size() >= 4 && key.idString().startsWith(ref, Qt::CaseInsensitive)))
            matches.append(key);
    }
    if (matches.size() == 1)
        return matches.first();
    if (matches.isEmpty()) {
        return Error::notFound(
            tr("No access key named or with id \"%1\". List them with: switchboard keys list")
                .arg(ref));
    }
    return Error::invalid(
        tr("\"%1\" matches %2 access keys; use the key's id.").arg(ref).arg(matches.size()));
}

Result<AccessKey> AccessKeyStore::revoke(const QString &reference)
{
    auto key = resolve(reference);
    if (!key)
        return key;
    if (key->isRevoked())
        return Error::invalid(tr("Access key \"%1\" is already revoked.").arg(key->name));
    key->revokedAt = m_clock.now();
    QSqlQuery q(m_db.connection());
    q.prepare(u"UPDATE access_keys SET revoked_at = ? WHERE id = ?"_s);
    q.addBindValue(Sql::fromTime(key->revokedAt));
    q.addBindValue(key->idString());
    if (!q.exec())
        return Sql::error(q);
    qCInfo(lcStore) << "Access key revoked:" << key->name << key->prefix;
    return key;
}

Result<AccessKey> AccessKeyStore::verify(QStringView key) const
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"SELECT "_s + columns
              + u" FROM access_keys WHERE key_hash = ? AND revoked_at IS NULL"_s);
    q.addBindValue(QString::fromLatin1(hashKey(key)));
    if (!q.exec())
        return Sql::error(q);
    if (!q.next())
        return Error::notFound(tr("Unknown or revoked access key."));
    return fromRecord(q);
}

Status AccessKeyStore::markUsed(const QUuid &id, const QDateTime &when)
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"UPDATE access_keys SET last_used_at = ? WHERE id = ?"_s);
    q.addBindValue(Sql::fromTime(when));
    q.addBindValue(id.toString(QUuid::WithoutBraces));
    if (!q.exec())
        return Sql::error(q);
    return {};
}
