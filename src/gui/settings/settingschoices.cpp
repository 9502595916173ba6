// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingschoices.h"

#include "core/settings.h"

using namespace Qt::StringLiterals;

QString SettingsChoices::label(const QString &key)
{
    namespace K = SettingKeys;
    const QHash<QString, QString> labels = {
        {K::listenAddress, tr("Listen address")},
        {K::listenPort, tr("Port")},
        {K::allowedOrigins, tr("Allowed browser origins")},
        {K::passthrough, tr("Pass unknown client keys upstream")},
        {K::upstreamTimeout, tr("Upstream timeout")},
        {K::requestDeadline, tr("Request deadline")},
        {K::strategy, tr("Strategy")},
        {K::validationInterval, tr("Check accounts every")},
        {K::errorThreshold, tr("Errors before a rest")},
        {K::rateLimitCooldown, tr("After a rate limit")},
        {K::overloadedCooldown, tr("After \"overloaded\"")},
        {K::circuitCooldown, tr("After repeated errors")},
        {K::permissionCooldown, tr("After a refused model")},
        {K::stickyTtl, tr("Keep a conversation on its account for")},
        {K::debugLogging, tr("Debug logging")},
        {K::language, tr("Language")},
        {K::startMinimized, tr("Start minimised to the tray")},
        {K::closeToTray, tr("Closing the window keeps Switchboard serving in the tray")},
        {K::startAtLogin, tr("Start Switchboard when you log in")},
    };
    return labels.value(key, key);
}

QString SettingsChoices::description(const QString &key)
{
    // Where the label already says what the setting's own description says, tell more.
    namespace K = SettingKeys;
    if (key == K::startAtLogin)
        return tr("Switchboard starts in the background when you log in to this computer.");
    if (key == K::startMinimized)
        return tr("Only the tray icon appears at start; click it to open the window. Without a "
                  "system tray the window always opens.");
    if (key == K::closeToTray)
        return tr("The local endpoint keeps serving after you close the window. Quit from the "
                  "tray menu.");
    const SettingDefinition *d = Settings::definition(key);
    return d ? QCoreApplication::translate("Settings", d->description) : QString();
}

QString SettingsChoices::unit(const QString &key, int value)
{
    namespace K = SettingKeys;
    if (key == K::validationInterval || key == K::stickyTtl)
        return tr("minute(s)", "", value);
    if (key == K::rateLimitCooldown || key == K::overloadedCooldown || key == K::circuitCooldown
        || key == K::permissionCooldown || key == K::upstreamTimeout || key == K::requestDeadline)
        return tr("second(s)", "", value);
    if (key == K::errorThreshold)
        return tr("error(s)", "", value);
    return {};
}

QStringList SettingsChoices::strategies()
{
    return Settings::definition(SettingKeys::strategy)->choices;
}

QString SettingsChoices::strategyName(const QString &strategy)
{
    if (strategy == u"priority")
        return tr("Priority");
    if (strategy == u"round_robin")
        return tr("Round robin");
    if (strategy == u"least_used")
        return tr("Least used");
    if (strategy == u"weighted")
        return tr("Weighted");
    return strategy;
}

QString SettingsChoices::strategyExplanation(const QString &strategy)
{
    if (strategy == u"priority")
        return tr("The healthy account with the highest priority serves every request; the "
                  "others stand by.");
    if (strategy == u"round_robin")
        return tr("Accounts take turns, one request each.");
    if (strategy == u"least_used")
        return tr("The account that served the fewest requests goes next.");
    if (strategy == u"weighted")
        return tr("Requests are shared in proportion to each account's weight.");
    return {};
}

QStringList SettingsChoices::languages()
{
    return Settings::definition(SettingKeys::language)->choices;
}

QString SettingsChoices::languageName(const QString &code)
{
    // A language is named in itself, so it can be found whatever the current language.
    if (code == u"en")
        return u"English"_s;
    if (code == u"zh_CN")
        return u"简体中文"_s;
    if (code == u"zh_TW")
        return u"繁體中文"_s;
    if (code == u"ja")
        return u"日本語"_s;
    return tr("System language");
}
