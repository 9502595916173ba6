// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QList>

class Database;

/// Account rows in the database. Synchronous: use it on the thread that owns the
/// Database (the storage worker, or the CLI), never on the GUI or gateway thread.
class AccountStore final
{
    Q_DECLARE_TR_FUNCTIONS(AccountStore)

public:
    explicit AccountStore(Database &db);

    Result<QList<Account>> list() const;
    Result<Account> find(const QUuid &id) const;
    /// Finds an account by full id, unique id prefix (at least 4 characters) or exact name.
    Result<Account> resolve(const QString &reference) const;

    /// Fails with Conflict if the name is taken.
    Status insert(const Account &account);
    /// Replaces every field but the id; fails with NotFound or Conflict.
    Status update(const Account &account);
    Status updateHealth(const QUuid &id, const AccountHealth &health);
    Status remove(const QUuid &id);

private:
    Status checkNameFree(const QString &name, const QUuid &except) const;

    Database &m_db;
};
