// SPDX-License-Identifier: GPL-3.0-or-later
#include "storageworker.h"

#include "core/accountjson.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/clock.h"
#include "core/debuglog.h"
#include "core/logging.h"
#include "core/settingsstore.h"
#include "core/usagestore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace {

constexpr int flushIntervalMs = 1000;
// Changes by other processes (the command line, a second instance) show up this fast.
constexpr int reloadIntervalMs = 5000;
constexpr qsizetype maxBatch = 500;

} // namespace

StorageWorker::StorageWorker(AppOptions options, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
    , m_flushTimer(new QTimer(this))
    , m_reloadTimer(new QTimer(this))
{
    connect(m_flushTimer, &QTimer::timeout, this, &StorageWorker::flush);
    connect(m_reloadTimer, &QTimer::timeout, this, &StorageWorker::reload);
}

StorageWorker::~StorageWorker()
{
    if (m_app)
        flush();
}

void StorageWorker::open()
{
    auto app = AppContext::open(m_options, m_clock);
    if (!app)
        return Q_EMIT failed(app.error().message);
    m_app = std::move(*app);
    m_usage = std::make_unique<UsageStore>(m_app->database());
    m_debugLog = std::make_unique<DebugLog>(QDir(m_app->dataDir()).filePath(u"logs/debug.jsonl"_s));
    if (!load(true))
        return;
    m_flushTimer->start(flushIntervalMs);
    m_reloadTimer->start(reloadIntervalMs);
}

void StorageWorker::reload()
{
    if (m_app)
        load(false);
}

bool StorageWorker::load(bool force)
{
    auto settings = m_app->settings().load();
    auto accounts = m_app->accounts().list();
    auto keys = m_app->accessKeys().list();
    const Error *error = !settings ? &settings.error()
        : !accounts                ? &accounts.error()
        : !keys                    ? &keys.error()
                                   : nullptr;
    if (error) {
        if (force)
            Q_EMIT failed(error->message);
        else
            qCWarning(lcStore).noquote() << "Cannot reload:" << error->message;
        return false;
    }
    // Only configuration counts: health written by this process must not cause a reload.
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const Account &a : *accounts)
        hash.addData(QByteArray(a.idString().toLatin1()
                                + a.updatedAt.toString(Qt::ISODateWithMs).toLatin1()));
    for (const AccessKey &k : *keys)
        hash.addData(QByteArray(k.idString().toLatin1() + (k.isRevoked() ? "r" : "a")));
    for (const SettingDefinition &d : Settings::definitions())
        hash.addData(Settings::format(settings->value(d.key)).toUtf8());
    const QByteArray fingerprint = hash.result();
    if (!force && fingerprint == m_fingerprint)
        return true;
    m_fingerprint = fingerprint;
    Q_EMIT loaded(*accounts, *keys, *settings);
    return true;
}

void StorageWorker::recordUsage(const UsageRecord &record)
{
    m_pendingUsage.append(record);
    if (m_pendingUsage.size() >= maxBatch)
        flush();
}

void StorageWorker::saveHealth(const QUuid &id, const AccountHealth &health)
{
    m_pendingHealth.insert(id, health);
}

void StorageWorker::flush()
{
    if (!m_app)
        return;
    for (auto it = m_pendingHealth.cbegin(); it != m_pendingHealth.cend(); ++it) {
        const Status saved = m_app->accounts().updateHealth(it.key(), it.value());
        if (!saved && saved.error().kind != Error::Kind::NotFound)
            qCWarning(lcStore).noquote() << "Cannot save account health:" << saved.error().message;
    }
    m_pendingHealth.clear();
    if (m_pendingUsage.isEmpty())
        return;
    const QList<UsageRecord> batch = std::exchange(m_pendingUsage, {});
    if (Status stored = m_usage->record(batch); !stored) {
        qCWarning(lcStore).noquote() << "Cannot store usage:" << stored.error().message;
        return;
    }
    QHash<QUuid, QDateTime> keysUsed;
    for (const UsageRecord &r : batch) {
        if (!r.accessKeyId.isNull())
            keysUsed.insert(r.accessKeyId, std::max(keysUsed.value(r.accessKeyId), r.time));
    }
    for (auto it = keysUsed.cbegin(); it != keysUsed.cend(); ++it)
        m_app->accessKeys().markUsed(it.key(), it.value());
    Q_EMIT usageStored(batch);
}

SecretStore *StorageWorker::secrets()
{
    return m_app ? &m_app->secrets() : nullptr;
}

void StorageWorker::run(const Job &job)
{
    if (!m_app) {
        qCWarning(lcStore) << "A storage job arrived before the database was open; dropped.";
        return;
    }
    flush(); // a job reading usage sees every finished request
    job(*m_app, *m_usage);
}

void StorageWorker::writeDebugEntry(const QJsonObject &entry)
{
    if (m_debugLog)
        m_debugLog->append(entry);
}

void StorageWorker::admin(const AdminCall &call, AdminReply reply)
{
    if (!m_app)
        return reply(AdminResult::failure(Error::storage(tr("The database is not open."))));
    const QString resource = call.path.value(0);
    const QString ref = call.path.value(1);
    auto reloadThen = [this, reply](AdminResult result) {
        flush();
        load(true); // the gateway sees the change at once
        reply(result);
    };

    if (resource == u"reload" && call.method == "POST" && call.path.size() == 1)
        return reloadThen(AdminResult::ok(QJsonObject {{u"reloaded"_s, true}}));

    if (resource == u"stats" && call.method == "GET" && call.path.size() == 1) {
        flush();
        const QDateTime to = m_clock.now().addSecs(1);
        const qint64 hours = QUrlQuery(call.query).queryItemValue(u"hours"_s).toLongLong();
        auto totals = m_usage->totals(to.addSecs(-3600 * (hours > 0 ? hours : 24)), to);
        if (!totals)
            return reply(AdminResult::failure(totals.error()));
        QJsonArray array;
        for (const UsageTotals &t : *totals)
            array.append(UsageStore::toJson(t));
        return reply(AdminResult::ok(QJsonObject {{u"accounts"_s, array}}));
    }

    if (resource != u"accounts")
        return reply(AdminResult::failure(Error::notFound(
            tr("There is no admin endpoint /admin/v1/%1.").arg(call.path.join(u'/')))));

    if (call.method == "POST" && call.path.size() == 1) {
        if (!call.body.contains(u"name"))
            return reply(AdminResult::failure(Error::invalid(tr("name: the field is required."))));
        auto draft = AccountJson::apply(call.body, Account {});
        if (!draft)
            return reply(AdminResult::failure(draft.error()));
        return m_app->accountService().create(
            *draft, call.body.value(u"secret").toString(), [reloadThen](Result<Account> created) {
                if (!created)
                    return reloadThen(AdminResult::failure(created.error()));
                reloadThen(AdminResult::ok(AccountJson::toJson(*created), 201));
            });
    }
    auto account = m_app->accounts().resolve(ref);
    if (call.path.size() != 2 || !account) {
        return reply(AdminResult::failure(
            call.path.size() != 2 ? Error::notFound(
                tr("There is no admin endpoint /admin/v1/%1.").arg(call.path.join(u'/')))
                                  : account.error()));
    }
    if (call.method == "PATCH") {
        auto edited = AccountJson::apply(call.body, *account);
        if (!edited)
            return reply(AdminResult::failure(edited.error()));
        std::optional<QString> secret;
        if (call.body.contains(u"secret"))
            secret = call.body.value(u"secret").toString();
        return m_app->accountService().update(
            *edited, secret, [reloadThen](Result<Account> updated) {
                if (!updated)
                    return reloadThen(AdminResult::failure(updated.error()));
                reloadThen(AdminResult::ok(AccountJson::toJson(*updated)));
            });
    }
    if (call.method == "DELETE") {
        return m_app->accountService().remove(account->id, [reloadThen](Status removed) {
            if (!removed)
                return reloadThen(AdminResult::failure(removed.error()));
            reloadThen(AdminResult::ok(QJsonObject {{u"deleted"_s, true}}));
        });
    }
    reply(AdminResult::failure(
        Error::notFound(tr("There is no admin endpoint %1 /admin/v1/%2.")
                            .arg(QString::fromLatin1(call.method), call.path.join(u'/')))));
}
