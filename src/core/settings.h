// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QHash>
#include <QHostAddress>
#include <QStringList>
#include <QVariant>

/// One setting: its key, type, default and allowed values.
struct SettingDefinition
{
    enum class Type { Bool, Int, Choice, Address, OriginList };

    QString key;
    Type type;
    QVariant defaultValue;
    qint64 min = 0;
    qint64 max = 0;
    QStringList choices;
    const char *description; ///< untranslated; QT_TRANSLATE_NOOP("Settings", …)
};

/// Every setting of the application, validated. A value object: copy it freely, the
/// gateway keeps its own copy. Invalid values are refused with a message, never clamped.
class Settings
{
    Q_DECLARE_TR_FUNCTIONS(Settings)

public:
    static constexpr quint16 defaultPort = 17878;

    static const QList<SettingDefinition> &definitions();
    static const SettingDefinition *definition(const QString &key);
    /// Parses text as typed on a command line ("true", "30", "round_robin").
    static Result<QVariant> parse(const QString &key, const QString &text);
    /// Checks a typed value (from JSON or a widget) against the definition.
    static Result<QVariant> validate(const QString &key, const QVariant &value);
    /// The value as text, in the form `parse` accepts.
    static QString format(const QVariant &value);

    QVariant value(const QString &key) const;
    Status set(const QString &key, const QVariant &value);
    /// Keys that differ from their default.
    QStringList changedKeys() const;

    QHostAddress listenAddress() const;
    quint16 listenPort() const;
    QString strategy() const;
    int validationIntervalMinutes() const;
    int errorThreshold() const;
    int rateLimitCooldownSeconds() const;
    int overloadedCooldownSeconds() const;
    int circuitCooldownSeconds() const;
    int permissionCooldownSeconds() const;
    int stickyTtlMinutes() const;
    bool debugLogging() const;
    QString language() const;
    bool startMinimized() const;
    bool closeToTray() const;
    bool startAtLogin() const;
    QStringList allowedOrigins() const;
    bool passthrough() const;
    int upstreamTimeoutSeconds() const;
    int requestDeadlineSeconds() const;

private:
    QHash<QString, QVariant> m_values;
};

namespace SettingKeys {
inline const QString listenAddress = QStringLiteral("gateway.listen_address");
inline const QString listenPort = QStringLiteral("gateway.port");
inline const QString strategy = QStringLiteral("routing.strategy");
inline const QString validationInterval = QStringLiteral("validation.interval_minutes");
inline const QString errorThreshold = QStringLiteral("health.error_threshold");
inline const QString rateLimitCooldown = QStringLiteral("cooldown.rate_limit_seconds");
inline const QString overloadedCooldown = QStringLiteral("cooldown.overloaded_seconds");
inline const QString circuitCooldown = QStringLiteral("cooldown.circuit_seconds");
inline const QString permissionCooldown = QStringLiteral("cooldown.permission_seconds");
inline const QString stickyTtl = QStringLiteral("routing.sticky_ttl_minutes");
inline const QString debugLogging = QStringLiteral("logging.debug");
inline const QString language = QStringLiteral("ui.language");
inline const QString startMinimized = QStringLiteral("ui.start_minimized");
inline const QString closeToTray = QStringLiteral("ui.close_to_tray");
inline const QString startAtLogin = QStringLiteral("ui.start_at_login");
inline const QString allowedOrigins = QStringLiteral("gateway.allowed_origins");
inline const QString passthrough = QStringLiteral("gateway.passthrough");
inline const QString upstreamTimeout = QStringLiteral("gateway.upstream_timeout_seconds");
inline const QString requestDeadline = QStringLiteral("gateway.request_deadline_seconds");
} // namespace SettingKeys
