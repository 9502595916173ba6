// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class RuntimeFacade;

/// Installs the translation of the language chosen in the settings, whenever it changes:
/// every widget then retranslates on QEvent::LanguageChange.
class SettingsLanguage final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsLanguage)

public:
    explicit SettingsLanguage(RuntimeFacade &runtime, QObject *parent = nullptr);

private:
    void apply();

    RuntimeFacade &m_runtime;
    QString m_language;
};
