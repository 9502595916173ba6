// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QString>

/// "Start at login": the desktop's autostart entry for Switchboard. Linux: an XDG
/// autostart .desktop file; macOS: a LaunchAgent plist; Windows: a value under HKCU's Run
/// key. The folder is injectable so tests write into a temporary one. Plain file work:
/// run it off the GUI thread.
class AutoStart final
{
    Q_DECLARE_TR_FUNCTIONS(AutoStart)

public:
    enum class Platform { Linux, MacOS, Windows };

    /// `folder`: the XDG config folder (Linux), ~/Library (macOS); unused on Windows.
    AutoStart(Platform platform, QString folder, QString executable);
    /// For this machine and user, starting this executable.
    static AutoStart forThisSystem();

    /// The file (or registry value) that makes Switchboard start.
    QString entryPath() const;
    bool isEnabled() const;
    Status setEnabled(bool enabled) const;
    /// The entry's content for Linux and macOS.
    QByteArray entryContent() const;

private:
    Platform m_platform;
    QString m_folder;
    QString m_executable;
};
