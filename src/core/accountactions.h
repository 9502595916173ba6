// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"
#include "core/usagestore.h"

#include <QCoreApplication>

#include <chrono>
#include <functional>
#include <optional>

class AccountService;
class AccountStore;
class Clock;

/// What an import stored.
struct ImportReport
{
    qsizetype imported = 0;
    qsizetype withoutSecret = 0; ///< the file had no key for these: they are stored disabled
};

/// An export document and how many accounts it holds.
struct AccountExport
{
    QByteArray document;
    qsizetype count = 0;
};

/// What people do with their accounts, implemented once for the window, the command line
/// and the admin API: each of them only reads its input and shows the answer. Works on the
/// stores of one thread (the storage worker's, or the command line's); whatever touches the
/// keychain answers asynchronously. Must outlive the operations it started.
class AccountActions final
{
    Q_DECLARE_TR_FUNCTIONS(AccountActions)

public:
    using AccountDone = std::function<void(Result<Account>)>;
    using StatusDone = std::function<void(Status)>;
    using ImportDone = std::function<void(Result<ImportReport>)>;

    AccountActions(AccountStore &accounts, AccountService &service, UsageStore &usage,
                   const Clock &clock);

    /// Stores a new account and its secret together (AccountService::create).
    void create(const Account &draft, const QString &secret, AccountDone done);
    /// Saves the account, and the secret when a new one is given.
    void update(const Account &account, std::optional<QString> newSecret, AccountDone done);
    /// Removes the account and its secret.
    void remove(const QUuid &id, StatusDone done);
    /// Enabling is the user's hand on a parked or invalid account: it gets a fresh start
    /// (AccountHealth::resetByUser). Either way the row's updatedAt moves, so every reader
    /// reloads it.
    void setEnabled(const QUuid &id, bool enabled, AccountDone done);

    /// Imports an accounts file's contents: every account is checked before the first is
    /// written, and either all are stored or none. `source` names the data in messages
    /// (its path, or "-" for standard input).
    void importData(const QByteArray &data, const QString &source, ImportDone done);
    void importFile(const QString &path, ImportDone done);
    /// The export document of every account, with their API keys when `withSecrets`.
    void exportData(bool withSecrets, std::function<void(Result<AccountExport>)> done);
    /// Writes the export to `path`, readable by the owner only; answers with the count.
    void exportFile(const QString &path, bool withSecrets,
                    std::function<void(Result<qsizetype>)> done);

    /// Per-account usage of the requests in [from, to).
    Result<QList<UsageTotals>> stats(const QDateTime &from, const QDateTime &to) const;
    /// The same for the last `span`, the current second included.
    Result<QList<UsageTotals>> recentStats(std::chrono::seconds span) const;

private:
    void collectSecrets(std::shared_ptr<QJsonArray> out, QList<Account> accounts, qsizetype index,
                        StatusDone done);

    AccountStore &m_accounts;
    AccountService &m_service;
    UsageStore &m_usage;
    const Clock &m_clock;
};
