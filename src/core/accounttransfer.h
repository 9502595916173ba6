// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <functional>
#include <optional>

class AppContext;

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
    /// The export document of every account, with their keys read from the secret store
    /// when `withSecrets` (asynchronous: keychain jobs).
    static void exportAll(AppContext &app, bool withSecrets,
                          std::function<void(Result<QByteArray>)> done);
    /// Writes an export atomically, readable by the owner only.
    static Status writeFile(const QString &path, const QByteArray &data);
};

/// Writes parsed import items one by one; if one fails, the ones already written are
/// removed again, so an import is all or nothing. An item without a secret is stored
/// disabled, with a reason that says how to add the key.
class AccountImporter final
{
    Q_DECLARE_TR_FUNCTIONS(AccountImporter)

public:
    AccountImporter(AppContext &app, QList<ImportItem> items);

    void run(std::function<void(Status)> done);
    qsizetype importedCount() const { return m_created.size(); }
    qsizetype withoutSecretCount() const { return m_withoutSecret; }

private:
    void next(qsizetype index);
    void rollback(const Error &error);

    AppContext &m_app;
    QList<ImportItem> m_items;
    QList<QUuid> m_created;
    qsizetype m_withoutSecret = 0;
    std::function<void(Status)> m_done;
};
