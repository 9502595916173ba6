// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

/// Loads the application's and Qt's translations for a language.
namespace Localization {

/// The languages shipped: "en", "zh_CN", "zh_TW", "ja".
QStringList available();
/// The shipped language `language` means: "system" follows the OS's preferred languages
/// (English when none of them is shipped), an unknown code is English.
QString resolve(const QString &language);
/// Installs the language resolve() gives. Replaces any translation installed before, so
/// it can switch languages at run time.
void install(const QString &language);
/// The language actually in use after install(), one of available().
QString current();

} // namespace Localization
