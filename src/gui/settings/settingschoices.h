// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QStringList>

/// Person-readable names for settings and their choices, shared by the settings page and
/// the tray menu. Translated at each call, so callers re-ask on LanguageChange.
class SettingsChoices final
{
    Q_DECLARE_TR_FUNCTIONS(SettingsChoices)

public:
    /// The label of a setting ("Port", "Strategy", …).
    static QString label(const QString &key);
    /// The one-line explanation from Settings::definitions(), translated.
    static QString description(const QString &key);
    /// "seconds", "minutes" or empty, after a number field.
    static QString unit(const QString &key, int value);

    static QStringList strategies();
    static QString strategyName(const QString &strategy);
    static QString strategyExplanation(const QString &strategy);

    /// Language codes as stored ("system", "en", "zh_CN", "zh_TW", "ja").
    static QStringList languages();
    /// Each language in its own name; "system" in the current language.
    static QString languageName(const QString &code);
};
