// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QUuid>

#include <chrono>
#include <optional>

class Clock;

/// A desktop notification to show.
struct Notification
{
    enum class Kind {
        AccountInvalidated,
        AllAccountsDown,
        GatewayFailed,
        GatewayRecovered,
        ClientRefused,
    };
    enum class Severity { Information, Warning, Critical };

    Kind kind = Kind::AccountInvalidated;
    Severity severity = Severity::Information;
    QString title;
    QString text;
};

/// Decides which events deserve a notification, so the user hears about trouble without
/// being flooded: the same event about the same account at most once per repeatInterval,
/// at most maxPerMinute notifications in any minute, and "every account is down" only when
/// it becomes true. Pure logic on an injectable clock; TrayNotifier shows the results.
class Notifier final
{
    Q_DECLARE_TR_FUNCTIONS(Notifier)

public:
    static constexpr std::chrono::minutes repeatInterval {10};
    static constexpr int maxPerMinute = 3;

    explicit Notifier(const Clock &clock);

    std::optional<Notification> accountInvalidated(const QUuid &id, const QString &name,
                                                   const QString &reason);
    /// The number of accounts able to serve changed (`usable` of `enabled`).
    std::optional<Notification> healthChanged(int usable, int enabled);
    std::optional<Notification> gatewayFailed(const QString &error);
    /// The gateway runs again at `url`: said only after a failure.
    std::optional<Notification> gatewayRunning(const QString &url);
    /// `count` requests of `client` ("unknown key …3f9a") were refused, telling it `reason`:
    /// said once the client was refused refusalsToTell times within a minute (a misconfigured
    /// client retries; a single typo does not deserve a notification).
    std::optional<Notification> clientRefused(const QString &client, const QString &reason,
                                              int count);
    static constexpr int refusalsToTell = 3;

private:
    std::optional<Notification> admit(Notification notification, const QString &subject);

    const Clock &m_clock;
    QHash<QString, QDateTime> m_lastShown; ///< by kind + subject
    QList<QDateTime> m_recent; ///< shown within the last minute
    QHash<QString, QList<QDateTime>> m_refused; ///< by client, within the last minute
    bool m_allDown = false;
    bool m_gatewayFailed = false;
};
