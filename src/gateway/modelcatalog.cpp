// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelcatalog.h"

#include "gateway/router.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

bool isPattern(const QString &name)
{
    return name.contains(u'*') || name.contains(u'?');
}

// Display names follow Anthropic's: "claude-sonnet-4-5-20250929" -> "Claude Sonnet 4.5".
QString displayName(const QString &id)
{
    QStringList words;
    QStringList numbers;
    for (const QString &part : id.split(u'-')) {
        bool isNumber = false;
        const int value = part.toInt(&isNumber);
        if (isNumber && part.size() < 8)
            numbers << QString::number(value);
        else if (!isNumber)
            words << part.left(1).toUpper() + part.mid(1);
    }
    return (words + QStringList {numbers.join(u'.')}).join(u' ').trimmed();
}

// Model ids end in their release date: "…-20250929" -> "2025-09-29T00:00:00Z".
QString createdAt(const QString &id)
{
    const QDate date = QDate::fromString(id.section(u'-', -1), u"yyyyMMdd"_s);
    return (date.isValid() ? date : QDate(2025, 1, 1)).startOfDay(Qt::UTC).toString(Qt::ISODate);
}

} // namespace

namespace ModelCatalog {

const QStringList &claudeModels()
{
    // Aliases too: Claude Code asks for them as often as for dated ids.
    static const QStringList models = {
        u"claude-opus-4-6"_s,
        u"claude-sonnet-4-6"_s,
        u"claude-opus-4-5-20251101"_s,
        u"claude-opus-4-5"_s,
        u"claude-opus-4-1-20250805"_s,
        u"claude-opus-4-1"_s,
        u"claude-sonnet-4-5-20250929"_s,
        u"claude-sonnet-4-5"_s,
        u"claude-haiku-4-5-20251001"_s,
        u"claude-haiku-4-5"_s,
        u"claude-opus-4-20250514"_s,
        u"claude-sonnet-4-20250514"_s,
        u"claude-3-7-sonnet-20250219"_s,
        u"claude-3-5-haiku-20241022"_s,
    };
    return models;
}

QStringList modelsFor(const QList<Account> &accounts)
{
    QStringList known;
    QStringList extra;
    for (const Account &account : accounts) {
        if (!account.enabled)
            continue;
        const QList<ModelRule> &rules = account.modelMapping.rules();
        for (const QString &model : claudeModels()) {
            const bool mapped = rules.isEmpty()
                || std::any_of(rules.cbegin(), rules.cend(), [&model](const ModelRule &rule) {
                                    return globMatch(rule.pattern, model);
                                });
            if (mapped && Router::servesModel(account, model) && !known.contains(model))
                known << model;
        }
        for (const ModelRule &rule : rules) {
            if (!isPattern(rule.pattern) && !claudeModels().contains(rule.pattern)
                && Router::servesModel(account, rule.pattern) && !extra.contains(rule.pattern))
                extra << rule.pattern;
        }
    }
    QStringList ordered;
    for (const QString &model : claudeModels()) {
        if (known.contains(model))
            ordered << model;
    }
    return ordered + extra;
}

QByteArray listJson(const QStringList &ids)
{
    QJsonArray data;
    for (const QString &id : ids) {
        data.append(QJsonObject {{u"type"_s, u"model"_s},
                                 {u"id"_s, id},
                                 {u"display_name"_s, displayName(id)},
                                 {u"created_at"_s, createdAt(id)}});
    }
    return QJsonDocument(QJsonObject {{u"data"_s, data},
                                      {u"has_more"_s, false},
                                      {u"first_id"_s, ids.isEmpty() ? QJsonValue() : ids.first()},
                                      {u"last_id"_s, ids.isEmpty() ? QJsonValue() : ids.last()}})
        .toJson(QJsonDocument::Compact);
}

} // namespace ModelCatalog
