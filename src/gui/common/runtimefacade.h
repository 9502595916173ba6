// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"
#include "core/account.h"
#include "core/result.h"
#include "core/settings.h"
#include "core/usagerecord.h"
#include "core/usagestore.h"
#include "gateway/ratelimits.h"
#include "gateway/refusaltally.h"
#include "gateway/upstreamvalidator.h"
#include "gui/common/uistate.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <optional>

class Clock;
class Runtime;

/// The window's view of a running Switchboard, on the GUI thread: the last snapshot of
/// accounts (with live health), access keys and settings, the gateway's state, and
/// asynchronous commands. Storage work runs on the runtime's storage thread and gateway
/// work on the gateway thread; every callback runs on the GUI thread, so nothing here
/// ever blocks the window.
class RuntimeFacade final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RuntimeFacade)

public:
    enum class GatewayState { Starting, Running, Stopped, Failed };
    Q_ENUM(GatewayState)

    RuntimeFacade(Runtime &runtime, const Clock &clock, QObject *parent = nullptr);

    // Snapshot
    bool isLoaded() const { return m_loaded; }
    const QList<Account> &accounts() const { return m_accounts; }
    const Account *account(const QUuid &id) const;
    const QList<AccessKey> &accessKeys() const { return m_keys; }
    const Settings &settings() const { return m_settings; }
    GatewayState gatewayState() const { return m_state; }
    /// "http://127.0.0.1:17878" while running, else empty.
    QString endpointUrl() const;
    QString gatewayError() const { return m_gatewayError; }
    QUuid pinned() const { return m_pinned; }
    /// The last validation result of each account checked since the start.
    std::optional<ValidationResult> lastValidation(const QUuid &id) const;
    /// Requests and tokens of today (local midnight on), counted from the usage log at
    /// load and from each finished request after.
    struct Today
    {
        qint64 requests = 0;
        qint64 tokens = 0;
    };
    Today today(const QUuid &account = {}) const;
    /// The last request an account served (which, why, when); accountId null before any.
    const UsageRecord &lastServed() const { return m_lastServed; }
    /// Requests refused at admission lately, newest first (UsageRecord::refusedClient set):
    /// kept in memory only, the last maxRefusals.
    const QList<UsageRecord> &recentRefusals() const { return m_refusals; }
    static constexpr qsizetype maxRefusals = 200;
    /// What the account's answers said of its rate limits since the start; empty before.
    RateLimits rateLimits(const QUuid &id) const { return m_rateLimits.value(id); }
    /// The clock the runtime uses: cooldowns and "5 min ago" are measured against it.
    const Clock &clock() const { return m_clock; }

    // Asynchronous commands. Each `done` runs on the GUI thread, and only while `context`
    // (the caller, usually `this`) still exists: a page or dialog closed while a reply is
    // queued is never called back. A null context or a null `done`: nobody is told.

    // Accounts (the secret goes to the keychain, the row to the database, together)
    void createAccount(QObject *context, const Account &draft, const QString &secret,
                       std::function<void(Result<Account>)> done);
    /// `secret` empty: keep the stored one.
    void updateAccount(QObject *context, const Account &account, std::optional<QString> secret,
                       std::function<void(Result<Account>)> done);
    void removeAccount(QObject *context, const QUuid &id, std::function<void(Status)> done);
    void setAccountEnabled(QObject *context, const QUuid &id, bool enabled,
                           std::function<void(Status)> done);
    void readSecret(QObject *context, const QUuid &id, std::function<void(Result<QString>)> done);
    /// Validates an unsaved account with the given secret (the editor's "Test").
    void testAccount(QObject *context, const Account &account, const QString &secret,
                     std::function<void(const ValidationResult &)> done);
    void validate(const QUuid &id);
    void validateAll();
    /// Pins the account (null: unpin). Not persisted: a restart unpins.
    void setPinned(const QUuid &id);
    void importAccounts(QObject *context, const QString &path,
                        std::function<void(Result<int>)> done);
    void exportAccounts(QObject *context, const QString &path, bool withSecrets,
                        std::function<void(Status)> done);

    // Settings and keys
    void setSetting(QObject *context, const QString &key, const QVariant &value,
                    std::function<void(Status)> done);
    void createAccessKey(QObject *context, const QString &name,
                         std::function<void(Result<NewAccessKey>)> done);
    void revokeAccessKey(QObject *context, const QUuid &id, std::function<void(Status)> done);

    // Usage
    void loadMinutes(QObject *context, const QDateTime &from, const QDateTime &to,
                     std::function<void(Result<QList<UsageMinute>>)> done);
    void loadTotals(QObject *context, const QDateTime &from, const QDateTime &to,
                    std::function<void(Result<QList<UsageTotals>>)> done);
    void loadRecent(QObject *context, int limit,
                    std::function<void(Result<QList<UsageRecord>>)> done);
    /// The data folder (logs/debug.jsonl lives below it).
    QString dataDir() const { return m_dataDir; }
    /// What the window remembers between runs (window.ini in the data folder).
    UiState &uiState() { return m_uiState; }

    // Gateway
    void startGateway();
    void stopGateway();

Q_SIGNALS:
    /// The account list or an account's configuration changed (not only health).
    void accountsChanged();
    void accountHealthChanged(const QUuid &id);
    void rateLimitsChanged(const QUuid &id);
    /// Requests from one client were refused at admission (`record.refusedClient`).
    void clientRefused(const UsageRecord &record, const AdmissionRefusal &refusal);
    void accessKeysChanged();
    void settingsChanged();
    void gatewayStateChanged();
    void validated(const ValidationResult &result);
    void accountInvalidated(const QUuid &id, const QString &name, const QString &reason);
    /// A request finished (live, before it is stored).
    void requestFinished(const UsageRecord &record);
    /// The database could not be opened: the app cannot work.
    void storageFailed(const QString &message);
    void pinnedChanged();

private:
    /// Runs work on the storage thread; its reply runs on the GUI thread, after the
    /// configuration it changed has been loaded.
    template<typename T>
    void onStorage(QObject *context, std::function<T(class AppContext &)> work,
                   std::function<void(T)> done);
    /// Same, for work that answers asynchronously (keychain jobs).
    template<typename T>
    void onStorageAsync(QObject *context,
                        std::function<void(class AppContext &, std::function<void(T)>)> work,
                        std::function<void(T)> done);
    void onLoaded(const QList<Account> &accounts, const QList<AccessKey> &keys,
                  const Settings &settings);
    void countToday();

    Runtime &m_runtime;
    const Clock &m_clock;
    bool m_loaded = false;
    QList<Account> m_accounts;
    QList<AccessKey> m_keys;
    Settings m_settings;
    GatewayState m_state = GatewayState::Starting;
    QHostAddress m_address;
    quint16 m_port = 0;
    QString m_gatewayError;
    QUuid m_pinned;
    QHash<QUuid, ValidationResult> m_validations;
    QHash<QUuid, AccountHealth> m_earlyHealth; ///< health of accounts not loaded yet
    QHash<QUuid, Today> m_today; ///< null key: all accounts
    QDate m_todayDate;
    UsageRecord m_lastServed;
    QHash<QUuid, RateLimits> m_rateLimits;
    QList<UsageRecord> m_refusals;
    QString m_dataDir;
    UiState m_uiState;
};
