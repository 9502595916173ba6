// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCoreApplication>

struct ProviderPreset;

/// The rules of the account forms, without widgets: the fields as typed go in; what each
/// field's message says, whether the form can be saved and the account it describes come
/// out. The field checks are core's AccountRules (the CLI's messages); this adds what only a
/// form knows: a name another account has, a field not typed into yet, the key a preset
/// needs, hints. Shared by AccountDialog and BatchAddDialog.
class AccountForm
{
    Q_DECLARE_TR_FUNCTIONS(AccountForm)

public:
    /// The form's fields, as the user typed them.
    struct Fields
    {
        QString name;
        QString baseUrl;
        QString secret;
        AuthStyle authStyle = AuthStyle::XApiKey;
        int tier = 1;
        int priority = 0;
        int weight = 1;
        QString allowedModels; ///< model names separated by commas or spaces
        QList<ModelRule> mapping; ///< the mapping table's filled rows, trimmed
        QString headers; ///< one "Name: value" a line
        QString notes;
        // Fields the user typed into: until then an empty one is a to-do, not a mistake.
        bool nameTouched = false;
        bool baseUrlTouched = false;
        bool secretTouched = false;
    };

    /// What to show under a field; nothing when the text is empty.
    struct Message
    {
        QString text;
        bool error = true; ///< else a hint, in a muted colour

        friend bool operator==(const Message &, const Message &) = default;
    };

    struct Verdict
    {
        Message name;
        Message baseUrl;
        Message secret;
        Message allowedModels;
        Message mapping;
        Message mappingHint;
        Message headers;
        /// Why the form cannot be saved (also for fields whose message is only a hint);
        /// empty when it can.
        QString firstProblem;
        bool generalOk = true; ///< name, base URL and key
        bool modelsOk = true; ///< allowed models, mapping and headers
        bool testable = true; ///< base URL and key are good enough to test the account
        Account draft; ///< the account the fields describe
    };

    /// Checks every field. `existing`: the account being edited (null: a new one);
    /// `accounts`: every account there is, for names already taken.
    static Verdict check(const Fields &fields, const ProviderPreset &preset,
                         const Account *existing, const QList<Account> &accounts);

    /// The account the fields describe, unchecked: `existing` (or a new account) with the
    /// fields applied, the base URL normalised, valid header lines, trimmed notes.
    static Account draft(const Fields &fields, ProviderKind kind, const Account *existing);
    /// Why `name` cannot be an account's name: the CLI's rules, and no other account (than
    /// `self`) has it. Empty when it can.
    static QString nameProblem(const QString &name, const QList<Account> &accounts,
                               const QUuid &self = {});
    /// The base URL as typed, normalised; an empty field asks for one.
    static Result<QUrl> baseUrl(const QString &text, ProviderKind kind);
    /// "claude-*, claude-haiku-4-5" → the model names.
    static QStringList splitModels(const QString &text);
};
