// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/secretstore.h"

#include <QCoreApplication>
#include <QPointer>

class StorageWorker;

/// The storage worker's secret store, used from another thread (the gateway's). Keychain
/// libraries are not safe to drive from two threads (QtKeychain queues every job of the
/// process in one executor object), so every job runs on the storage thread, which also
/// writes secrets, and each answer comes back on the thread that created this store.
class StorageSecretStore final : public SecretStore
{
    Q_DECLARE_TR_FUNCTIONS(StorageSecretStore)

public:
    explicit StorageSecretStore(StorageWorker *worker);

    QString description() const override { return m_description; }
    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QString &secret, Callback done) override;
    void remove(const QString &key, Callback done) override;

private:
    /// Runs `job` with the worker's store on its thread; `done` runs here.
    void onStorage(std::function<void(SecretStore &, Callback)> job, Callback done);

    QPointer<StorageWorker> m_worker;
    QString m_description;
    QObject m_context; ///< on the creating thread: answers are delivered to it
};
