// SPDX-License-Identifier: GPL-3.0-or-later
#include "validationscheduler.h"

#include "core/clock.h"
#include "gateway/gatewaylogging.h"
#include "gateway/healthbook.h"
#include "gateway/secretcache.h"

#include <QRandomGenerator>

namespace {

// Checks run a few at a time so a large pool does not burst at one provider.
constexpr int maxParallel = 4;

} // namespace

ValidationScheduler::ValidationScheduler(UpstreamValidator &validator, HealthBook &health,
                                         SecretCache &secrets, const Clock &clock,
                                         std::function<quint32()> random, QObject *parent)
    : QObject(parent)
    , m_validator(validator)
    , m_health(health)
    , m_secrets(secrets)
    , m_clock(clock)
    , m_random(random ? std::move(random) : [] { return QRandomGenerator::global()->generate(); })
    , m_periodic(clock)
{
    m_periodic.setSingleShot(true);
    connect(&m_periodic, &ClockTimer::timeout, this, [this] {
        validateAll();
        armPeriodic();
    });
    connect(&m_secrets, &SecretCache::ready, this, &ValidationScheduler::runQueue);
}

void ValidationScheduler::setInterval(int minutes)
{
    if (minutes == m_intervalMinutes)
        return;
    m_intervalMinutes = minutes;
    armPeriodic();
}

void ValidationScheduler::armPeriodic()
{
    m_periodic.stop();
    if (m_intervalMinutes <= 0)
        return;
    m_periodic.start(std::chrono::milliseconds(periodicDelayMs(m_intervalMinutes, m_random())));
}

qint64 ValidationScheduler::periodicDelayMs(int minutes, quint32 random)
{
    // ±10 % jitter, so several instances (or accounts of one provider) do not align.
    const qint64 base = qint64(minutes) * 60 * 1000;
    const qint64 jitter = base / 10;
    return base - jitter + qint64(random % quint64(2 * jitter + 1));
}

void ValidationScheduler::validate(const QUuid &id)
{
    if (!m_queue.contains(id) && !m_running.contains(id))
        m_queue.append(id);
    runQueue();
}

void ValidationScheduler::validateAll()
{
    for (const Account &a : m_health.accounts()) {
        if (a.enabled)
            validate(a.id);
    }
}

void ValidationScheduler::accountsChanged()
{
    QSet<QUuid> present;
    for (const Account &a : m_health.accounts()) {
        present.insert(a.id);
        if (!m_known.contains(a.id) && a.enabled)
            validate(a.id);
    }
    m_known = present;
}

void ValidationScheduler::healthChanged(const QUuid &id, const AccountHealth &health)
{
    delete m_restTimers.take(id);
    if (!health.cooldownUntil.isValid() || health.cooldownUntil <= m_clock.now())
        return;
    auto *timer = new ClockTimer(m_clock, this);
    connect(timer, &ClockTimer::timeout, this, [this, id] {
        m_restTimers.take(id)->deleteLater();
        validate(id);
    });
    timer->startAt(health.cooldownUntil);
    m_restTimers.insert(id, timer);
}

void ValidationScheduler::runQueue()
{
    // Keys are read asynchronously: wait for them rather than report a missing key.
    if (m_secrets.isLoading())
        return;
    while (!m_queue.isEmpty() && m_running.size() < maxParallel) {
        const QUuid id = m_queue.takeFirst();
        const Account *account = m_health.find(id);
        if (!account)
            continue;
        const QString secret = m_secrets.secret(id);
        if (secret.isNull()) {
            ValidationResult missing;
            missing.accountId = id;
            missing.message = tr("The API key could not be read: %1").arg(m_secrets.problem(id));
            Q_EMIT validated(missing);
            continue;
        }
        m_running.insert(id);
        m_validator.validate(*account, secret, [this, id](const ValidationResult &result) {
            m_running.remove(id);
            if (const Account *current = m_health.find(id))
                m_health.setHealth(
                    id, UpstreamValidator::applyResult(current->health, result, m_policy));
            qCInfo(lcGateway).noquote()
                << "Validated" << (m_health.find(id) ? m_health.find(id)->name : QString()) << ":"
                << result.message;
            Q_EMIT validated(result);
            runQueue();
        });
    }
}
