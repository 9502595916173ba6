// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/accountrules.h"
#include "support/testprinters.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Account validAccount()
{
    Account a;
    a.id = QUuid::createUuid();
    a.name = u"Main"_s;
    a.baseUrl = QUrl(u"https://api.anthropic.com"_s);
    return a;
}

} // namespace

class TestAccountRules : public QObject
{
    Q_OBJECT

private slots:
    void parseBaseUrl_data();
    void parseBaseUrl();
    void refusesBaseUrl_data();
    void refusesBaseUrl();
    void checkName_data();
    void checkName();
    void checkHeader_data();
    void checkHeader();
    void parseHeader_data();
    void parseHeader();
    void checkModelName_data();
    void checkModelName();
    void ranges_data();
    void ranges();
    void checkFindsEveryField_data();
    void checkFindsEveryField();
};

void TestAccountRules::parseBaseUrl_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<ProviderKind>("provider");
    QTest::addColumn<QString>("expected");

    const auto A = ProviderKind::Anthropic;
    const auto O = ProviderKind::OpenAI;
    QTest::newRow("anthropic plain")
        << u"https://api.anthropic.com"_s << A << u"https://api.anthropic.com"_s;
    QTest::newRow("trailing slash")
        << u"https://api.anthropic.com/"_s << A << u"https://api.anthropic.com"_s;
    QTest::newRow("many slashes") << u"https://api.anthropic.com///"_s << A
                                  << u"https://api.anthropic.com"_s;
    QTest::newRow("anthropic v1 stripped")
        << u"https://api.anthropic.com/v1"_s << A << u"https://api.anthropic.com"_s;
    QTest::newRow("anthropic v1/ stripped")
        << u"https://api.anthropic.com/v1/"_s << A << u"https://api.anthropic.com"_s;
    QTest::newRow("anthropic proxy path")
        << u"https://proxy.example/anthropic/v1"_s << A << u"https://proxy.example/anthropic"_s;
    QTest::newRow("anthropic v10 kept")
        << u"https://proxy.example/v10"_s << A << u"https://proxy.example/v10"_s;
    QTest::newRow("openai v1 kept")
        << u"https://api.openai.com/v1"_s << O << u"https://api.openai.com/v1"_s;
    QTest::newRow("openai v1/ kept")
        << u"https://api.openai.com/v1/"_s << O << u"https://api.openai.com/v1"_s;
    QTest::newRow("spaces around")
        << u"  http://127.0.0.1:8080/  "_s << O << u"http://127.0.0.1:8080"_s;
    QTest::newRow("scheme and host lowercased")
        << u"HTTPS://API.Example.COM/Path"_s << O << u"https://api.example.com/Path"_s;
    QTest::newRow("ipv6") << u"http://[::1]:9000/v1"_s << A << u"http://[::1]:9000"_s;
}

void TestAccountRules::parseBaseUrl()
{
    QFETCH(QString, text);
    QFETCH(ProviderKind, provider);
    QFETCH(QString, expected);
    const auto url = AccountRules::parseBaseUrl(text, provider);
    QVERIFY2(url, qPrintable(errorMessage(url)));
    QCOMPARE(url->toString(), expected);
}

void TestAccountRules::refusesBaseUrl_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("empty") << QString() << u"http"_s;
    QTest::newRow("ftp") << u"ftp://example.com"_s << u"http"_s;
    QTest::newRow("file") << u"file:///etc/passwd"_s << u"http"_s;
    QTest::newRow("no scheme") << u"api.anthropic.com"_s << u"http"_s;
    QTest::newRow("no host") << u"https://"_s << u"http"_s;
    QTest::newRow("no host path") << u"https:///v1"_s << u"http"_s;
    QTest::newRow("user and password") << u"https://user:pass@api.example.com"_s << u"password"_s;
    QTest::newRow("user only") << u"https://user@api.example.com"_s << u"user name"_s;
    QTest::newRow("query") << u"https://api.example.com/v1?key=abc"_s << u"query"_s;
    QTest::newRow("empty query") << u"https://api.example.com/?"_s << u"query"_s;
    QTest::newRow("fragment") << u"https://api.example.com/#top"_s << u"fragment"_s;
}

void TestAccountRules::refusesBaseUrl()
{
    QFETCH(QString, text);
    QFETCH(QString, messagePart);
    for (ProviderKind provider : { ProviderKind::Anthropic, ProviderKind::OpenAI }) {
        const auto url = AccountRules::parseBaseUrl(text, provider);
        QVERIFY2(!url, qPrintable(url.ok() ? url->toString() : QString()));
        QCOMPARE(url.error().kind, Error::Kind::Invalid);
        QVERIFY2(url.error().message.contains(messagePart), qPrintable(url.error().message));
        QVERIFY2(!url.error().message.contains(u"pass@"), "the message repeats the credentials");
    }
}

void TestAccountRules::checkName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("simple") << u"Main"_s << true;
    QTest::newRow("inner spaces") << u"Team account 2"_s << true;
    QTest::newRow("unicode") << u"Compte été ☕"_s << true;
    QTest::newRow("max length") << QString(AccountLimits::maxNameLength, u'x') << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("blank") << u"   "_s << false;
    QTest::newRow("leading space") << u" Main"_s << false;
    QTest::newRow("trailing space") << u"Main "_s << false;
    QTest::newRow("trailing newline") << u"Main\n"_s << false;
    QTest::newRow("too long") << QString(AccountLimits::maxNameLength + 1, u'x') << false;
    QTest::newRow("tab inside") << u"Ma\tin"_s << false;
    QTest::newRow("newline inside") << u"Ma\nin"_s << false;
    QTest::newRow("escape inside") << u"Ma\x1bin"_s << false;
    QTest::newRow("delete inside") << u"Ma\x7fin"_s << false;
}

void TestAccountRules::checkName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const Status s = AccountRules::checkName(name);
    QCOMPARE(s.ok(), valid);
    if (!valid) {
        QCOMPARE(s.error().kind, Error::Kind::Invalid);
        QVERIFY2(s.error().message.contains(u"name", Qt::CaseInsensitive),
                 qPrintable(s.error().message));
    }
}

void TestAccountRules::checkHeader_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");

    QTest::newRow("custom") << u"X-Custom"_s << u"value 1"_s << true;
    QTest::newRow("anthropic-beta") << u"anthropic-beta"_s << u"tools-2024"_s << true;
    QTest::newRow("empty value") << u"X-Empty"_s << QString() << true;
    QTest::newRow("authorization") << u"Authorization"_s << u"Bearer x"_s << false;
    QTest::newRow("authorization upper") << u"AUTHORIZATION"_s << u"x"_s << false;
    QTest::newRow("x-api-key") << u"X-Api-Key"_s << u"x"_s << false;
    QTest::newRow("host") << u"host"_s << u"evil.example"_s << false;
    QTest::newRow("content-length") << u"Content-Length"_s << u"5"_s << false;
    QTest::newRow("transfer-encoding") << u"Transfer-Encoding"_s << u"chunked"_s << false;
    QTest::newRow("connection") << u"Connection"_s << u"close"_s << false;
    QTest::newRow("empty name") << QString() << u"x"_s << false;
    QTest::newRow("space in name") << u"X Custom"_s << u"x"_s << false;
    QTest::newRow("colon in name") << u"X:Custom"_s << u"x"_s << false;
    QTest::newRow("non-ascii name") << u"X-Café"_s << u"x"_s << false;
    QTest::newRow("CR LF in value") << u"X-Custom"_s << u"a\r\nInjected: yes"_s << false;
    QTest::newRow("LF in value") << u"X-Custom"_s << u"a\nb"_s << false;
    QTest::newRow("CR in value") << u"X-Custom"_s << u"a\rb"_s << false;
    QTest::newRow("CR LF in name") << u"X-Custom\r\n"_s << u"a"_s << false;
}

void TestAccountRules::checkHeader()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const Status s = AccountRules::checkHeader(name, value);
    QCOMPARE(s.ok(), valid);
    if (!valid) {
        QCOMPARE(s.error().kind, Error::Kind::Invalid);
        QVERIFY(s.error().message.contains(u"eader"));
    }
}

void TestAccountRules::parseHeader_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");

    QTest::newRow("simple") << u"X-Trace: abc"_s << true << u"X-Trace"_s << u"abc"_s;
    QTest::newRow("no space") << u"X-Trace:abc"_s << true << u"X-Trace"_s << u"abc"_s;
    QTest::newRow("colon in value") << u"X-Time: 12:30"_s << true << u"X-Time"_s << u"12:30"_s;
    QTest::newRow("trimmed") << u"  X-A  :  b  "_s << true << u"X-A"_s << u"b"_s;
    QTest::newRow("empty value") << u"X-A:"_s << true << u"X-A"_s << QString();
    QTest::newRow("no colon") << u"X-Trace abc"_s << false << QString() << QString();
    QTest::newRow("no name") << u": abc"_s << false << QString() << QString();
    QTest::newRow("reserved") << u"Authorization: Bearer x"_s << false << QString() << QString();
}

void TestAccountRules::parseHeader()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(QString, name);
    QFETCH(QString, value);
    const auto header = AccountRules::parseHeader(text);
    QCOMPARE(header.ok(), valid);
    if (valid) {
        QCOMPARE(header->first, name);
        QCOMPARE(header->second, value);
    } else {
        QCOMPARE(header.error().kind, Error::Kind::Invalid);
    }
}

void TestAccountRules::checkModelName_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("valid");
    QTest::newRow("claude") << u"claude-3-5-sonnet-20241022"_s << true;
    QTest::newRow("with slash") << u"openai/gpt-4o"_s << true;
    QTest::newRow("wildcard") << u"claude-*"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << u"gpt 4"_s << false;
    QTest::newRow("tab") << u"gpt\t4"_s << false;
}

void TestAccountRules::checkModelName()
{
    QFETCH(QString, model);
    QFETCH(bool, valid);
    QCOMPARE(AccountRules::checkModelName(model).ok(), valid);
}

void TestAccountRules::ranges_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<int>("value");
    QTest::addColumn<bool>("valid");

    using namespace AccountLimits;
    QTest::newRow("tier min-1") << u"Tier"_s << minTier - 1 << false;
    QTest::newRow("tier min") << u"Tier"_s << minTier << true;
    QTest::newRow("tier max") << u"Tier"_s << maxTier << true;
    QTest::newRow("tier max+1") << u"Tier"_s << maxTier + 1 << false;
    QTest::newRow("priority min-1") << u"Priority"_s << minPriority - 1 << false;
    QTest::newRow("priority min") << u"Priority"_s << minPriority << true;
    QTest::newRow("priority 0") << u"Priority"_s << 0 << true;
    QTest::newRow("priority max") << u"Priority"_s << maxPriority << true;
    QTest::newRow("priority max+1") << u"Priority"_s << maxPriority + 1 << false;
    QTest::newRow("weight 0") << u"Weight"_s << 0 << false;
    QTest::newRow("weight min") << u"Weight"_s << minWeight << true;
    QTest::newRow("weight max") << u"Weight"_s << maxWeight << true;
    QTest::newRow("weight max+1") << u"Weight"_s << maxWeight + 1 << false;
    QTest::newRow("weight negative") << u"Weight"_s << -5 << false;
}

void TestAccountRules::ranges()
{
    QFETCH(QString, field);
    QFETCH(int, value);
    QFETCH(bool, valid);

    Account a = validAccount();
    if (field == u"Tier")
        a.tier = value;
    else if (field == u"Priority")
        a.priority = value;
    else
        a.weight = value;
    const Status s = AccountRules::check(a);
    QCOMPARE(s.ok(), valid);
    if (!valid) {
        QCOMPARE(s.error().kind, Error::Kind::Invalid);
        // Names the field, the allowed range and what was given; the value is never clamped.
        QVERIFY2(s.error().message.startsWith(field), qPrintable(s.error().message));
        QVERIFY2(s.error().message.contains(QString::number(value)), qPrintable(s.error().message));
    }
}

void TestAccountRules::checkFindsEveryField_data()
{
    QTest::addColumn<Account>("account");
    QTest::addColumn<QString>("messagePart");

    Account a = validAccount();
    a.name = u" Main"_s;
    QTest::newRow("name") << a << u"name"_s;
    a = validAccount();
    a.baseUrl = QUrl(u"ftp://example.com"_s);
    QTest::newRow("base url") << a << u"Base URL"_s;
    a = validAccount();
    a.allowedModels = { u"claude-3"_s, u"bad model"_s };
    QTest::newRow("allowed model") << a << u"bad model"_s;
    a = validAccount();
    a.modelMapping = ModelMapping({ { u"claude-*"_s, u"gpt 4"_s } });
    QTest::newRow("mapping target") << a << u"gpt 4"_s;
    a = validAccount();
    a.modelMapping = ModelMapping({ { QString(), u"gpt-4"_s } });
    QTest::newRow("mapping pattern") << a << u"Model name"_s;
    a = validAccount();
    a.extraHeaders = { { u"X-Ok"_s, u"1"_s }, { u"Host"_s, u"x"_s } };
    QTest::newRow("header") << a << u"Host"_s;
}

void TestAccountRules::checkFindsEveryField()
{
    QFETCH(Account, account);
    QFETCH(QString, messagePart);
    QVERIFY(AccountRules::check(validAccount()));
    const Status s = AccountRules::check(account);
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Invalid);
    QVERIFY2(s.error().message.contains(messagePart), qPrintable(s.error().message));
}

QTEST_GUILESS_MAIN(TestAccountRules)
#include "tst_accountrules.moc"
