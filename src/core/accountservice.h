// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCoreApplication>

#include <functional>
#include <optional>

class AccountStore;
class Clock;
class SecretStore;

/// Changes accounts and their secrets together: either both the row and the secret are
/// written, or neither is. Must outlive the operations it started.
class AccountService final
{
    Q_DECLARE_TR_FUNCTIONS(AccountService)

public:
    using AccountDone = std::function<void(Result<Account>)>;
    using StatusDone = std::function<void(Status)>;

    AccountService(AccountStore &store, SecretStore &secrets, const Clock &clock);

    /// Validates `draft`, stores `secret`, then inserts the row (id, times and health are
    /// filled in). If the row cannot be written the secret is removed again.
    void create(Account draft, const QString &secret, AccountDone done);
    /// Writes the row, then the new secret if one is given; a failed secret write puts the
    /// previous row back.
    void update(Account account, std::optional<QString> newSecret, AccountDone done);
    /// Deletes the row, then the secret; a failed secret delete puts the row back.
    void remove(const QUuid &id, StatusDone done);
    void readSecret(const Account &account, std::function<void(Result<QString>)> done);

    static Status checkSecret(const QString &secret);

private:
    AccountStore &m_store;
    SecretStore &m_secrets;
    const Clock &m_clock;
};
