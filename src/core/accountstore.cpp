// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountstore.h"

#include "core/accountjson.h"
#include "core/database.h"
#include "core/logging.h"
#include "core/sqlutil.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace {

const QString columns
    = u"id, name, provider, base_url, auth_style, tier, priority, weight, "
      "enabled, allowed_models, model_map, extra_headers, notes, created_at, "
      "updated_at, health_state, health_reason, last_validated_at, "
      "last_used_at, usage_count, error_count, cooldown_until, validation_latency_ms, "
      "validation_message"_s;

QString jsonText(const QJsonValue &value)
{
    return QString::fromUtf8(value.isArray()
                                 ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                 : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
}

QJsonValue parseJson(const QVariant &text)
{
    const QJsonDocument doc = QJsonDocument::fromJson(text.toString().toUtf8());
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

Account fromRecord(const QSqlQuery &q)
{
    Account a;
    int i = 0;
    a.id = QUuid::fromString(q.value(i++).toString());
    a.name = q.value(i++).toString();
    a.provider = providerKindFromString(q.value(i++).toString()).value_or(ProviderKind::Anthropic);
    a.baseUrl = QUrl(q.value(i++).toString());
    a.authStyle = authStyleFromString(q.value(i++).toString()).value_or(AuthStyle::XApiKey);
    a.tier = q.value(i++).toInt();
    a.priority = q.value(i++).toInt();
    a.weight = q.value(i++).toInt();
    a.enabled = q.value(i++).toInt() != 0;
    const QJsonArray models = parseJson(q.value(i++)).toArray();
    for (const QJsonValue &m : models)
        a.allowedModels << m.toString();
    a.modelMapping = AccountJson::mappingFromJson(parseJson(q.value(i++))).value();
    a.extraHeaders = AccountJson::headersFromJson(parseJson(q.value(i++))).value();
    a.notes = q.value(i++).toString();
    a.createdAt = Sql::toTime(q.value(i++));
    a.updatedAt = Sql::toTime(q.value(i++));
    a.health.state = healthStateFromString(q.value(i++).toString()).value_or(HealthState::Unknown);
    a.health.reason = q.value(i++).toString();
    a.health.lastValidated = Sql::toTime(q.value(i++));
    a.health.lastUsed = Sql::toTime(q.value(i++));
    a.health.usageCount = q.value(i++).toLongLong();
    a.health.errorCount = q.value(i++).toInt();
    a.health.cooldownUntil = Sql::toTime(q.value(i++));
    a.health.validationLatencyMs = q.value(i).isNull() ? -1 : q.value(i).toInt();
    ++i;
    a.health.validationMessage = q.value(i++).toString();
    return a;
}

void bindAccount(QSqlQuery &q, const Account &a)
{
    q.addBindValue(Sql::text(a.name));
    q.addBindValue(toString(a.provider));
    q.addBindValue(Sql::text(a.baseUrl.toString()));
    q.addBindValue(toString(a.authStyle));
    q.addBindValue(a.tier);
    q.addBindValue(a.priority);
    q.addBindValue(a.weight);
    q.addBindValue(a.enabled ? 1 : 0);
    q.addBindValue(jsonText(QJsonArray::fromStringList(a.allowedModels)));
    q.addBindValue(jsonText(AccountJson::mappingToJson(a.modelMapping)));
    q.addBindValue(jsonText(AccountJson::headersToJson(a.extraHeaders)));
    q.addBindValue(Sql::text(a.notes));
    q.addBindValue(Sql::fromTime(a.createdAt));
    q.addBindValue(Sql::fromTime(a.updatedAt));
}

void bindHealth(QSqlQuery &q, const AccountHealth &h)
{
    q.addBindValue(toString(h.state));
    q.addBindValue(Sql::text(h.reason));
    q.addBindValue(Sql::fromTime(h.lastValidated));
    q.addBindValue(Sql::fromTime(h.lastUsed));
    q.addBindValue(h.usageCount);
    q.addBindValue(h.errorCount);
    q.addBindValue(Sql::fromTime(h.cooldownUntil));
    q.addBindValue(h.validationLatencyMs < 0 ? QVariant(QMetaType::fromType<int>())
                                             : QVariant(h.validationLatencyMs));
    q.addBindValue(Sql::text(h.validationMessage));
}

} // namespace

AccountStore::AccountStore(Database &db)
    : m_db(db)
{ }

Result<QList<Account>> AccountStore::list() const
{
    QSqlQuery q(m_db.connection());
    if (!q.exec(u"SELECT "_s + columns + u" FROM accounts ORDER BY tier, priority DESC, name"_s))
        return Sql::error(q);
    QList<Account> accounts;
    while (q.next())
        accounts.append(fromRecord(q));
    return accounts;
}

Result<Account> AccountStore::find(const QUuid &id) const
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"SELECT "_s + columns + u" FROM accounts WHERE id = ?"_s);
    q.addBindValue(id.toString(QUuid::WithoutBraces));
    if (!q.exec())
        return Sql::error(q);
    if (!q.next()) {
        return Error::notFound(tr("No account with id %1.").arg(id.toString(QUuid::WithoutBraces)));
    }
    return fromRecord(q);
}

Result<Account> AccountStore::resolve(const QString &reference) const
{
    auto all = list();
    if (!all)
        return all.error();
    const QString ref = reference.trimmed();
    QList<Account> byPrefix;
    for (const Account &a : *all) {
        if (a.name == ref || a.idString().compare(ref, Qt::CaseInsensitive) == 0)
            return a;
        if (ref.size() >= 4 && a.idString().startsWith(ref, Qt::CaseInsensitive))
            byPrefix.append(a);
    }
    if (byPrefix.size() == 1)
        return byPrefix.first();
    if (byPrefix.size() > 1) {
        return Error::invalid(
            tr("\"%1\" matches %2 account ids; give more characters or the account name.")
                .arg(ref)
                .arg(byPrefix.size()));
    }
    return Error::notFound(tr("No account named or with id \"%1\". List them with: "
                              "switchboard accounts list")
                               .arg(ref));
}

Status AccountStore::checkNameFree(const QString &name, const QUuid &except) const
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"SELECT id FROM accounts WHERE LOWER(name) = LOWER(?) AND id <> ?"_s);
    q.addBindValue(name);
    q.addBindValue(except.toString(QUuid::WithoutBraces));
    if (!q.exec())
        return Sql::error(q);
    if (q.next())
        return Error::conflict(tr("An account named \"%1\" already exists.").arg(name));
    return {};
}

Status AccountStore::insert(const Account &account)
{
    if (Status s = checkNameFree(account.name, account.id); !s)
        return s;
    QSqlQuery q(m_db.connection());
    q.prepare(
        u"INSERT INTO accounts ("_s + columns
        + u") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(account.idString());
    bindAccount(q, account);
    bindHealth(q, account.health);
    if (!q.exec())
        return Sql::error(q);
    qCInfo(lcStore) << "Account added:" << account.name;
    return {};
}

Status AccountStore::update(const Account &account)
{
    if (Status s = checkNameFree(account.name, account.id); !s)
        return s;
    QSqlQuery q(m_db.connection());
    q.prepare(u"UPDATE accounts SET name = ?, provider = ?, base_url = ?, auth_style = ?, "
              "tier = ?, priority = ?, weight = ?, enabled = ?, allowed_models = ?, "
              "model_map = ?, extra_headers = ?, notes = ?, created_at = ?, updated_at = ?, "
              "health_state = ?, health_reason = ?, last_validated_at = ?, last_used_at = ?, "
              "usage_count = ?, error_count = ?, cooldown_until = ?, validation_latency_ms = ?, "
              "validation_message = ? WHERE id = ?"_s);
    bindAccount(q, account);
    bindHealth(q, account.health);
    q.addBindValue(account.idString());
    if (!q.exec())
        return Sql::error(q);
    if (q.numRowsAffected() == 0)
        return Error::notFound(tr("No account with id %1.").arg(account.idString()));
    return {};
}

Status AccountStore::updateHealth(const QUuid &id, const AccountHealth &health)
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"UPDATE accounts SET health_state = ?, health_reason = ?, last_validated_at = ?, "
              "last_used_at = ?, usage_count = ?, error_count = ?, cooldown_until = ?, "
              "validation_latency_ms = ?, validation_message = ? WHERE id = ?"_s);
    bindHealth(q, health);
    q.addBindValue(id.toString(QUuid::WithoutBraces));
    if (!q.exec())
        return Sql::error(q);
    if (q.numRowsAffected() == 0)
        return Error::notFound(tr("No account with id %1.").arg(id.toString(QUuid::WithoutBraces)));
    return {};
}

Status AccountStore::remove(const QUuid &id)
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"DELETE FROM accounts WHERE id = ?"_s);
    q.addBindValue(id.toString(QUuid::WithoutBraces));
    if (!q.exec())
        return Sql::error(q);
    if (q.numRowsAffected() == 0)
        return Error::notFound(tr("No account with id %1.").arg(id.toString(QUuid::WithoutBraces)));
    return {};
}
