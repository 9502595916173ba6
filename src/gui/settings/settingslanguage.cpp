// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingslanguage.h"

#include "core/localization.h"
#include "gui/common/backend.h"

SettingsLanguage::SettingsLanguage(Backend &backend, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
{
    connect(&m_backend, &Backend::settingsChanged, this, &SettingsLanguage::apply);
    if (m_backend.isLoaded())
        apply();
}

void SettingsLanguage::apply()
{
    const QString language = m_backend.settings().language();
    if (language == m_language)
        return;
    m_language = language;
    Localization::install(language);
}
