// SPDX-License-Identifier: GPL-3.0-or-later
//
// The account forms' rules without widgets (and without a display): which message each
// field shows and in which tone, when the form can be saved, and the account it describes.
#include "core/providerpreset.h"
#include "gui/accounts/accountform.h"

#include <QTest>

using namespace Qt::StringLiterals;
using Fields = AccountForm::Fields;
using Message = AccountForm::Message;

namespace {

const ProviderPreset &preset(const char *id)
{
    const ProviderPreset *p = ProviderPreset::byId(QString::fromLatin1(id));
    if (!p)
        qFatal("no preset %s", id);
    return *p;
}

/// A form that can be saved: every field filled in as a user would.
Fields filled()
{
    Fields f;
    f.name = u"work"_s;
    f.baseUrl = u"https://api.anthropic.com"_s;
    f.secret = u"sk-ant-test-0001"_s;
    f.nameTouched = f.baseUrlTouched = f.secretTouched = true;
    return f;
}

Account account(const QString &name)
{
    Account a;
    a.id = QUuid::createUuid();
    a.name = name;
    a.baseUrl = QUrl(u"https://api.anthropic.com"_s);
    return a;
}

AccountForm::Verdict check(const Fields &fields, const char *presetId = "anthropic",
                           const Account *existing = nullptr, const QList<Account> &accounts = {})
{
    return AccountForm::check(fields, preset(presetId), existing, accounts);
}

} // namespace

class TestAccountForm : public QObject
{
    Q_OBJECT

private slots:
    void aFreshFormShowsHintsNotErrorsAndCannotBeSaved();
    void emptyFieldsTypedIntoShowErrors();
    void aFilledFormCanBeSavedAndTested();
    void aNameAnotherAccountHasIsRefused();
    void theBaseUrlIsCheckedAndNormalised();
    void theKeyIsOptionalForLocalServersAndWhenEditing();
    void modelsMappingAndHeadersAreCheckedOnTheirTab();
    void openAiAccountsAreToldToMapTheDefault();
    void rangesGetTheCoresLastWord();
    void theDraftKeepsWhatTheFormDoesNotShow();
};

void TestAccountForm::aFreshFormShowsHintsNotErrorsAndCannotBeSaved()
{
    const AccountForm::Verdict v = check(Fields(), "other-anthropic");
    QCOMPARE(v.name, Message());
    QCOMPARE(v.baseUrl, (Message {u"Type the base URL your provider documents."_s, false}));
    QCOMPARE(v.secret, (Message {u"Paste the API key from the provider's console."_s, false}));
    QCOMPARE(v.firstProblem, u"Account name must not be empty."_s);
    QVERIFY(!v.generalOk);
    QVERIFY(v.modelsOk);
    QVERIFY(!v.testable);
}

void TestAccountForm::emptyFieldsTypedIntoShowErrors()
{
    Fields f;
    f.nameTouched = f.baseUrlTouched = f.secretTouched = true;
    const AccountForm::Verdict v = check(f);
    QCOMPARE(v.name, (Message {u"Account name must not be empty."_s}));
    QCOMPARE(v.baseUrl.text,
             u"Type the provider's base URL, for example https://api.example.com/v1."_s);
    QVERIFY(v.baseUrl.error);
    QVERIFY(v.secret.error);

    // Spaces in a fresh key field are a mistake, not a to-do.
    Fields fresh;
    fresh.secret = u" "_s;
    QVERIFY(check(fresh).secret.error);
}

void TestAccountForm::aFilledFormCanBeSavedAndTested()
{
    const AccountForm::Verdict v = check(filled());
    QCOMPARE(v.firstProblem, QString());
    QVERIFY(v.generalOk && v.modelsOk && v.testable);
    for (const Message &m : {v.name, v.baseUrl, v.secret, v.allowedModels, v.mapping, v.headers})
        QCOMPARE(m, Message());
    QCOMPARE(v.mappingHint, (Message {u"No rules: model names are sent unchanged."_s, false}));
    QCOMPARE(v.draft.name, u"work"_s);
    QCOMPARE(v.draft.baseUrl, QUrl(u"https://api.anthropic.com"_s));
}

void TestAccountForm::aNameAnotherAccountHasIsRefused()
{
    const Account taken = account(u"taken"_s);
    Fields f = filled();
    f.name = u"taken"_s;
    const AccountForm::Verdict clash = check(f, "anthropic", nullptr, {taken});
    QVERIFY2(clash.name.text.contains(u"already exists"_s), qPrintable(clash.name.text));
    QCOMPARE(clash.firstProblem, clash.name.text);
    // Editing that account keeps its own name.
    QCOMPARE(check(f, "anthropic", &taken, {taken}).firstProblem, QString());
    // The CLI's rules come first.
    f.name = u" taken"_s;
    QCOMPARE(AccountForm::nameProblem(f.name, {taken}),
             u"Account name must not start or end with spaces."_s);
}

void TestAccountForm::theBaseUrlIsCheckedAndNormalised()
{
    Fields f = filled();
    f.baseUrl = u"ftp://example.com"_s;
    AccountForm::Verdict v = check(f);
    QVERIFY2(v.baseUrl.text.contains(u"http"_s), qPrintable(v.baseUrl.text));
    QVERIFY(v.baseUrl.error);
    QVERIFY(!v.testable);
    f.baseUrl = u"http://user:pw@127.0.0.1:1"_s;
    QVERIFY(check(f).baseUrl.text.contains(u"user name"_s));

    // An Anthropic URL pasted with /v1 loses it; an OpenAI-compatible one keeps it.
    f.baseUrl = u" https://api.anthropic.com/v1/ "_s;
    QCOMPARE(check(f).draft.baseUrl, QUrl(u"https://api.anthropic.com"_s));
    f.baseUrl = u"https://api.openai.com/v1/"_s;
    QCOMPARE(check(f, "openai").draft.baseUrl, QUrl(u"https://api.openai.com/v1"_s));
    QVERIFY(check(f, "openai").draft.provider == ProviderKind::OpenAI);
}

void TestAccountForm::theKeyIsOptionalForLocalServersAndWhenEditing()
{
    Fields f = filled();
    f.secret = u"sk has spaces"_s;
    AccountForm::Verdict v = check(f);
    QVERIFY2(v.secret.text.contains(u"spaces"_s), qPrintable(v.secret.text));
    QVERIFY(v.secret.error);
    QVERIFY(!v.testable);

    f.secret.clear();
    f.baseUrl = u"http://127.0.0.1:11434/v1"_s;
    v = check(f, "ollama");
    QCOMPARE(v.firstProblem, QString());
    QVERIFY(v.secret.text.startsWith(u"Optional"_s));
    QVERIFY(!v.secret.error);

    // Editing: an empty key field keeps the stored key.
    f.baseUrl = u"https://api.anthropic.com"_s;
    const Account stored = account(u"work"_s);
    v = check(f, "anthropic", &stored, {stored});
    QCOMPARE(v.firstProblem, QString());
    QCOMPARE(v.secret, Message());
}

void TestAccountForm::modelsMappingAndHeadersAreCheckedOnTheirTab()
{
    Fields f = filled();
    f.allowedModels = u"claude-*, bad\u0001model"_s;
    AccountForm::Verdict v = check(f);
    QVERIFY(!v.allowedModels.text.isEmpty());
    QVERIFY(!v.modelsOk);
    QVERIFY(v.generalOk);
    QCOMPARE(v.firstProblem, v.allowedModels.text);

    f.allowedModels = u"claude-*  claude-haiku-4-5,"_s;
    f.mapping = {{u"claude-haiku-*"_s, u"small"_s}, {u"*"_s, u"has space"_s}};
    v = check(f);
    QCOMPARE(v.allowedModels, Message());
    QVERIFY2(v.mapping.text.startsWith(u"Rule 2: "_s), qPrintable(v.mapping.text));
    QCOMPARE(v.mappingHint, Message());

    f.mapping = {{u"*"_s, u"big"_s}};
    f.headers = u"x-team: core\n\n  bad header line  \n"_s;
    v = check(f);
    QCOMPARE(v.mapping, Message());
    QVERIFY2(v.headers.text.contains(u"bad header line"_s), qPrintable(v.headers.text));
    QCOMPARE(v.firstProblem, v.headers.text);

    f.headers = u"x-team: core\n\nx-other:  two words \n"_s;
    v = check(f);
    QCOMPARE(v.firstProblem, QString());
    QCOMPARE(v.draft.allowedModels, (QStringList {u"claude-*"_s, u"claude-haiku-4-5"_s}));
    QCOMPARE(v.draft.extraHeaders,
             (HeaderList {{u"x-team"_s, u"core"_s}, {u"x-other"_s, u"two words"_s}}));
    QCOMPARE(v.draft.modelMapping.rules(), f.mapping);
}

void TestAccountForm::openAiAccountsAreToldToMapTheDefault()
{
    Fields f = filled();
    f.baseUrl = u"https://api.openai.com/v1"_s;
    AccountForm::Verdict v = check(f, "openai");
    QVERIFY(v.mappingHint.text.contains(u"Add a rule for *"_s));
    QVERIFY(!v.mappingHint.error);
    QCOMPARE(v.firstProblem, QString()); // advice, not a problem
    f.mapping = {{u"*"_s, u"gpt-4.1"_s}};
    QCOMPARE(check(f, "openai").mappingHint, Message());
}

void TestAccountForm::rangesGetTheCoresLastWord()
{
    Fields f = filled();
    f.tier = AccountLimits::maxTier + 1;
    const AccountForm::Verdict v = check(f);
    QVERIFY2(v.firstProblem.startsWith(u"Tier must be between"_s), qPrintable(v.firstProblem));
    QVERIFY(v.generalOk); // no field shows it: the spin boxes keep values in range
}

void TestAccountForm::theDraftKeepsWhatTheFormDoesNotShow()
{
    Account stored = account(u"old"_s);
    stored.enabled = false;
    stored.health.state = HealthState::Invalid;
    Fields f = filled();
    f.name = u"renamed"_s;
    f.notes = u"  shared with the team \n"_s;
    f.authStyle = AuthStyle::Bearer;
    f.tier = 2;
    f.priority = 7;
    f.weight = 3;
    const Account draft = AccountForm::draft(f, ProviderKind::Anthropic, &stored);
    QCOMPARE(draft.id, stored.id);
    QCOMPARE(draft.enabled, false);
    QVERIFY(draft.health == stored.health);
    QCOMPARE(draft.name, u"renamed"_s);
    QCOMPARE(draft.notes, u"shared with the team"_s);
    QVERIFY(draft.authStyle == AuthStyle::Bearer);
    QCOMPARE(draft.tier, 2);
    QCOMPARE(draft.priority, 7);
    QCOMPARE(draft.weight, 3);
    QVERIFY(AccountForm::draft(f, ProviderKind::Anthropic, nullptr).id.isNull());
}

QTEST_GUILESS_MAIN(TestAccountForm)
#include "tst_accountform.moc"
