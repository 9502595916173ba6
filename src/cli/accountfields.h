// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonObject>

class CliOutput;

/// The account options shared by `accounts add` and `accounts edit`, and how accounts
/// are shown to people.
class AccountFields final
{
    Q_DECLARE_TR_FUNCTIONS(AccountFields)

public:
    enum class Mode { Add, Edit };

    static void addOptions(QCommandLineParser &parser, Mode mode);
    /// The options that were given, as a JSON patch for AccountJson::apply.
    static Result<QJsonObject> patch(const QCommandLineParser &parser);

    /// "valid", "disabled", "cooling down until 14:05", … for tables.
    static QString statusText(const Account &account, const QDateTime &now);
    static void print(CliOutput &out, const Account &account, const QDateTime &now);
};
