// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSettings>
#include <QString>
#include <QVariant>

#include <memory>

/// What the window remembers between runs that is not a setting: column widths, the
/// pinned account, notices already given. An INI file in the data folder (window.ini),
/// so every profile has its own and nothing of it goes into the database; without a file
/// (no data folder) it remembers for the session only.
class UiState final
{
    Q_DISABLE_COPY_MOVE(UiState)

public:
    explicit UiState(const QString &path = {});

    QVariant value(const QString &key, const QVariant &fallback = {}) const;
    void setValue(const QString &key, const QVariant &value);
    void remove(const QString &key);

private:
    std::unique_ptr<QSettings> m_file;
    QVariantHash m_session; ///< without a file
};

namespace UiKeys {
inline const QString logsHeader = QStringLiteral("logs/header");
inline const QString pinnedAccount = QStringLiteral("routing/pinned_account");
inline const QString toldKeepsServing = QStringLiteral("tray/told_keeps_serving");
} // namespace UiKeys
