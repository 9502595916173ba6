// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings.h"

#include "core/localization.h"

#include <QUrl>

using namespace Qt::StringLiterals;
using Type = SettingDefinition::Type;

const QList<SettingDefinition> &Settings::definitions()
{
    namespace K = SettingKeys;
    // clang-format off
    static const QList<SettingDefinition> all = {
        {K::listenAddress, Type::Address, u"127.0.0.1"_s, 0, 0, {},
         QT_TRANSLATE_NOOP("Settings", "IP address the local endpoint listens on")},
        {K::listenPort, Type::Int, int(defaultPort), 1, 65535, {},
         QT_TRANSLATE_NOOP("Settings", "TCP port of the local endpoint")},
        {K::allowedOrigins, Type::OriginList, QStringList(), 0, 0, {},
         QT_TRANSLATE_NOOP("Settings", "Browser origins allowed to call the endpoint, comma-separated")},
        {K::passthrough, Type::Bool, false, 0, 0, {},
         QT_TRANSLATE_NOOP("Settings", "Forward a client key that is not a local access key upstream")},
        {K::upstreamTimeout, Type::Int, 300, 1, 3600, {},
         QT_TRANSLATE_NOOP("Settings", "Seconds of upstream silence before an attempt counts as timed out")},
        {K::requestDeadline, Type::Int, 900, 1, 7200, {},
         QT_TRANSLATE_NOOP("Settings", "Seconds after which a request starts no new attempt")},
        {K::strategy, Type::Choice, u"priority"_s, 0, 0,
         {u"priority"_s, u"round_robin"_s, u"least_used"_s, u"weighted"_s},
         QT_TRANSLATE_NOOP("Settings", "How to pick an account within a tier")},
        {K::validationInterval, Type::Int, 30, 0, 1440, {},
         QT_TRANSLATE_NOOP("Settings", "Minutes between automatic account checks (0: never)")},
        {K::errorThreshold, Type::Int, 3, 1, 100, {},
         QT_TRANSLATE_NOOP("Settings", "Consecutive errors after which an account rests for a while")},
        {K::rateLimitCooldown, Type::Int, 60, 1, 86400, {},
         QT_TRANSLATE_NOOP("Settings", "Seconds an account rests after a rate limit without retry-after")},
        {K::overloadedCooldown, Type::Int, 15, 1, 3600, {},
         QT_TRANSLATE_NOOP("Settings", "Seconds an account rests after an overloaded answer")},
        {K::circuitCooldown, Type::Int, 120, 1, 86400, {},
         QT_TRANSLATE_NOOP("Settings", "Seconds an account rests after repeated errors")},
        {K::permissionCooldown, Type::Int, 3600, 1, 604800, {},
         QT_TRANSLATE_NOOP("Settings", "Seconds an account skips a model it was refused access to")},
        {K::stickyTtl, Type::Int, 60, 0, 1440, {},
         QT_TRANSLATE_NOOP("Settings", "Minutes a conversation stays on its account (0: no stickiness)")},
        {K::debugLogging, Type::Bool, false, 0, 0, {},
         QT_TRANSLATE_NOOP("Settings", "Log request and response bodies (keys masked)")},
        {K::language, Type::Choice, u"system"_s, 0, 0, QStringList {u"system"_s} + Localization::available(),
         QT_TRANSLATE_NOOP("Settings", "Language of the window")},
        {K::startMinimized, Type::Bool, false, 0, 0, {},
         QT_TRANSLATE_NOOP("Settings", "Start minimised to the tray")},
        {K::closeToTray, Type::Bool, true, 0, 0, {},
         QT_TRANSLATE_NOOP("Settings", "Closing the window keeps Switchboard serving in the tray")},
        {K::startAtLogin, Type::Bool, false, 0, 0, {},
         QT_TRANSLATE_NOOP("Settings", "Start Switchboard when you log in")},
    };
    // clang-format on
    return all;
}

const SettingDefinition *Settings::definition(const QString &key)
{
    for (const SettingDefinition &d : definitions()) {
        if (d.key == key)
            return &d;
    }
    return nullptr;
}

Result<QVariant> Settings::parse(const QString &key, const QString &text)
{
    const SettingDefinition *d = definition(key);
    if (!d)
        return validate(key, {});
    const QString t = text.trimmed();
    switch (d->type) {
    case Type::Bool: {
        const QString lower = t.toLower();
        if (QStringList {u"true"_s, u"1"_s, u"yes"_s, u"on"_s}.contains(lower))
            return validate(key, true);
        if (QStringList {u"false"_s, u"0"_s, u"no"_s, u"off"_s}.contains(lower))
            return validate(key, false);
        return Error::invalid(tr("%1 must be true or false (got \"%2\").").arg(key, t));
    }
    case Type::Int: {
        bool ok = false;
        const qlonglong n = t.toLongLong(&ok);
        if (!ok)
            return Error::invalid(tr("%1 must be a whole number (got \"%2\").").arg(key, t));
        return validate(key, n);
    }
    case Type::OriginList: {
        QStringList origins;
        for (const QString &o : t.split(u',', Qt::SkipEmptyParts))
            origins << o.trimmed();
        return validate(key, origins);
    }
    case Type::Choice:
    case Type::Address:
        return validate(key, t);
    }
    return validate(key, t);
}

Result<QVariant> Settings::validate(const QString &key, const QVariant &value)
{
    const SettingDefinition *d = definition(key);
    if (!d) {
        return Error::notFound(
            tr("Unknown setting \"%1\". List them with: switchboard settings list").arg(key));
    }
    switch (d->type) {
    case Type::Bool:
        if (value.typeId() != QMetaType::Bool)
            return Error::invalid(tr("%1 must be true or false.").arg(key));
        return value;
    case Type::Int: {
        bool ok = false;
        const qlonglong n = value.toLongLong(&ok);
        if (!ok || value.typeId() == QMetaType::Bool || value.typeId() == QMetaType::QString
            || (value.typeId() == QMetaType::Double && value.toDouble() != double(n)))
            return Error::invalid(tr("%1 must be a whole number.").arg(key));
        if (n < d->min || n > d->max) {
            return Error::invalid(tr("%1 must be between %2 and %3 (got %4).")
                                      .arg(key)
                                      .arg(d->min)
                                      .arg(d->max)
                                      .arg(n));
        }
        return QVariant(int(n));
    }
    case Type::Choice:
        if (value.typeId() != QMetaType::QString || !d->choices.contains(value.toString())) {
            return Error::invalid(tr("%1 must be one of: %2 (got \"%3\").")
                                      .arg(key, d->choices.join(u", "), value.toString()));
        }
        return value;
    case Type::OriginList: {
        if (value.typeId() != QMetaType::QStringList)
            return Error::invalid(tr("%1 must be a list of origins.").arg(key));
        for (const QString &origin : value.toStringList()) {
            const QUrl url(origin, QUrl::StrictMode);
            const bool ok = origin == u"*"
                || (url.isValid() && !url.host().isEmpty() && url.path().isEmpty()
                    && (url.scheme() == u"http" || url.scheme() == u"https"));
            if (!ok) {
                return Error::invalid(tr("%1: \"%2\" is not an origin such as "
                                         "http://localhost:3000.")
                                          .arg(key, origin));
            }
        }
        return value;
    }
    case Type::Address: {
        QHostAddress address;
        if (value.typeId() != QMetaType::QString || !address.setAddress(value.toString())) {
            return Error::invalid(tr("%1 must be an IP address such as 127.0.0.1 (got \"%2\").")
                                      .arg(key, value.toString()));
        }
        return QVariant(address.toString());
    }
    }
    return value;
}

QString Settings::format(const QVariant &value)
{
    if (value.typeId() == QMetaType::QStringList)
        return value.toStringList().join(u',');
    if (value.typeId() == QMetaType::Bool)
        return value.toBool() ? u"true"_s : u"false"_s;
    return value.toString();
}

QVariant Settings::value(const QString &key) const
{
    if (auto it = m_values.constFind(key); it != m_values.cend())
        return *it;
    const SettingDefinition *d = definition(key);
    Q_ASSERT_X(d, "Settings::value", "unknown setting key");
    return d ? d->defaultValue : QVariant();
}

Status Settings::set(const QString &key, const QVariant &value)
{
    auto checked = validate(key, value);
    if (!checked)
        return checked.error();
    m_values.insert(key, *checked);
    return {};
}

QStringList Settings::changedKeys() const
{
    QStringList keys;
    for (const SettingDefinition &d : definitions()) {
        if (m_values.contains(d.key) && m_values.value(d.key) != d.defaultValue)
            keys << d.key;
    }
    return keys;
}

QHostAddress Settings::listenAddress() const
{
    return QHostAddress(value(SettingKeys::listenAddress).toString());
}

quint16 Settings::listenPort() const
{
    return quint16(value(SettingKeys::listenPort).toInt());
}

QString Settings::strategy() const
{
    return value(SettingKeys::strategy).toString();
}

int Settings::validationIntervalMinutes() const
{
    return value(SettingKeys::validationInterval).toInt();
}

int Settings::errorThreshold() const
{
    return value(SettingKeys::errorThreshold).toInt();
}

int Settings::rateLimitCooldownSeconds() const
{
    return value(SettingKeys::rateLimitCooldown).toInt();
}

int Settings::overloadedCooldownSeconds() const
{
    return value(SettingKeys::overloadedCooldown).toInt();
}

int Settings::circuitCooldownSeconds() const
{
    return value(SettingKeys::circuitCooldown).toInt();
}

int Settings::permissionCooldownSeconds() const
{
    return value(SettingKeys::permissionCooldown).toInt();
}

int Settings::stickyTtlMinutes() const
{
    return value(SettingKeys::stickyTtl).toInt();
}

bool Settings::debugLogging() const
{
    return value(SettingKeys::debugLogging).toBool();
}

QString Settings::language() const
{
    return value(SettingKeys::language).toString();
}

bool Settings::startMinimized() const
{
    return value(SettingKeys::startMinimized).toBool();
}

bool Settings::closeToTray() const
{
    return value(SettingKeys::closeToTray).toBool();
}

bool Settings::startAtLogin() const
{
    return value(SettingKeys::startAtLogin).toBool();
}

QStringList Settings::allowedOrigins() const
{
    return value(SettingKeys::allowedOrigins).toStringList();
}

bool Settings::passthrough() const
{
    return value(SettingKeys::passthrough).toBool();
}

int Settings::upstreamTimeoutSeconds() const
{
    return value(SettingKeys::upstreamTimeout).toInt();
}

int Settings::requestDeadlineSeconds() const
{
    return value(SettingKeys::requestDeadline).toInt();
}
