// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <optional>

/// One account read from an import file.
struct ImportItem
{
    Account account;
    std::optional<QString> secret;
};

/// The account export/import file format:
/// {"format":"switchboard-accounts","version":1,"exported_at":…,"accounts":[…]}.
class AccountTransfer final
{
    Q_DECLARE_TR_FUNCTIONS(AccountTransfer)

public:
    static QByteArray document(const QJsonArray &accounts, const QDateTime &now);
    /// Parses and checks a whole file before anything is written: JSON, every field,
    /// secrets, and names unique in the file and against `existing`.
    static Result<QList<ImportItem>> parse(const QByteArray &data, const QList<Account> &existing);
    /// Writes an export atomically, readable by the owner only.
    static Status writeFile(const QString &path, const QByteArray &data);
};
