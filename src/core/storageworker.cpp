// SPDX-License-Identifier: GPL-3.0-or-later
#include "storageworker.h"

#include "core/accountstore.h"
#include "core/clocktimer.h"
#include "core/debuglog.h"
#include "core/logging.h"
#include "core/settingsstore.h"
#include "core/usagestore.h"

#include <QCryptographicHash>
#include <QDir>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

constexpr std::chrono::milliseconds flushInterval = 1s;
// Changes by other processes (the command line, a second instance) show up this fast.
constexpr std::chrono::milliseconds reloadInterval = 5s;
constexpr qsizetype maxBatch = 500;

} // namespace

StorageWorker::StorageWorker(AppOptions options, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
{ }

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
    m_debugLog = std::make_unique<DebugLog>(QDir(m_app->dataDir()).filePath(u"logs/debug.jsonl"_s));
    if (!load(true))
        return;
    // Made here, on the worker's thread, where they must run: a ClockTimer does not follow
    // moveToThread (its QTimer is a member, not a child).
    auto *reloading = new ClockTimer(m_clock, this);
    connect(reloading, &ClockTimer::timeout, this, &StorageWorker::reload);
    reloading->start(reloadInterval);
    // Armed by what is written, so an idle app does not wake up each second for nothing.
    m_flushTimer = new ClockTimer(m_clock, this);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(flushInterval);
    connect(m_flushTimer, &ClockTimer::timeout, this, &StorageWorker::flush);
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
    else
        flushSoon();
}

void StorageWorker::flushSoon()
{
    if (m_flushTimer && !m_flushTimer->isActive())
        m_flushTimer->start();
}

void StorageWorker::saveHealth(const QUuid &id, const AccountHealth &health)
{
    m_pendingHealth.insert(id, health);
    flushSoon();
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
    if (Status stored = m_app->usage().record(batch); !stored) {
        qCWarning(lcStore).noquote() << "Cannot store usage:" << stored.error().message;
        return;
    }
    QHash<QUuid, QDateTime> keysUsed;
    for (const UsageRecord &r : batch) {
        if (!r.accessKeyId.isNull())
            keysUsed.insert(r.accessKeyId, std::max(keysUsed.value(r.accessKeyId), r.time));
    }
    for (auto it = keysUsed.cbegin(); it != keysUsed.cend(); ++it) {
        if (Status marked = m_app->accessKeys().markUsed(it.key(), it.value()); !marked)
            qCWarning(lcStore).noquote()
                << "Cannot note the use of an access key:" << marked.error().message;
    }
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
    job(*m_app);
}

void StorageWorker::writeDebugEntry(const QJsonObject &entry)
{
    if (m_debugLog)
        m_debugLog->append(entry);
}
