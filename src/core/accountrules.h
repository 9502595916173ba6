// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCoreApplication>

/// Pure checks shared by the CLI, the admin API and the GUI: every message names the
/// field and says what is expected.
class AccountRules
{
    Q_DECLARE_TR_FUNCTIONS(AccountRules)

public:
    /// Parses a base URL as a user typed it: http(s) only, no credentials, query or fragment.
    /// A trailing slash is dropped; an Anthropic URL pasted with `/v1` loses it (the gateway
    /// appends `/v1/messages`).
    static Result<QUrl> parseBaseUrl(const QString &text, ProviderKind provider);

    static Status checkName(const QString &name);
    static Status checkHeader(const QString &name, const QString &value);
    /// Parses `Name: value`.
    static Result<QPair<QString, QString>> parseHeader(const QString &text);
    static Status checkModelName(const QString &model);

    /// Checks every field of an account; the first problem found is returned.
    static Status check(const Account &account);

private:
    static Status checkRange(const QString &field, int value, int min, int max);
};
