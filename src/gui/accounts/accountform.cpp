// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountform.h"

#include "core/accountrules.h"
#include "core/accountservice.h"
#include "core/providerpreset.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

/// The first item's problem; empty when none has one.
template<typename Check> QString firstProblem(const QStringList &items, Check check)
{
    for (const QString &item : items) {
        if (QString problem = check(item); !problem.isEmpty())
            return problem;
    }
    return {};
}

QStringList headerLines(const QString &text)
{
    QStringList lines;
    for (const QString &line : text.split(u'\n')) {
        if (!line.trimmed().isEmpty())
            lines << line.trimmed();
    }
    return lines;
}

} // namespace

QStringList AccountForm::splitModels(const QString &text)
{
    static const QRegularExpression separators(u"[,\\s]+"_s);
    return text.split(separators, Qt::SkipEmptyParts);
}

Result<QUrl> AccountForm::baseUrl(const QString &text, ProviderKind kind)
{
    if (text.trimmed().isEmpty())
        return Error::invalid(
            tr("Type the provider's base URL, for example https://api.example.com/v1."));
    return AccountRules::parseBaseUrl(text, kind);
}

QString AccountForm::nameProblem(const QString &name, const QList<Account> &accounts,
                                 const QUuid &self)
{
    if (Status s = AccountRules::checkName(name); !s)
        return s.error().message;
    for (const Account &other : accounts) {
        if (other.name == name && (self.isNull() || other.id != self))
            return tr("An account named \"%1\" already exists: choose another name.").arg(name);
    }
    return {};
}

Account AccountForm::draft(const Fields &fields, ProviderKind kind, const Account *existing)
{
    Account a = existing ? *existing : Account();
    a.name = fields.name;
    a.provider = kind;
    const auto url = AccountRules::parseBaseUrl(fields.baseUrl, kind);
    a.baseUrl = url ? *url : QUrl(fields.baseUrl.trimmed());
    a.authStyle = fields.authStyle;
    a.tier = fields.tier;
    a.priority = fields.priority;
    a.weight = fields.weight;
    a.allowedModels = splitModels(fields.allowedModels);
    a.modelMapping = ModelMapping(fields.mapping);
    a.extraHeaders.clear();
    for (const QString &line : headerLines(fields.headers)) {
        if (auto header = AccountRules::parseHeader(line))
            a.extraHeaders.append(*header);
    }
    a.notes = fields.notes.trimmed();
    return a;
}

AccountForm::Verdict AccountForm::check(const Fields &f, const ProviderPreset &preset,
                                        const Account *existing, const QList<Account> &accounts)
{
    Verdict v;
    // The first problem in the order of the form, shown or not.
    auto note = [&v](const QString &problem) {
        if (v.firstProblem.isEmpty())
            v.firstProblem = problem;
    };

    const QString nameError = nameProblem(f.name, accounts, existing ? existing->id : QUuid());
    if (nameError.isEmpty() || !f.name.isEmpty() || f.nameTouched)
        v.name = {nameError};
    note(nameError);

    QString urlError;
    if (auto url = baseUrl(f.baseUrl, preset.kind); !url)
        urlError = url.error().message;
    if (!urlError.isEmpty() && f.baseUrl.isEmpty() && !f.baseUrlTouched)
        v.baseUrl = {tr("Type the base URL your provider documents."), false};
    else
        v.baseUrl = {urlError};
    note(urlError);

    // The key: required for a new account unless the server runs locally.
    const QString typed = f.secret.trimmed();
    QString secretError;
    if (!typed.isEmpty()) {
        if (Status s = AccountService::checkSecret(typed); !s)
            secretError = s.error().message;
    } else if (!existing && !preset.local) {
        secretError = tr("Paste the API key from the provider's console.");
    }
    if (!secretError.isEmpty()) {
        // An empty key on a fresh form is a to-do, not a mistake: grey until typed into.
        v.secret = {secretError, !f.secret.isEmpty() || f.secretTouched};
    } else if (preset.local && typed.isEmpty() && !existing) {
        v.secret = {tr("Optional: this server runs on your computer. Leave it empty if it "
                       "doesn't need a key."),
                    false};
    }
    note(secretError);

    v.allowedModels = {firstProblem(splitModels(f.allowedModels), [](const QString &m) {
        const Status s = AccountRules::checkModelName(m);
        return s ? QString() : s.error().message;
    })};
    note(v.allowedModels.text);

    bool hasDefault = false;
    for (qsizetype i = 0; i < f.mapping.size() && v.mapping.text.isEmpty(); ++i) {
        for (const QString &model : {f.mapping[i].pattern, f.mapping[i].target}) {
            if (Status s = AccountRules::checkModelName(model); !s) {
                v.mapping = {tr("Rule %1: %2").arg(i + 1).arg(s.error().message)};
                break;
            }
        }
        hasDefault = hasDefault || f.mapping[i].pattern == u"*";
    }
    note(v.mapping.text);
    if (preset.kind == ProviderKind::OpenAI && !hasDefault) {
        v.mappingHint = {tr("Add a rule for * (the default): without one, Claude model names are "
                            "sent unchanged and most OpenAI-compatible providers reject them."),
                         false};
    } else if (f.mapping.isEmpty()) {
        v.mappingHint = {tr("No rules: model names are sent unchanged."), false};
    }

    v.headers = {firstProblem(headerLines(f.headers), [](const QString &line) {
        const auto header = AccountRules::parseHeader(line);
        return header ? QString() : header.error().message;
    })};
    note(v.headers.text);

    v.draft = draft(f, preset.kind, existing);
    // Whatever the fields above let through (ranges, for one), the core has the last word.
    if (Status s = AccountRules::check(v.draft); !s)
        note(s.error().message);

    v.generalOk = nameError.isEmpty() && urlError.isEmpty() && secretError.isEmpty();
    v.modelsOk
        = v.allowedModels.text.isEmpty() && v.mapping.text.isEmpty() && v.headers.text.isEmpty();
    v.testable = urlError.isEmpty() && secretError.isEmpty();
    return v;
}
