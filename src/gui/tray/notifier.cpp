// SPDX-License-Identifier: GPL-3.0-or-later
#include "notifier.h"

#include "core/clock.h"

using namespace Qt::StringLiterals;

Notifier::Notifier(const Clock &clock)
    : m_clock(clock)
{ }

std::optional<Notification> Notifier::accountInvalidated(const QUuid &id, const QString &name,
                                                         const QString &reason)
{
    const QString text = reason.isEmpty()
        ? tr("The provider rejected the key of \"%1\". Switchboard stopped using it: update the "
             "key in Accounts.")
              .arg(name)
        : tr("The provider rejected the key of \"%1\" (%2). Switchboard stopped using it: update "
             "the key in Accounts.")
              .arg(name, reason);
    return admit({Notification::Kind::AccountInvalidated, Notification::Severity::Warning,
                  tr("Account key rejected"), text},
                 id.toString());
}

std::optional<Notification> Notifier::healthChanged(int usable, int enabled)
{
    const bool allDown = enabled > 0 && usable == 0;
    const bool became = allDown && !m_allDown;
    m_allDown = allDown;
    if (!became)
        return std::nullopt;
    return admit({Notification::Kind::AllAccountsDown, Notification::Severity::Critical,
                  tr("No account can serve requests"),
                  tr("All %n account(s) are cooling down, rejected or parked. Requests fail "
                     "until one recovers; check Accounts for the reasons.",
                     "", enabled)},
                 {});
}

std::optional<Notification> Notifier::gatewayFailed(const QString &error)
{
    m_gatewayFailed = true;
    return admit({Notification::Kind::GatewayFailed, Notification::Severity::Critical,
                  tr("The local endpoint is not running"), error},
                 {});
}

std::optional<Notification> Notifier::gatewayRunning(const QString &url)
{
    if (!m_gatewayFailed)
        return std::nullopt;
    m_gatewayFailed = false;
    return admit({Notification::Kind::GatewayRecovered, Notification::Severity::Information,
                  tr("The local endpoint is running again"),
                  tr("Clients can reach Switchboard at %1.").arg(url)},
                 {});
}

std::optional<Notification> Notifier::clientRefused(const QString &client, const QString &reason,
                                                    int count)
{
    const QDateTime now = m_clock.now();
    // Bounded: only clients refused within the last minute are remembered.
    m_refused.removeIf(
        [&now](const auto &entry) { return entry.value().last().secsTo(now) >= 60; });
    QList<QDateTime> &times = m_refused[client];
    times.removeIf([&now](const QDateTime &t) { return t.secsTo(now) >= 60; });
    for (int i = 0; i < std::min(count, refusalsToTell); ++i)
        times.append(now);
    if (times.size() < refusalsToTell)
        return std::nullopt;
    return admit({Notification::Kind::ClientRefused, Notification::Severity::Warning,
                  tr("A client keeps being refused"),
                  tr("Switchboard refused %1 several times: %2 If this is Claude Code, open "
                     "Settings ▸ Connect Claude Code to give it a working key.")
                      .arg(client, reason)},
                 client);
}

std::optional<Notification> Notifier::admit(Notification notification, const QString &subject)
{
    const QDateTime now = m_clock.now();
    const QString key = u"%1/%2"_s.arg(int(notification.kind)).arg(subject);
    const auto last = m_lastShown.constFind(key);
    if (last != m_lastShown.cend()
        && last->msecsTo(now) < std::chrono::milliseconds(repeatInterval).count())
        return std::nullopt;
    m_recent.removeIf([&now](const QDateTime &shown) { return shown.secsTo(now) >= 60; });
    if (m_recent.size() >= maxPerMinute)
        return std::nullopt;
    m_recent << now;
    m_lastShown.insert(key, now);
    return notification;
}
