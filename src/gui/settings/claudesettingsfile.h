// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>

/// Claude Code's user settings file (~/.claude/settings.json): reads whether its `env`
/// points at Switchboard, and writes our two variables into it without touching anything
/// else. Plain file logic, no threads: callers run it on a worker (BackgroundTask).
///
/// Writing keeps a copy of the file as it was in `<file>.switchboard.bak` (one file,
/// replaced by each write) and returns the previous bytes so the change can be undone
/// exactly, even if the backup was removed since.
class ClaudeSettingsFile final
{
    Q_DECLARE_TR_FUNCTIONS(ClaudeSettingsFile)

public:
    static constexpr QStringView baseUrlVariable = u"ANTHROPIC_BASE_URL";
    static constexpr QStringView tokenVariable = u"ANTHROPIC_AUTH_TOKEN";

    explicit ClaudeSettingsFile(QString path);
    /// ~/.claude/settings.json of the current HOME.
    static QString defaultPath();

    QString path() const { return m_path; }
    QString backupPath() const { return m_path + u".switchboard.bak"; }

    /// What the file says now.
    struct Connection
    {
        bool exists = false;
        QString baseUrl;
        QString token;
    };
    /// Fails when the file exists but cannot be read or is not a JSON object.
    Result<Connection> read() const;
    /// Whether a file with `connection` sends Claude Code to `endpointUrl`.
    static bool pointsAt(const Connection &connection, const QString &endpointUrl);

    /// What write() replaced, for undo().
    struct Change
    {
        bool existed = false;
        QByteArray previous;
    };
    /// Sets env.ANTHROPIC_BASE_URL and env.ANTHROPIC_AUTH_TOKEN, keeping every other key.
    /// Refuses a file that is not valid JSON instead of replacing it.
    Result<Change> write(const QString &baseUrl, const QString &token) const;
    /// Puts back the exact previous bytes, or removes the file if write() created it.
    Status undo(const Change &change) const;

private:
    Result<QByteArray> readBytes() const;
    Result<QJsonObject> parse(const QByteArray &bytes) const;
    Status save(const QString &path, const QByteArray &bytes) const;

    QString m_path;
};
