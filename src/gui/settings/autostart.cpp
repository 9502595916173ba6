// SPDX-License-Identifier: GPL-3.0-or-later
#include "autostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace {

const QString windowsRunKey
    = u"HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"_s;
const QString windowsValueName = u"Switchboard"_s;

QString quoted(const QString &path)
{
    return path.contains(u' ') ? u"\"%1\""_s.arg(path) : path;
}

} // namespace

AutoStart::AutoStart(Platform platform, QString folder, QString executable)
    : m_platform(platform)
    , m_folder(std::move(folder))
    , m_executable(std::move(executable))
{ }

AutoStart AutoStart::forThisSystem()
{
    const QString exe = QCoreApplication::applicationFilePath();
#if defined(Q_OS_WIN)
    return AutoStart(Platform::Windows, {}, exe);
#elif defined(Q_OS_MACOS)
    return AutoStart(Platform::MacOS, QDir::homePath() + u"/Library"_s, exe);
#else
    QString config = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (config.isEmpty())
        config = QDir::homePath() + u"/.config"_s;
    return AutoStart(Platform::Linux, config, exe);
#endif
}

QString AutoStart::entryPath() const
{
    switch (m_platform) {
    case Platform::Linux:
        return QDir(m_folder).filePath(u"autostart/switchboard.desktop"_s);
    case Platform::MacOS:
        return QDir(m_folder).filePath(u"LaunchAgents/org.switchboard.Switchboard.plist"_s);
    case Platform::Windows:
        return windowsRunKey + u'\\' + windowsValueName;
    }
    return {};
}

QByteArray AutoStart::entryContent() const
{
    if (m_platform == Platform::MacOS) {
        QString exe = m_executable.toHtmlEscaped();
        return u"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
               "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
               "<plist version=\"1.0\">\n<dict>\n"
               "    <key>Label</key>\n    <string>org.switchboard.Switchboard</string>\n"
               "    <key>ProgramArguments</key>\n    <array>\n        <string>%1</string>\n"
               "    </array>\n"
               "    <key>RunAtLoad</key>\n    <true/>\n"
               "</dict>\n</plist>\n"_s.arg(exe)
                   .toUtf8();
    }
    return u"[Desktop Entry]\n"
           "Type=Application\n"
           "Name=Switchboard\n"
           "Comment=Local gateway for Claude-compatible coding assistants\n"
           "Exec=%1\n"
           "Icon=switchboard\n"
           "Terminal=false\n"
           "X-GNOME-Autostart-enabled=true\n"_s.arg(quoted(m_executable))
               .toUtf8();
}

bool AutoStart::isEnabled() const
{
    if (m_platform == Platform::Windows) {
        QSettings run(windowsRunKey, QSettings::NativeFormat);
        return run.contains(windowsValueName);
    }
    return QFileInfo::exists(entryPath());
}

Status AutoStart::setEnabled(bool enabled) const
{
    if (m_platform == Platform::Windows) {
        QSettings run(windowsRunKey, QSettings::NativeFormat);
        if (enabled)
            run.setValue(windowsValueName, quoted(QDir::toNativeSeparators(m_executable)));
        else
            run.remove(windowsValueName);
        run.sync();
        if (run.status() != QSettings::NoError)
            return Error::io(tr("Cannot change the Windows start-up entry (%1). Check that "
                                "your account may edit the registry.")
                                 .arg(entryPath()));
        return {};
    }
    const QString path = entryPath();
    if (!enabled) {
        QFile file(path);
        if (file.exists() && !file.remove()) {
            return Error::io(tr("Cannot remove %1: %2. Remove it by hand.")
                                 .arg(QDir::toNativeSeparators(path), file.errorString()));
        }
        return {};
    }
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        return Error::io(
            tr("Cannot create the folder %1. Check the permissions of its parent folder.")
                .arg(QDir::toNativeSeparators(dir)));
    }
    QSaveFile file(path);
    const QByteArray content = entryContent();
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size()
        || !file.commit()) {
        return Error::io(tr("Cannot write %1: %2. Check that the folder is writable.")
                             .arg(QDir::toNativeSeparators(path), file.errorString()));
    }
    return {};
}
