// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"
#include "core/account.h"
#include "core/settings.h"
#include "core/storagetask.h"
#include "core/usagerecord.h"
#include "gateway/ratelimits.h"
#include "gateway/refusaltally.h"
#include "gateway/upstreamvalidator.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

class Clock;
class GatewayServer;
class SecretStore;

/// Runs the GatewayServer on its own thread. Lives on the caller's thread (GUI or main)
/// and talks to the server only through queued calls and signals.
class Gateway final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Gateway)

public:
    /// Makes the secret store the gateway reads keys from; called on the gateway thread.
    using SecretStoreFactory = std::function<std::unique_ptr<SecretStore>()>;

    Gateway(const Clock &clock, SecretStoreFactory secrets, QObject *parent = nullptr);
    ~Gateway() override;

    /// Starts the thread and the server; answers with started() or failed().
    void start(const QHostAddress &address, quint16 port);
    /// Stops serving; answers with stopped().
    void stop();
    bool isRunning() const { return m_running; }

    void setAccounts(const QList<Account> &accounts);
    void setSettings(const Settings &settings);
    void setAccessKeys(const QList<AccessKey> &keys);
    void setPinned(const QUuid &id);
    void validateAccount(const QUuid &id);
    void validateAll();
    /// Checks an account that may not be saved yet (the editor's "Test" button). `done` runs
    /// on this object's thread; with the gateway stopped it answers at once with a failure.
    void test(const Account &account, const QString &secret,
              std::function<void(const ValidationResult &)> done);
    /// Where the admin API runs its database work (called from the gateway thread).
    void setStorage(StorageRunner storage);

Q_SIGNALS:
    void started(const QHostAddress &address, quint16 port);
    void failed(const QString &message);
    void stopped();
    void healthChanged(const QUuid &id, const AccountHealth &health);
    void rateLimitsChanged(const QUuid &id, const RateLimits &limits);
    void clientsRefused(const QList<AdmissionRefusal> &refusals);
    void accountInvalidated(const QUuid &id, const QString &name, const QString &reason);
    void requestFinished(const UsageRecord &record);
    void validated(const ValidationResult &result);
    void debugEntry(const QJsonObject &entry);

private:
    /// Runs `work` with the server on the gateway thread, if it exists then.
    void onServer(std::function<void(GatewayServer &)> work);
    void shutdownThread();
    static ValidationResult stoppedResult(const QUuid &accountId);
    void answerTest(quint64 token, const ValidationResult &result);
    /// Answers every test still running: the server that would have answered is going.
    void abandonTests();

    const Clock &m_clock;
    SecretStoreFactory m_secretStoreFactory;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread; parent of the server
    GatewayServer *m_server = nullptr; // touched only on m_thread
    // Kept here so a (re)started server begins with the current state.
    QList<Account> m_accounts;
    Settings m_settings;
    QList<AccessKey> m_keys;
    QUuid m_pinned;
    StorageRunner m_storage;
    bool m_running = false;
    struct PendingTest
    {
        QUuid accountId;
        std::function<void(const ValidationResult &)> done;
    };
    QHash<quint64, PendingTest> m_pendingTests;
    quint64 m_lastTest = 0;
};
