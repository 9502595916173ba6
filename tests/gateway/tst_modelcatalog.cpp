// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateway/modelcatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Account openAI(const QString &name, QList<ModelRule> rules, QStringList allowed = {})
{
    Account a;
    a.name = name;
    a.provider = ProviderKind::OpenAI;
    a.modelMapping = ModelMapping(std::move(rules));
    a.allowedModels = std::move(allowed);
    return a;
}

} // namespace

class TestModelCatalog : public QObject
{
    Q_OBJECT

private slots:
    void defaultRuleServesEveryClaudeModel()
    {
        const QStringList ids = ModelCatalog::modelsFor({openAI(u"a"_s, {{u"*"_s, u"gpt"_s}})});
        QCOMPARE(ids, ModelCatalog::claudeModels());
    }
    void wildcardsAndExactNames()
    {
        const QStringList ids = ModelCatalog::modelsFor(
            {openAI(u"a"_s, {{u"claude-haiku-*"_s, u"small"_s}, {u"fast"_s, u"small"_s}})});
        QVERIFY(ids.contains(u"claude-haiku-4-5"_s));
        QVERIFY(!ids.contains(u"claude-sonnet-4-5"_s));
        QCOMPARE(ids.last(), u"fast"_s); // extra names after the Claude ones
    }
    void allowedModelsAndDisabledAccountsFilter()
    {
        Account disabled = openAI(u"off"_s, {{u"*"_s, u"gpt"_s}});
        disabled.enabled = false;
        const QStringList ids = ModelCatalog::modelsFor(
            {disabled, openAI(u"a"_s, {{u"*"_s, u"gpt"_s}}, {u"claude-opus-*"_s})});
        QVERIFY(!ids.isEmpty());
        for (const QString &id : ids)
            QVERIFY2(id.startsWith(u"claude-opus-"_s), qPrintable(id));
    }
    void listJsonHasTheAnthropicShape()
    {
        const QJsonObject list
            = QJsonDocument::fromJson(ModelCatalog::listJson({u"claude-sonnet-4-5-20250929"_s}))
                  .object();
        const QJsonObject model = list[u"data"_s][0].toObject();
        QCOMPARE(model[u"type"_s].toString(), u"model"_s);
        QCOMPARE(model[u"display_name"_s].toString(), u"Claude Sonnet 4.5"_s);
        QCOMPARE(model[u"created_at"_s].toString(), u"2025-09-29T00:00:00Z"_s);
        QCOMPARE(list[u"has_more"_s].toBool(), false);
        QCOMPARE(list[u"first_id"_s].toString(), u"claude-sonnet-4-5-20250929"_s);
    }
};

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "tst_modelcatalog.moc"
