// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"
#include "core/account.h"
#include "core/appcontext.h"
#include "core/settings.h"
#include "core/usagerecord.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

class Clock;
class ClockTimer;
class DebugLog;
class SecretStore;

/// The database side of a running gateway, on its own thread: loads accounts, access
/// keys and settings (and notices changes other processes make), and writes health and
/// usage in batches so no request ever waits for the disk.
class StorageWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StorageWorker)

public:
    StorageWorker(AppOptions options, const Clock &clock, QObject *parent = nullptr);
    ~StorageWorker() override;

    /// Opens the database on the calling thread (call it on the worker's thread), then
    /// loads; answers with loaded() or failed().
    void open();
    /// Loads again and emits loaded() if accounts, keys or settings changed.
    void reload();
    void recordUsage(const UsageRecord &record);
    void saveHealth(const QUuid &id, const AccountHealth &health);
    /// Writes what is buffered now.
    void flush();
    /// The secret store of the open database (null before open()); use it on this
    /// worker's thread only.
    SecretStore *secrets();
    /// A piece of work for the database thread, with the open stores.
    using Job = std::function<void(AppContext &app)>;
    /// Runs `job` now (call it on the worker's thread, e.g. through invokeMethod), after
    /// writing what is buffered. Without an open database the job is dropped with a warning.
    void run(const Job &job);
    /// Appends to <data dir>/logs/debug.jsonl (only sent while debug logging is on).
    void writeDebugEntry(const QJsonObject &entry);

Q_SIGNALS:
    void loaded(const QList<Account> &accounts, const QList<AccessKey> &keys,
                const Settings &settings);
    void failed(const QString &message);
    /// A batch of requests was stored (throttled: at most one batch per flush interval).
    void usageStored(const QList<UsageRecord> &records);

private:
    bool load(bool force);
    /// Writes what is buffered within the flush interval.
    void flushSoon();

    AppOptions m_options;
    const Clock &m_clock;
    std::unique_ptr<AppContext> m_app;
    std::unique_ptr<DebugLog> m_debugLog;
    QList<UsageRecord> m_pendingUsage;
    QHash<QUuid, AccountHealth> m_pendingHealth;
    QByteArray m_fingerprint; ///< of the configuration last loaded
    ClockTimer *m_flushTimer = nullptr; ///< made by open(), on the worker's thread
};
