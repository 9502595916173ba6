// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountfields.h"

#include "cli/clioutput.h"
#include "core/accountrules.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

void AccountFields::addOptions(QCommandLineParser &parser, Mode mode)
{
    parser.addOptions({
        {u"name"_s, tr("Account name (unique)."), u"NAME"_s},
        {u"provider"_s, tr("anthropic or openai (default: anthropic)."), u"KIND"_s},
        {u"base-url"_s, tr("API base URL (default: the provider's official one)."), u"URL"_s},
        {u"auth"_s, tr("x-api-key or bearer (default: the provider's usual one)."), u"STYLE"_s},
        {u"tier"_s, tr("Tier 1-9: tier 2 is used only when tier 1 has no healthy account."),
         u"N"_s},
        {u"priority"_s, tr("Priority within the tier, higher first (-1000..1000)."), u"N"_s},
        {u"weight"_s, tr("Share for the weighted strategy (1..1000)."), u"N"_s},
        {u"models"_s, tr("Comma-separated models this account may serve (empty: all)."), u"LIST"_s},
        {u"map"_s, tr("Model mapping rule PATTERN=MODEL, repeatable (e.g. claude-opus-*=gpt-4o)."),
         u"RULE"_s},
        {u"header"_s, tr("Extra upstream header \"Name: value\", repeatable."), u"HEADER"_s},
        {u"notes"_s, tr("Free-form notes."), u"TEXT"_s},
        {u"json"_s, tr("Print the result as JSON.")},
    });
    if (mode == Mode::Add) {
        parser.addOption({u"disabled"_s, tr("Add the account disabled.")});
    } else {
        parser.addOptions({
            {u"clear-map"_s, tr("Remove every model mapping rule.")},
            {u"clear-headers"_s, tr("Remove every extra header.")},
            {u"secret"_s, tr("Replace the API key, read from standard input.")},
        });
    }
}

Result<QJsonObject> AccountFields::patch(const QCommandLineParser &parser)
{
    // Some flags exist for one mode only: asking the parser of the other about them warns.
    auto flag = [&parser](const QString &name) {
        return parser.optionNames().contains(name) && parser.isSet(name);
    };
    QJsonObject patch;
    for (const auto &[option, field] :
         {std::pair {u"name"_s, u"name"_s}, std::pair {u"provider"_s, u"provider"_s},
          std::pair {u"base-url"_s, u"base_url"_s}, std::pair {u"auth"_s, u"auth"_s},
          std::pair {u"notes"_s, u"notes"_s}}) {
        if (parser.isSet(option))
            patch.insert(field, parser.value(option));
    }
    for (const QString &option : {u"tier"_s, u"priority"_s, u"weight"_s}) {
        if (!parser.isSet(option))
            continue;
        bool ok = false;
        const int value = parser.value(option).trimmed().toInt(&ok);
        if (!ok) {
            return Error::invalid(
                tr("--%1 must be a whole number (got \"%2\").").arg(option, parser.value(option)));
        }
        patch.insert(option, value);
    }
    if (parser.isSet(u"models"_s)) {
        QJsonArray models;
        for (const QString &m : parser.value(u"models"_s).split(u',', Qt::SkipEmptyParts))
            models.append(m.trimmed());
        patch.insert(u"models"_s, models);
    }
    if (parser.isSet(u"map"_s) || flag(u"clear-map"_s)) {
        QJsonArray rules;
        for (const QString &text : parser.values(u"map"_s)) {
            auto rule = ModelMapping::parseRule(text);
            if (!rule)
                return rule.error();
            rules.append(QJsonObject {{u"pattern"_s, rule->pattern}, {u"target"_s, rule->target}});
        }
        patch.insert(u"model_map"_s, rules);
    }
    if (parser.isSet(u"header"_s) || flag(u"clear-headers"_s)) {
        QJsonObject headers;
        for (const QString &text : parser.values(u"header"_s)) {
            auto header = AccountRules::parseHeader(text);
            if (!header)
                return header.error();
            headers.insert(header->first, header->second);
        }
        patch.insert(u"extra_headers"_s, headers);
    }
    if (flag(u"disabled"_s))
        patch.insert(u"enabled"_s, false);
    return patch;
}

QString AccountFields::statusText(const Account &account, const QDateTime &now)
{
    if (!account.enabled)
        return tr("disabled");
    const AccountHealth &h = account.health;
    if (h.cooldownUntil.isValid() && h.cooldownUntil > now) {
        return tr("cooling down until %1")
            .arg(h.cooldownUntil.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s));
    }
    switch (h.state) {
    case HealthState::Valid:
        return tr("valid");
    case HealthState::Invalid:
        return tr("invalid key");
    case HealthState::Disabled:
        return tr("parked");
    case HealthState::Unknown:
        break;
    }
    return tr("not checked yet");
}

void AccountFields::print(CliOutput &out, const Account &a, const QDateTime &now)
{
    auto time = [](const QDateTime &t) {
        return t.isValid() ? t.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : tr("never");
    };
    QStringList rules;
    for (const ModelRule &rule : a.modelMapping.rules())
        rules << rule.pattern + u'=' + rule.target;
    QStringList headers;
    for (const auto &[name, value] : a.extraHeaders)
        headers << name + u": "_s + value;
    const QList<QPair<QString, QString>> fields = {
        {tr("Name"), a.name},
        {tr("ID"), a.idString()},
        {tr("Provider"), toString(a.provider)},
        {tr("Base URL"), a.baseUrl.toString()},
        {tr("Auth"), toString(a.authStyle)},
        {tr("Tier"), QString::number(a.tier)},
        {tr("Priority"), QString::number(a.priority)},
        {tr("Weight"), QString::number(a.weight)},
        {tr("Enabled"), a.enabled ? tr("yes") : tr("no")},
        {tr("Models"), a.allowedModels.isEmpty() ? tr("all") : a.allowedModels.join(u", ")},
        {tr("Model map"), rules.isEmpty() ? tr("none") : rules.join(u", ")},
        {tr("Extra headers"), headers.isEmpty() ? tr("none") : headers.join(u"; ")},
        {tr("Notes"), a.notes},
        {tr("Status"), statusText(a, now)},
        {tr("Reason"), a.health.reason},
        {tr("Last validated"), time(a.health.lastValidated)},
        {tr("Last used"), time(a.health.lastUsed)},
        {tr("Requests"), QString::number(a.health.usageCount)},
        {tr("Errors in a row"), QString::number(a.health.errorCount)},
        {tr("Created"), time(a.createdAt)},
        {tr("Updated"), time(a.updatedAt)},
    };
    QList<QStringList> rows;
    for (const auto &[label, value] : fields)
        rows << QStringList {label + u':', value};
    out.table({}, rows);
}
