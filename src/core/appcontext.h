// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QString>

#include <memory>

class AccessKeyStore;
class AccountActions;
class AccountService;
class AccountStore;
class Clock;
class Database;
class SecretStore;
class SettingsStore;
class UsageStore;

/// Where the process keeps its state, as chosen on the command line.
struct AppOptions
{
    QString dataDir; ///< --data-dir; empty: $SWITCHBOARD_DATA_DIR or the platform folder
    QString secretsFile; ///< --secrets-file; empty: the system keychain
};

/// The opened stores of one thread: database, secrets and the services on top.
/// The CLI and the runtime's storage worker each build one.
class AppContext final
{
    Q_DECLARE_TR_FUNCTIONS(AppContext)

public:
    ~AppContext();
    Q_DISABLE_COPY_MOVE(AppContext)

    static Result<std::unique_ptr<AppContext>> open(const AppOptions &options, const Clock &clock);
    /// The secret store the options ask for: the keychain, or the --secrets-file.
    static std::unique_ptr<SecretStore> makeSecretStore(const AppOptions &options,
                                                        const Clock &clock);

    const QString &dataDir() const { return m_dataDir; }
    const Clock &clock() const { return m_clock; }
    Database &database() { return *m_db; }
    AccountStore &accounts() { return *m_accounts; }
    AccessKeyStore &accessKeys() { return *m_keys; }
    SettingsStore &settings() { return *m_settings; }
    SecretStore &secrets() { return *m_secrets; }
    UsageStore &usage() { return *m_usage; }
    AccountService &accountService() { return *m_service; }
    /// What the window, the command line and the admin API do with accounts.
    AccountActions &actions() { return *m_actions; }
    /// True when secrets go to a plaintext file the user asked for.
    bool usesSecretsFile() const { return m_usesSecretsFile; }

private:
    AppContext(QString dataDir, const Clock &clock);

    QString m_dataDir;
    const Clock &m_clock;
    bool m_usesSecretsFile = false;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<AccountStore> m_accounts;
    std::unique_ptr<AccessKeyStore> m_keys;
    std::unique_ptr<SettingsStore> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<UsageStore> m_usage;
    std::unique_ptr<AccountService> m_service;
    std::unique_ptr<AccountActions> m_actions;
};
