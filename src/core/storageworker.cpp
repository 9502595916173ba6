// SPDX-License-Identifier: GPL-3.0-or-later
#include "storageworker.h"

#include "accountstore.h"
#include "clock.h"
#include "logging.h"
#include "settingsstore.h"
#include "usagestore.h"

#include <QCryptographicHash>

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
