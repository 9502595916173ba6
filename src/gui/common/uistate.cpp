// SPDX-License-Identifier: GPL-3.0-or-later
#include "uistate.h"

UiState::UiState(const QString &path)
{
    if (!path.isEmpty())
        m_file = std::make_unique<QSettings>(path, QSettings::IniFormat);
}

QVariant UiState::value(const QString &key, const QVariant &fallback) const
{
    return m_file ? m_file->value(key, fallback) : m_session.value(key, fallback);
}

void UiState::setValue(const QString &key, const QVariant &value)
{
    if (m_file)
        m_file->setValue(key, value); // written out by QSettings soon after, and at exit
    else
        m_session.insert(key, value);
}

void UiState::remove(const QString &key)
{
    if (m_file)
        m_file->remove(key);
    else
        m_session.remove(key);
}
