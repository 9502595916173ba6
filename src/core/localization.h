// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

/// Loads the application's and Qt's translations for a language.
namespace Localization {

/// "system" follows the OS locale; "en" and "zh_CN" force a language. Replaces any
/// translation installed before, so it can switch languages at run time.
void install(const QString &language);
/// The language actually in use after install(): "en" or "zh_CN".
QString current();

} // namespace Localization
