// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingslanguage.h"

#include "core/localization.h"
#include "gui/common/runtimefacade.h"

SettingsLanguage::SettingsLanguage(RuntimeFacade &runtime, QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
{
    connect(&m_runtime, &RuntimeFacade::settingsChanged, this, &SettingsLanguage::apply);
    if (m_runtime.isLoaded())
        apply();
}

void SettingsLanguage::apply()
{
    const QString language = m_runtime.settings().language();
    if (language == m_language)
        return;
    m_language = language;
    Localization::install(language);
}
