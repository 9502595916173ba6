// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtimefacade.h"

#include "core/accesskeystore.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/accounttransfer.h"
#include "core/appcontext.h"
#include "core/clock.h"
#include "core/settingsstore.h"
#include "core/storageworker.h"
#include "gateway/runtime.h"

#include <QFile>
#include <QPointer>

#include <memory>

using namespace Qt::StringLiterals;

RuntimeFacade::RuntimeFacade(Runtime &runtime, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_clock(clock)
{
    Gateway &gateway = runtime.gateway();
    connect(&runtime, &Runtime::loaded, this, &RuntimeFacade::onLoaded);
    connect(&runtime, &Runtime::failed, this, &RuntimeFacade::storageFailed);
    connect(&gateway, &Gateway::started, this, [this](const QHostAddress &address, quint16 port) {
        m_state = GatewayState::Running;
        m_address = address;
        m_port = port;
        m_gatewayError.clear();
        Q_EMIT gatewayStateChanged();
    });
    connect(&gateway, &Gateway::failed, this, [this](const QString &message) {
        m_state = GatewayState::Failed;
        m_gatewayError = message;
        Q_EMIT gatewayStateChanged();
    });
    connect(&gateway, &Gateway::stopped, this, [this] {
        m_state = GatewayState::Stopped;
        Q_EMIT gatewayStateChanged();
    });
    connect(&gateway, &Gateway::healthChanged, this,
            [this](const QUuid &id, const AccountHealth &health) {
                bool known = false;
                for (Account &a : m_accounts) {
                    if (a.id == id) {
                        a.health = health;
                        known = true;
                        Q_EMIT accountHealthChanged(id);
                    }
                }
                // The gateway may check a new account before the window's reload brings
                // it: keep the health for when it arrives.
                if (!known)
                    m_earlyHealth.insert(id, health);
            });
    connect(&gateway, &Gateway::validated, this, [this](const ValidationResult &result) {
        m_validations.insert(result.accountId, result);
        Q_EMIT validated(result);
    });
    connect(&gateway, &Gateway::accountInvalidated, this, &RuntimeFacade::accountInvalidated);
    connect(&gateway, &Gateway::requestFinished, this, [this](const UsageRecord &record) {
        if (record.time.toLocalTime().date() != m_todayDate)
            countToday();
        const qint64 tokens = record.tokens.total();
        for (const QUuid &key : {QUuid(), record.accountId}) {
            Today &t = m_today[key];
            ++t.requests;
            t.tokens += tokens;
            if (record.accountId.isNull())
                break;
        }
        if (!record.accountName.isEmpty())
            m_lastUsedName = record.accountName;
        Q_EMIT requestFinished(record);
    });
}

const Account *RuntimeFacade::account(const QUuid &id) const
{
    for (const Account &a : m_accounts) {
        if (a.id == id)
            return &a;
    }
    return nullptr;
}

QString RuntimeFacade::endpointUrl() const
{
    if (m_state != GatewayState::Running)
        return {};
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
        ? u"[%1]"_s.arg(m_address.toString())
        : m_address.toString();
    return u"http://%1:%2"_s.arg(host).arg(m_port);
}

std::optional<ValidationResult> RuntimeFacade::lastValidation(const QUuid &id) const
{
    const auto it = m_validations.constFind(id);
    if (it == m_validations.cend())
        return std::nullopt;
    return *it;
}

RuntimeFacade::Today RuntimeFacade::today(const QUuid &account) const
{
    return m_today.value(account);
}

template<typename T>
void RuntimeFacade::onStorageAsync(
    QObject *context, std::function<void(AppContext &, UsageStore &, std::function<void(T)>)> work,
    std::function<void(T)> done)
{
    // Both pointers are read on the GUI thread only, where the context is deleted.
    QPointer<RuntimeFacade> self = this;
    QPointer<QObject> guard = context;
    auto reply = [self, guard, done](T value) {
        QMetaObject::invokeMethod(self, [guard, done, value = std::move(value)] {
            if (guard && done)
                done(value);
        });
    };
    StorageWorker *storage = &m_runtime.storage();
    QMetaObject::invokeMethod(storage, [storage, work, reply] {
        storage->run(
            [work, reply](AppContext &app, UsageStore &usage) { work(app, usage, reply); });
    });
}

template<typename T>
void RuntimeFacade::onStorage(QObject *context, std::function<T(AppContext &, UsageStore &)> work,
                              std::function<void(T)> done)
{
    onStorageAsync<T>(
        context,
        [work](AppContext &app, UsageStore &usage, std::function<void(T)> reply) {
            reply(work(app, usage));
        },
        std::move(done));
}

namespace {

/// After a change: the storage worker reloads, so the gateway and the window see it now.
template<typename T>
std::function<void(T)> reloadingFirst(StorageWorker *storage, std::function<void(T)> reply)
{
    return [storage, reply](T value) {
        storage->reload();
        reply(std::move(value));
    };
}

} // namespace

void RuntimeFacade::createAccount(QObject *context, const Account &draft, const QString &secret,
                                  std::function<void(Result<Account>)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    onStorageAsync<Result<Account>>(
        context,
        [storage, draft, secret](AppContext &app, UsageStore &, auto reply) {
            app.accountService().create(draft, secret, reloadingFirst(storage, reply));
        },
        std::move(done));
}

void RuntimeFacade::updateAccount(QObject *context, const Account &account,
                                  std::optional<QString> secret,
                                  std::function<void(Result<Account>)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    onStorageAsync<Result<Account>>(
        context,
        [storage, account, secret](AppContext &app, UsageStore &, auto reply) {
            app.accountService().update(account, secret, reloadingFirst(storage, reply));
        },
        std::move(done));
}

void RuntimeFacade::removeAccount(QObject *context, const QUuid &id,
                                  std::function<void(Status)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    if (id == m_pinned)
        setPinned({});
    onStorageAsync<Status>(
        context,
        [storage, id](AppContext &app, UsageStore &, auto reply) {
            app.accountService().remove(id, reloadingFirst(storage, reply));
        },
        std::move(done));
}

void RuntimeFacade::setAccountEnabled(QObject *context, const QUuid &id, bool enabled,
                                      std::function<void(Status)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    onStorage<Status>(
        context,
        [storage, id, enabled](AppContext &app, UsageStore &) -> Status {
            auto account = app.accounts().find(id);
            if (!account)
                return account.error();
            account->enabled = enabled;
            // The reload notices configuration changes by their time stamp.
            account->updatedAt = app.clock().now();
            // The user acted: a parked or invalid account gets a fresh chance.
            if (enabled)
                account->health = account->health.resetByUser();
            Status saved = app.accounts().update(*account);
            if (saved && enabled)
                saved = app.accounts().updateHealth(id, account->health);
            storage->reload();
            return saved;
        },
        std::move(done));
}

void RuntimeFacade::readSecret(QObject *context, const QUuid &id,
                               std::function<void(Result<QString>)> done)
{
    onStorageAsync<Result<QString>>(
        context,
        [id](AppContext &app, UsageStore &, auto reply) {
            auto account = app.accounts().find(id);
            if (!account)
                return reply(account.error());
            app.accountService().readSecret(*account, reply);
        },
        std::move(done));
}

void RuntimeFacade::testAccount(QObject *context, const Account &account, const QString &secret,
                                std::function<void(const ValidationResult &)> done)
{
    QPointer<QObject> guard = context;
    m_runtime.gateway().test(account, secret, [guard, done](const ValidationResult &result) {
        if (guard && done)
            done(result);
    });
}

void RuntimeFacade::validate(const QUuid &id)
{
    m_runtime.gateway().validateAccount(id);
}

void RuntimeFacade::validateAll()
{
    m_runtime.gateway().validateAll();
}

void RuntimeFacade::setPinned(const QUuid &id)
{
    if (id == m_pinned)
        return;
    m_pinned = id;
    m_runtime.gateway().setPinned(id);
    Q_EMIT pinnedChanged();
}

void RuntimeFacade::importAccounts(QObject *context, const QString &path,
                                   std::function<void(Result<int>)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    onStorageAsync<Result<int>>(
        context,
        [storage, path](AppContext &app, UsageStore &, auto reply) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return reply(Error::io(tr("Cannot read %1: %2").arg(path, file.errorString())));
            auto existing = app.accounts().list();
            if (!existing)
                return reply(existing.error());
            auto plan = AccountTransfer::parse(file.readAll(), *existing);
            if (!plan)
                return reply(Error::invalid(u"%1: %2"_s.arg(path, plan.error().message)));
            auto importer = std::make_shared<AccountImporter>(app, std::move(*plan));
            importer->run([storage, importer, reply](Status imported) {
                storage->reload();
                if (!imported)
                    return reply(imported.error());
                reply(int(importer->importedCount()));
            });
        },
        std::move(done));
}

void RuntimeFacade::exportAccounts(QObject *context, const QString &path, bool withSecrets,
                                   std::function<void(Status)> done)
{
    onStorageAsync<Status>(
        context,
        [path, withSecrets](AppContext &app, UsageStore &, auto reply) {
            AccountTransfer::exportAll(app, withSecrets, [path, reply](Result<QByteArray> data) {
                reply(data ? AccountTransfer::writeFile(path, *data) : Status(data.error()));
            });
        },
        std::move(done));
}

void RuntimeFacade::setSetting(QObject *context, const QString &key, const QVariant &value,
                               std::function<void(Status)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    onStorage<Status>(
        context,
        [storage, key, value](AppContext &app, UsageStore &) {
            Status saved = app.settings().save(key, value);
            storage->reload();
            return saved;
        },
        std::move(done));
}

void RuntimeFacade::createAccessKey(QObject *context, const QString &name,
                                    std::function<void(Result<NewAccessKey>)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    onStorage<Result<NewAccessKey>>(
        context,
        [storage, name](AppContext &app, UsageStore &) {
            auto created = app.accessKeys().create(name);
            storage->reload();
            return created;
        },
        std::move(done));
}

void RuntimeFacade::revokeAccessKey(QObject *context, const QUuid &id,
                                    std::function<void(Status)> done)
{
    StorageWorker *storage = &m_runtime.storage();
    onStorage<Status>(
        context,
        [storage, id](AppContext &app, UsageStore &) -> Status {
            auto revoked = app.accessKeys().revoke(id.toString(QUuid::WithoutBraces));
            storage->reload();
            if (!revoked)
                return revoked.error();
            return {};
        },
        std::move(done));
}

void RuntimeFacade::loadMinutes(QObject *context, const QDateTime &from, const QDateTime &to,
                                std::function<void(Result<QList<UsageMinute>>)> done)
{
    onStorage<Result<QList<UsageMinute>>>(
        context, [from, to](AppContext &, UsageStore &usage) { return usage.minutes(from, to); },
        std::move(done));
}

void RuntimeFacade::loadTotals(QObject *context, const QDateTime &from, const QDateTime &to,
                               std::function<void(Result<QList<UsageTotals>>)> done)
{
    onStorage<Result<QList<UsageTotals>>>(
        context, [from, to](AppContext &, UsageStore &usage) { return usage.totals(from, to); },
        std::move(done));
}

void RuntimeFacade::loadRecent(QObject *context, int limit,
                               std::function<void(Result<QList<UsageRecord>>)> done)
{
    onStorage<Result<QList<UsageRecord>>>(
        context, [limit](AppContext &, UsageStore &usage) { return usage.recent(limit); },
        std::move(done));
}

void RuntimeFacade::startGateway()
{
    if (m_runtime.gateway().isRunning())
        return;
    m_state = GatewayState::Starting;
    Q_EMIT gatewayStateChanged();
    m_runtime.gateway().start(m_settings.listenAddress(), m_settings.listenPort());
}

void RuntimeFacade::stopGateway()
{
    m_runtime.gateway().stop();
}

void RuntimeFacade::onLoaded(const QList<Account> &accounts, const QList<AccessKey> &keys,
                             const Settings &settings)
{
    const bool first = !m_loaded;
    const bool endpointMoved = !first
        && (settings.listenAddress() != m_settings.listenAddress()
            || settings.listenPort() != m_settings.listenPort());
    m_loaded = true;
    // The stored health lags behind the gateway's (it is written in batches): like the
    // gateway's HealthBook, keep the live health of an account whose configuration did not
    // change, and the health the gateway reported for one that was not loaded yet.
    QList<Account> merged = accounts;
    for (Account &incoming : merged) {
        if (const Account *live = account(incoming.id);
            live && live->updatedAt == incoming.updatedAt)
            incoming.health = live->health;
        else if (auto it = m_earlyHealth.constFind(incoming.id); it != m_earlyHealth.cend())
            incoming.health = *it;
    }
    m_earlyHealth.clear();
    if (first || merged != m_accounts) {
        m_accounts = merged;
        Q_EMIT accountsChanged();
    }
    m_keys = keys;
    Q_EMIT accessKeysChanged();
    m_settings = settings;
    Q_EMIT settingsChanged();
    if (first) {
        countToday();
        onStorage<QString>(
            this, [](AppContext &app, UsageStore &) { return app.dataDir(); },
            [this](const QString &dir) { m_dataDir = dir; });
    }
    // A new address or port applies at once: the gateway restarts on it.
    // After a failed start (port busy) the new address is the way out: start there.
    if (endpointMoved && (m_runtime.gateway().isRunning() || m_state == GatewayState::Failed)) {
        m_runtime.gateway().stop();
        m_state = GatewayState::Starting;
        Q_EMIT gatewayStateChanged();
        m_runtime.gateway().start(settings.listenAddress(), settings.listenPort());
    }
}

void RuntimeFacade::countToday()
{
    m_todayDate = m_clock.now().toLocalTime().date();
    const QDateTime from = m_todayDate.startOfDay();
    loadTotals(this, from, from.addDays(1), [this](Result<QList<UsageTotals>> totals) {
        if (!totals)
            return;
        m_today.clear();
        Today &all = m_today[QUuid()];
        for (const UsageTotals &t : *totals) {
            const qint64 tokens = t.tokens.total();
            if (!t.accountId.isNull())
                m_today[t.accountId] = {t.requests, tokens};
            all.requests += t.requests;
            all.tokens += tokens;
        }
        Q_EMIT accountsChanged();
    });
}
