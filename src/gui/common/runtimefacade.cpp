// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtimefacade.h"

#include "core/accesskeystore.h"
#include "core/accountactions.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/appcontext.h"
#include "core/clock.h"
#include "core/datadir.h"
#include "core/settingsstore.h"
#include "gateway/runtime.h"

#include <QDir>
#include <QPointer>

using namespace Qt::StringLiterals;

RuntimeFacade::RuntimeFacade(Runtime &runtime, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_clock(clock)
    , m_dataDir(DataDir::resolve(runtime.options().dataDir))
    , m_uiState(QDir(m_dataDir).filePath(u"window.ini"_s))
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
    connect(&gateway, &Gateway::rateLimitsChanged, this,
            [this](const QUuid &id, const RateLimits &limits) {
                m_rateLimits.insert(id, limits);
                Q_EMIT rateLimitsChanged(id);
            });
    connect(&gateway, &Gateway::clientsRefused, this,
            [this](const QList<AdmissionRefusal> &refusals) {
                for (const AdmissionRefusal &refusal : refusals) {
                    UsageRecord r;
                    r.time = refusal.time;
                    r.status = refusal.status;
                    r.errorType = refusal.errorType;
                    r.note = refusal.reason;
                    r.refusedClient = refusal.count > 1
                        ? tr("%1 (%n times)", nullptr, refusal.count).arg(refusal.client)
                        : refusal.client;
                    r.attempts = 0;
                    m_refusals.prepend(r);
                    if (m_refusals.size() > maxRefusals)
                        m_refusals.removeLast();
                    Q_EMIT clientRefused(r, refusal);
                }
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
        // Served, or failed by every account: both say what serving looks like now.
        const bool unserved
            = record.accountId.isNull() && (record.status >= 500 || record.status == 429);
        if (record.route != UsageRecord::Route::None || unserved)
            m_lastServed = record;
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
void RuntimeFacade::onStorageAsync(QObject *context,
                                   std::function<void(AppContext &, std::function<void(T)>)> work,
                                   std::function<void(T)> done)
{
    // The runtime answers on this (the GUI) thread, where the context is deleted.
    QPointer<QObject> guard = context;
    runOnStorage<T>(m_runtime.storageRunner(), std::move(work), [guard, done](T value) {
        if (guard && done)
            done(std::move(value));
    });
}

template<typename T>
void RuntimeFacade::onStorage(QObject *context, std::function<T(AppContext &)> work,
                              std::function<void(T)> done)
{
    onStorageAsync<T>(
        context, [work](AppContext &app, std::function<void(T)> reply) { reply(work(app)); },
        std::move(done));
}

namespace {

/// The window only wants to know whether it worked.
template<typename T> Status outcome(const Result<T> &result)
{
    return result ? Status() : Status(result.error());
}

} // namespace

void RuntimeFacade::createAccount(QObject *context, const Account &draft, const QString &secret,
                                  std::function<void(Result<Account>)> done)
{
    onStorageAsync<Result<Account>>(
        context,
        [draft, secret](AppContext &app, auto reply) {
            app.actions().create(draft, secret, reply);
        },
        std::move(done));
}

void RuntimeFacade::updateAccount(QObject *context, const Account &account,
                                  std::optional<QString> secret,
                                  std::function<void(Result<Account>)> done)
{
    onStorageAsync<Result<Account>>(
        context,
        [account, secret](AppContext &app, auto reply) {
            app.actions().update(account, secret, reply);
        },
        std::move(done));
}

void RuntimeFacade::removeAccount(QObject *context, const QUuid &id,
                                  std::function<void(Status)> done)
{
    if (id == m_pinned)
        setPinned({});
    onStorageAsync<Status>(
        context, [id](AppContext &app, auto reply) { app.actions().remove(id, reply); },
        std::move(done));
}

void RuntimeFacade::setAccountEnabled(QObject *context, const QUuid &id, bool enabled,
                                      std::function<void(Status)> done)
{
    onStorageAsync<Status>(
        context,
        [id, enabled](AppContext &app, auto reply) {
            app.actions().setEnabled(id, enabled,
                                     [reply](Result<Account> r) { reply(outcome(r)); });
        },
        std::move(done));
}

void RuntimeFacade::readSecret(QObject *context, const QUuid &id,
                               std::function<void(Result<QString>)> done)
{
    onStorageAsync<Result<QString>>(
        context,
        [id](AppContext &app, auto reply) {
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
    if (id.isNull())
        m_uiState.remove(UiKeys::pinnedAccount);
    else
        m_uiState.setValue(UiKeys::pinnedAccount, id.toString());
    Q_EMIT pinnedChanged();
}

void RuntimeFacade::importAccounts(QObject *context, const QString &path,
                                   std::function<void(Result<int>)> done)
{
    onStorageAsync<Result<int>>(
        context,
        [path](AppContext &app, auto reply) {
            app.actions().importFile(path, [reply](Result<ImportReport> imported) {
                reply(imported ? Result<int>(int(imported->imported)) : imported.error());
            });
        },
        std::move(done));
}

void RuntimeFacade::exportAccounts(QObject *context, const QString &path, bool withSecrets,
                                   std::function<void(Status)> done)
{
    onStorageAsync<Status>(
        context,
        [path, withSecrets](AppContext &app, auto reply) {
            app.actions().exportFile(
                path, withSecrets, [reply](Result<qsizetype> written) { reply(outcome(written)); });
        },
        std::move(done));
}

void RuntimeFacade::setSetting(QObject *context, const QString &key, const QVariant &value,
                               std::function<void(Status)> done)
{
    onStorage<Status>(
        context, [key, value](AppContext &app) { return app.settings().save(key, value); },
        std::move(done));
}

void RuntimeFacade::createAccessKey(QObject *context, const QString &name,
                                    std::function<void(Result<NewAccessKey>)> done)
{
    onStorage<Result<NewAccessKey>>(
        context, [name](AppContext &app) { return app.accessKeys().create(name); },
        std::move(done));
}

void RuntimeFacade::revokeAccessKey(QObject *context, const QUuid &id,
                                    std::function<void(Status)> done)
{
    onStorage<Status>(
        context,
        [id](AppContext &app) {
            return outcome(app.accessKeys().revoke(id.toString(QUuid::WithoutBraces)));
        },
        std::move(done));
}

void RuntimeFacade::loadMinutes(QObject *context, const QDateTime &from, const QDateTime &to,
                                std::function<void(Result<QList<UsageMinute>>)> done)
{
    onStorage<Result<QList<UsageMinute>>>(
        context, [from, to](AppContext &app) { return app.usage().minutes(from, to); },
        std::move(done));
}

void RuntimeFacade::loadTotals(QObject *context, const QDateTime &from, const QDateTime &to,
                               std::function<void(Result<QList<UsageTotals>>)> done)
{
    onStorage<Result<QList<UsageTotals>>>(
        context, [from, to](AppContext &app) { return app.actions().stats(from, to); },
        std::move(done));
}

void RuntimeFacade::loadRecent(QObject *context, int limit,
                               std::function<void(Result<QList<UsageRecord>>)> done)
{
    onStorage<Result<QList<UsageRecord>>>(
        context, [limit](AppContext &app) { return app.usage().recent(limit); }, std::move(done));
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
        // The pin of the last run, while its account is still there to serve.
        const Account *saved = account(QUuid(m_uiState.value(UiKeys::pinnedAccount).toString()));
        if (saved && saved->enabled)
            setPinned(saved->id);
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
