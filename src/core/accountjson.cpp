// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountjson.h"

#include "core/accountrules.h"

using namespace Qt::StringLiterals;

QJsonValue AccountJson::timeToJson(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonArray AccountJson::mappingToJson(const ModelMapping &mapping)
{
    QJsonArray rules;
    for (const ModelRule &rule : mapping.rules())
        rules.append(QJsonObject {{u"pattern"_s, rule.pattern}, {u"target"_s, rule.target}});
    return rules;
}

Result<ModelMapping> AccountJson::mappingFromJson(const QJsonValue &value)
{
    QList<ModelRule> rules;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &item : array) {
        const QJsonObject rule = item.toObject();
        const QString pattern = rule.value(u"pattern").toString();
        const QString target = rule.value(u"target").toString();
        if (pattern.isEmpty() || target.isEmpty()) {
            return Error::invalid(tr("model_map must be a list of {\"pattern\": …, "
                                     "\"target\": …} objects."));
        }
        rules.append({pattern, target});
    }
    if (!value.isArray() && !value.isNull() && !value.isUndefined())
        return Error::invalid(tr("model_map must be a list."));
    return ModelMapping(rules);
}

QJsonObject AccountJson::headersToJson(const HeaderList &headers)
{
    QJsonObject object;
    for (const auto &[name, value] : headers)
        object.insert(name, value);
    return object;
}

Result<HeaderList> AccountJson::headersFromJson(const QJsonValue &value)
{
    if (!value.isObject() && !value.isNull() && !value.isUndefined())
        return Error::invalid(tr("extra_headers must be an object of header names to values."));
    HeaderList headers;
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString())
            return Error::invalid(tr("Value of header \"%1\" must be a string.").arg(it.key()));
        headers.append({it.key(), it.value().toString()});
    }
    return headers;
}

QJsonArray AccountJson::toJson(const QList<Account> &accounts)
{
    QJsonArray array;
    for (const Account &a : accounts)
        array.append(toJson(a));
    return array;
}

QJsonObject AccountJson::toJson(const Account &account)
{
    const AccountHealth &h = account.health;
    return {
        {u"id"_s, account.idString()},
        {u"name"_s, account.name},
        {u"provider"_s, toString(account.provider)},
        {u"base_url"_s, account.baseUrl.toString()},
        {u"auth"_s, toString(account.authStyle)},
        {u"tier"_s, account.tier},
        {u"priority"_s, account.priority},
        {u"weight"_s, account.weight},
        {u"enabled"_s, account.enabled},
        {u"models"_s, QJsonArray::fromStringList(account.allowedModels)},
        {u"model_map"_s, mappingToJson(account.modelMapping)},
        {u"extra_headers"_s, headersToJson(account.extraHeaders)},
        {u"notes"_s, account.notes},
        {u"created_at"_s, timeToJson(account.createdAt)},
        {u"updated_at"_s, timeToJson(account.updatedAt)},
        {u"health"_s,
         QJsonObject {
             {u"state"_s, toString(h.state)},
             {u"reason"_s, h.reason},
             {u"last_validated"_s, timeToJson(h.lastValidated)},
             {u"last_used"_s, timeToJson(h.lastUsed)},
             {u"usage_count"_s, h.usageCount},
             {u"error_count"_s, h.errorCount},
             {u"cooldown_until"_s, timeToJson(h.cooldownUntil)},
             {u"validation_latency_ms"_s,
              h.validationLatencyMs < 0 ? QJsonValue() : QJsonValue(h.validationLatencyMs)},
             {u"validation_message"_s, h.validationMessage},
         }},
    };
}

Result<Account> AccountJson::apply(const QJsonObject &json, Account a)
{
    // Read-only fields are accepted (an export can be imported as is) but ignored.
    static const QStringList known
        = {u"id"_s,        u"name"_s,          u"provider"_s, u"base_url"_s,   u"auth"_s,
           u"tier"_s,      u"priority"_s,      u"weight"_s,   u"enabled"_s,    u"models"_s,
           u"model_map"_s, u"extra_headers"_s, u"notes"_s,    u"created_at"_s, u"updated_at"_s,
           u"health"_s,    u"secret"_s};
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (!known.contains(it.key()))
            return Error::invalid(tr("Unknown account field \"%1\".").arg(it.key()));
    }
    auto wrongType = [](const QString &field, const char *expected) {
        return Error::invalid(tr("Field \"%1\" must be %2.").arg(field, tr(expected)));
    };
    auto readInt = [&](const QString &field, int &out) -> Status {
        if (!json.contains(field))
            return {};
        const QJsonValue v = json.value(field);
        if (!v.isDouble() || v.toDouble() != double(v.toInt()))
            return wrongType(field, QT_TR_NOOP("a whole number"));
        out = v.toInt();
        return {};
    };
    auto readString = [&](const QString &field, QString &out) -> Status {
        if (!json.contains(field))
            return {};
        if (!json.value(field).isString())
            return wrongType(field, QT_TR_NOOP("a string"));
        out = json.value(field).toString();
        return {};
    };

    QString name = a.name, provider = toString(a.provider), auth, baseUrl, notes = a.notes;
    for (auto [field, target] : {std::pair {u"name"_s, &name}, std::pair {u"provider"_s, &provider},
                                 std::pair {u"auth"_s, &auth}, std::pair {u"base_url"_s, &baseUrl},
                                 std::pair {u"notes"_s, &notes}}) {
        if (Status s = readString(field, *target); !s)
            return s.error();
    }
    for (auto [field, target] :
         {std::pair {u"tier"_s, &a.tier}, std::pair {u"priority"_s, &a.priority},
          std::pair {u"weight"_s, &a.weight}}) {
        if (Status s = readInt(field, *target); !s)
            return s.error();
    }

    const auto kind = providerKindFromString(provider);
    if (!kind) {
        return Error::invalid(
            tr("Unknown provider \"%1\": use anthropic or openai.").arg(provider));
    }
    const bool providerChanged = *kind != a.provider;
    a.provider = *kind;
    a.name = name;
    a.notes = notes;
    // A new account (no base URL yet) gets its provider's defaults for what is not given.
    const bool isNew = a.baseUrl.isEmpty();
    if (!auth.isEmpty()) {
        const auto style = authStyleFromString(auth);
        if (!style) {
            return Error::invalid(
                tr("Unknown auth style \"%1\": use x-api-key or bearer.").arg(auth));
        }
        a.authStyle = *style;
    } else if (isNew || providerChanged) {
        a.authStyle = defaultAuthStyle(a.provider);
    }
    if (!baseUrl.isEmpty() || isNew) {
        const auto url = AccountRules::parseBaseUrl(
            isNew && baseUrl.isEmpty() ? defaultBaseUrl(a.provider).toString() : baseUrl,
            a.provider);
        if (!url)
            return url.error();
        a.baseUrl = *url;
    }
    if (json.contains(u"enabled")) {
        if (!json.value(u"enabled").isBool())
            return wrongType(u"enabled"_s, QT_TR_NOOP("true or false"));
        a.enabled = json.value(u"enabled").toBool();
    }
    if (json.contains(u"models")) {
        const QJsonValue v = json.value(u"models");
        if (!v.isArray())
            return wrongType(u"models"_s, QT_TR_NOOP("a list of model names"));
        a.allowedModels.clear();
        for (const QJsonValue &m : v.toArray()) {
            if (!m.isString())
                return wrongType(u"models"_s, QT_TR_NOOP("a list of model names"));
            a.allowedModels << m.toString();
        }
    }
    if (json.contains(u"model_map")) {
        auto mapping = mappingFromJson(json.value(u"model_map"));
        if (!mapping)
            return mapping.error();
        a.modelMapping = *mapping;
    }
    if (json.contains(u"extra_headers")) {
        auto headers = headersFromJson(json.value(u"extra_headers"));
        if (!headers)
            return headers.error();
        a.extraHeaders = *headers;
    }
    if (Status s = AccountRules::check(a); !s)
        return s.error();
    return a;
}
