// SPDX-License-Identifier: GPL-3.0-or-later
#include "appcontext.h"

#include "core/accesskeystore.h"
#include "core/accountactions.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/database.h"
#include "core/datadir.h"
#include "core/filesecretstore.h"
#include "core/keychainsecretstore.h"
#include "core/settingsstore.h"
#include "core/usagestore.h"

AppContext::AppContext(QString dataDir, const Clock &clock)
    : m_dataDir(std::move(dataDir))
    , m_clock(clock)
{ }

AppContext::~AppContext() = default;

Result<std::unique_ptr<AppContext>> AppContext::open(const AppOptions &options, const Clock &clock)
{
    std::unique_ptr<AppContext> context(new AppContext(DataDir::resolve(options.dataDir), clock));
    auto config = DataDir::databaseConfig(context->m_dataDir);
    if (!config)
        return config.error();
    auto db = Database::open(*config, clock);
    if (!db)
        return db.error();
    context->m_db = std::move(*db);
    context->m_accounts = std::make_unique<AccountStore>(*context->m_db);
    context->m_keys = std::make_unique<AccessKeyStore>(*context->m_db, clock);
    context->m_settings = std::make_unique<SettingsStore>(*context->m_db, clock);
    context->m_secrets = makeSecretStore(options, clock);
    context->m_usesSecretsFile = !options.secretsFile.isEmpty();
    context->m_usage = std::make_unique<UsageStore>(*context->m_db);
    context->m_service
        = std::make_unique<AccountService>(*context->m_accounts, *context->m_secrets, clock);
    context->m_actions = std::make_unique<AccountActions>(*context->m_accounts, *context->m_service,
                                                          *context->m_usage, clock);
    return context;
}

std::unique_ptr<SecretStore> AppContext::makeSecretStore(const AppOptions &options,
                                                         const Clock &clock)
{
    if (options.secretsFile.isEmpty())
        return std::make_unique<KeychainSecretStore>(clock);
    return std::make_unique<FileSecretStore>(options.secretsFile);
}
