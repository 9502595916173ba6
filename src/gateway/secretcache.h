// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"

#include <QHash>
#include <QObject>

#include <memory>

class SecretStore;

/// The accounts' API keys, read once from the SecretStore and kept in memory on the
/// gateway thread: the keychain is far too slow to ask per request.
class SecretCache final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretCache)

public:
    explicit SecretCache(std::unique_ptr<SecretStore> store, QObject *parent = nullptr);
    ~SecretCache() override;

    /// Loads the secrets of new or changed accounts and forgets removed ones;
    /// ready() follows when every read has answered.
    void sync(const QList<Account> &accounts);
    /// The secret, or a null string while unknown or missing.
    QString secret(const QUuid &id) const { return m_secrets.value(id); }
    /// Why the secret is missing (empty when it is there or still loading).
    QString problem(const QUuid &id) const { return m_problems.value(id); }
    bool isLoading() const { return m_pending > 0; }

Q_SIGNALS:
    void ready();

private:
    std::unique_ptr<SecretStore> m_store;
    QHash<QUuid, QString> m_secrets;
    QHash<QUuid, QString> m_problems;
    QHash<QUuid, QDateTime> m_loadedVersion; ///< updatedAt the secret was read for
    int m_pending = 0;
    quint64 m_generation = 0;
};
