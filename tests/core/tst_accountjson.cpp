// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/accountjson.h"
#include "support/testprinters.h"

#include <QJsonDocument>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

namespace {

QDateTime utc(int day, int hour, int minute, int ms = 0)
{
    return QDateTime(QDate(2025, 3, day), QTime(hour, minute, 0, ms), QTimeZone::utc());
}

/// An account with every editable field away from its default.
Account fullAccount()
{
    Account a;
    a.id = QUuid::fromString(u"0b6c5e3c-2f51-4f0e-9a38-3d2a8a1c7e11"_s);
    a.name = u"Team OpenAI"_s;
    a.provider = ProviderKind::OpenAI;
    a.baseUrl = QUrl(u"https://proxy.example/openai/v1"_s);
    a.authStyle = AuthStyle::XApiKey;
    a.tier = 2;
    a.priority = -7;
    a.weight = 40;
    a.enabled = false;
    a.allowedModels = { u"claude-opus-4"_s, u"claude-sonnet-4"_s };
    a.modelMapping
        = ModelMapping({ { u"claude-opus-*"_s, u"gpt-4o"_s }, { u"*"_s, u"gpt-4o-mini"_s } });
    // JSON objects keep their keys sorted, so the headers are given in that order.
    a.extraHeaders = { { u"OpenAI-Organization"_s, u"org-1"_s }, { u"X-Trace"_s, u"on"_s } };
    a.notes = u"Shared with the \"platform\" team\nline two"_s;
    a.createdAt = utc(1, 10, 0, 123);
    a.updatedAt = utc(2, 11, 30, 456);
    a.health.state = HealthState::Invalid;
    a.health.reason = u"401 from upstream"_s;
    a.health.lastValidated = utc(3, 8, 0);
    a.health.usageCount = 12;
    a.health.errorCount = 2;
    return a;
}

void compareEditable(const Account &actual, const Account &expected)
{
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.provider, expected.provider);
    QCOMPARE(actual.baseUrl, expected.baseUrl);
    QCOMPARE(actual.authStyle, expected.authStyle);
    QCOMPARE(actual.tier, expected.tier);
    QCOMPARE(actual.priority, expected.priority);
    QCOMPARE(actual.weight, expected.weight);
    QCOMPARE(actual.enabled, expected.enabled);
    QCOMPARE(actual.allowedModels, expected.allowedModels);
    QCOMPARE(actual.modelMapping, expected.modelMapping);
    QCOMPARE(actual.extraHeaders, expected.extraHeaders);
    QCOMPARE(actual.notes, expected.notes);
}

QJsonObject parse(const char *json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    Q_ASSERT_X(doc.isObject(), "parse", "test JSON must be an object");
    return doc.object();
}

} // namespace

class TestAccountJson : public QObject
{
    Q_OBJECT

private slots:
    void toJsonFields();
    void toJsonNeverHoldsASecret();
    void roundTripIntoNewAccount();
    void roundTripOntoItself();
    void healthAndTimesNotTakenFromInput();
    void unknownFieldRefused();
    void wrongTypes_data();
    void wrongTypes();
    void invalidValues_data();
    void invalidValues();
    void defaultsForNewAccount_data();
    void defaultsForNewAccount();
    void patchKeepsUnspecifiedFields();
    void providerChangeResetsDefaultAuth();
    void patchedListsReplaceOldOnes();
    void timeToJson();
};

void TestAccountJson::toJsonFields()
{
    const QJsonObject json = AccountJson::toJson(fullAccount());
    QCOMPARE(json.value(u"id").toString(), u"0b6c5e3c-2f51-4f0e-9a38-3d2a8a1c7e11"_s);
    QCOMPARE(json.value(u"provider").toString(), u"openai"_s);
    QCOMPARE(json.value(u"auth").toString(), u"x-api-key"_s);
    QCOMPARE(json.value(u"base_url").toString(), u"https://proxy.example/openai/v1"_s);
    QCOMPARE(json.value(u"tier").toInt(), 2);
    QCOMPARE(json.value(u"priority").toInt(), -7);
    QCOMPARE(json.value(u"enabled").toBool(true), false);
    QCOMPARE(json.value(u"models").toArray().size(), 2);
    QCOMPARE(json.value(u"model_map").toArray().first().toObject().value(u"target").toString(),
             u"gpt-4o"_s);
    QCOMPARE(json.value(u"extra_headers").toObject().value(u"X-Trace").toString(), u"on"_s);
    QCOMPARE(json.value(u"created_at").toString(), u"2025-03-01T10:00:00.123Z"_s);
    const QJsonObject health = json.value(u"health").toObject();
    QCOMPARE(health.value(u"state").toString(), u"invalid"_s);
    QCOMPARE(health.value(u"usage_count").toInteger(), 12);
    QCOMPARE(health.value(u"error_count").toInt(), 2);
    QVERIFY(health.value(u"last_used").isNull());
    QVERIFY(health.value(u"cooldown_until").isNull());
}

void TestAccountJson::toJsonNeverHoldsASecret()
{
    const QJsonObject json = AccountJson::toJson(fullAccount());
    QVERIFY(!json.contains(u"secret"));
    QVERIFY(!json.contains(u"api_key"));
    // "secret" is accepted on input (import files may carry it) but never stored in the row.
    auto applied = AccountJson::apply(parse(R"({"secret": "sk-ant-xyz"})"), fullAccount());
    QVERIFY2(applied, qPrintable(errorMessage(applied)));
    QCOMPARE(*applied, fullAccount());
}

void TestAccountJson::roundTripIntoNewAccount()
{
    const Account original = fullAccount();
    const auto copy = AccountJson::apply(AccountJson::toJson(original), Account());
    QVERIFY2(copy, qPrintable(errorMessage(copy)));
    compareEditable(*copy, original);
}

void TestAccountJson::roundTripOntoItself()
{
    const Account original = fullAccount();
    const auto copy = AccountJson::apply(AccountJson::toJson(original), original);
    QVERIFY2(copy, qPrintable(errorMessage(copy)));
    QCOMPARE(*copy, original);
}

void TestAccountJson::healthAndTimesNotTakenFromInput()
{
    const Account base = fullAccount();
    const QJsonObject json = parse(R"({
        "id": "11111111-2222-3333-4444-555555555555",
        "created_at": "2000-01-01T00:00:00.000Z",
        "updated_at": "2000-01-01T00:00:00.000Z",
        "health": {"state": "valid", "usage_count": 999, "error_count": 0}
    })");
    const auto applied = AccountJson::apply(json, base);
    QVERIFY2(applied, qPrintable(errorMessage(applied)));
    QCOMPARE(applied->id, base.id);
    QCOMPARE(applied->createdAt, base.createdAt);
    QCOMPARE(applied->updatedAt, base.updatedAt);
    QCOMPARE(applied->health, base.health);
}

void TestAccountJson::unknownFieldRefused()
{
    const auto applied = AccountJson::apply(parse(R"({"name": "A", "nmae": "B"})"), fullAccount());
    QVERIFY(!applied);
    QCOMPARE(applied.error().kind, Error::Kind::Invalid);
    QVERIFY2(applied.error().message.contains(u"\"nmae\""), qPrintable(applied.error().message));
}

void TestAccountJson::wrongTypes_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");

    QTest::newRow("name number") << R"({"name": 5})"_ba << u"name"_s;
    QTest::newRow("name null") << R"({"name": null})"_ba << u"name"_s;
    QTest::newRow("provider bool") << R"({"provider": true})"_ba << u"provider"_s;
    QTest::newRow("auth array") << R"({"auth": ["bearer"]})"_ba << u"auth"_s;
    QTest::newRow("base_url number") << R"({"base_url": 1})"_ba << u"base_url"_s;
    QTest::newRow("notes object") << R"({"notes": {}})"_ba << u"notes"_s;
    QTest::newRow("tier string") << R"({"tier": "1"})"_ba << u"tier"_s;
    QTest::newRow("tier fraction") << R"({"tier": 1.5})"_ba << u"tier"_s;
    QTest::newRow("priority bool") << R"({"priority": false})"_ba << u"priority"_s;
    QTest::newRow("weight huge") << R"({"weight": 1e12})"_ba << u"weight"_s;
    QTest::newRow("enabled string") << R"({"enabled": "yes"})"_ba << u"enabled"_s;
    QTest::newRow("enabled number") << R"({"enabled": 1})"_ba << u"enabled"_s;
    QTest::newRow("models string") << R"({"models": "claude"})"_ba << u"models"_s;
    QTest::newRow("models numbers") << R"({"models": [1, 2]})"_ba << u"models"_s;
    QTest::newRow("model_map object") << R"({"model_map": {"a": "b"}})"_ba << u"model_map"_s;
    QTest::newRow("model_map strings") << R"({"model_map": ["a=b"]})"_ba << u"model_map"_s;
    QTest::newRow("model_map no target")
        << R"({"model_map": [{"pattern": "a"}]})"_ba << u"model_map"_s;
    QTest::newRow("extra_headers array")
        << R"({"extra_headers": ["X-A: b"]})"_ba << u"extra_headers"_s;
    QTest::newRow("header value number")
        << R"({"extra_headers": {"X-Count": 3}})"_ba << u"X-Count"_s;
}

void TestAccountJson::wrongTypes()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const auto applied = AccountJson::apply(QJsonDocument::fromJson(json).object(), fullAccount());
    QVERIFY(!applied);
    QCOMPARE(applied.error().kind, Error::Kind::Invalid);
    QVERIFY2(applied.error().message.contains(field), qPrintable(applied.error().message));
}

void TestAccountJson::invalidValues_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("provider") << R"({"provider": "mistral"})"_ba << u"mistral"_s;
    QTest::newRow("auth") << R"({"auth": "basic"})"_ba << u"basic"_s;
    QTest::newRow("base_url") << R"({"base_url": "ftp://example.com"})"_ba << u"Base URL"_s;
    QTest::newRow("tier") << R"({"tier": 0})"_ba << u"Tier"_s;
    QTest::newRow("weight") << R"({"weight": 1001})"_ba << u"Weight"_s;
    QTest::newRow("name") << R"({"name": ""})"_ba << u"name"_s;
    QTest::newRow("header") << R"({"extra_headers": {"Authorization": "x"}})"_ba
                            << u"Authorization"_s;
    QTest::newRow("model") << R"({"models": ["a b"]})"_ba << u"a b"_s;
}

void TestAccountJson::invalidValues()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, messagePart);
    const auto applied = AccountJson::apply(QJsonDocument::fromJson(json).object(), fullAccount());
    QVERIFY(!applied);
    QCOMPARE(applied.error().kind, Error::Kind::Invalid);
    QVERIFY2(applied.error().message.contains(messagePart), qPrintable(applied.error().message));
}

void TestAccountJson::defaultsForNewAccount_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<ProviderKind>("provider");
    QTest::addColumn<AuthStyle>("auth");
    QTest::addColumn<QString>("baseUrl");

    QTest::newRow("anthropic implied") << R"({"name": "A"})"_ba << ProviderKind::Anthropic
                                       << AuthStyle::XApiKey << u"https://api.anthropic.com"_s;
    QTest::newRow("openai") << R"({"name": "A", "provider": "openai"})"_ba << ProviderKind::OpenAI
                            << AuthStyle::Bearer << u"https://api.openai.com/v1"_s;
    QTest::newRow("openai upper case")
        << R"({"name": "A", "provider": "OpenAI"})"_ba << ProviderKind::OpenAI << AuthStyle::Bearer
        << u"https://api.openai.com/v1"_s;
    QTest::newRow("anthropic with bearer")
        << R"({"name": "A", "provider": "anthropic", "auth": "bearer"})"_ba
        << ProviderKind::Anthropic << AuthStyle::Bearer << u"https://api.anthropic.com"_s;
    QTest::newRow("own url normalised")
        << R"({"name": "A", "base_url": "https://proxy.example/v1/"})"_ba << ProviderKind::Anthropic
        << AuthStyle::XApiKey << u"https://proxy.example"_s;
}

void TestAccountJson::defaultsForNewAccount()
{
    QFETCH(QByteArray, json);
    QFETCH(ProviderKind, provider);
    QFETCH(AuthStyle, auth);
    QFETCH(QString, baseUrl);

    const auto a = AccountJson::apply(QJsonDocument::fromJson(json).object(), Account());
    QVERIFY2(a, qPrintable(errorMessage(a)));
    QCOMPARE(a->provider, provider);
    QCOMPARE(a->authStyle, auth);
    QCOMPARE(a->baseUrl.toString(), baseUrl);
    const Account defaults;
    QCOMPARE(a->tier, defaults.tier);
    QCOMPARE(a->priority, defaults.priority);
    QCOMPARE(a->weight, defaults.weight);
    QCOMPARE(a->enabled, true);
    QVERIFY(a->allowedModels.isEmpty());
    QVERIFY(a->modelMapping.isEmpty());
    QVERIFY(a->extraHeaders.isEmpty());
}

void TestAccountJson::patchKeepsUnspecifiedFields()
{
    const Account base = fullAccount();
    const auto patched = AccountJson::apply(parse(R"({"priority": 5, "notes": ""})"), base);
    QVERIFY2(patched, qPrintable(errorMessage(patched)));
    Account expected = base;
    expected.priority = 5;
    expected.notes.clear();
    QCOMPARE(*patched, expected);

    const auto untouched = AccountJson::apply(QJsonObject(), base);
    QVERIFY(untouched);
    QCOMPARE(*untouched, base);
}

void TestAccountJson::providerChangeResetsDefaultAuth()
{
    Account base = fullAccount();
    base.provider = ProviderKind::Anthropic;
    base.authStyle = AuthStyle::XApiKey;
    base.baseUrl = QUrl(u"https://gateway.example"_s);

    auto patched = AccountJson::apply(parse(R"({"provider": "openai"})"), base);
    QVERIFY2(patched, qPrintable(errorMessage(patched)));
    QCOMPARE(patched->provider, ProviderKind::OpenAI);
    QCOMPARE(patched->authStyle, AuthStyle::Bearer);
    QCOMPARE(patched->baseUrl, base.baseUrl); // a custom URL stays

    patched = AccountJson::apply(parse(R"({"provider": "openai", "auth": "x-api-key"})"), base);
    QVERIFY(patched);
    QCOMPARE(patched->authStyle, AuthStyle::XApiKey);
}

void TestAccountJson::patchedListsReplaceOldOnes()
{
    const auto patched = AccountJson::apply(
        parse(R"({"models": [], "model_map": [], "extra_headers": {}})"), fullAccount());
    QVERIFY(patched);
    QVERIFY(patched->allowedModels.isEmpty());
    QVERIFY(patched->modelMapping.isEmpty());
    QVERIFY(patched->extraHeaders.isEmpty());
    QCOMPARE(patched->name, fullAccount().name);
}

void TestAccountJson::timeToJson()
{
    QVERIFY(AccountJson::timeToJson(QDateTime()).isNull());
    QCOMPARE(AccountJson::timeToJson(utc(9, 23, 59, 7)).toString(), u"2025-03-09T23:59:00.007Z"_s);
    // A local time is written as UTC.
    const QDateTime plusTwo(QDate(2025, 3, 9), QTime(12, 0), QTimeZone(2 * 3600));
    QCOMPARE(AccountJson::timeToJson(plusTwo).toString(), u"2025-03-09T10:00:00.000Z"_s);
}

QTEST_GUILESS_MAIN(TestAccountJson)
#include "tst_accountjson.moc"
