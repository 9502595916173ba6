// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"
#include "gui/settings/claudesettingsfile.h"

#include <QWidget>

#include <optional>

class RuntimeFacade;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabBar;

/// "Connect Claude Code": the two environment variables to set (shell or PowerShell), and
/// writing them into Claude Code's settings file, with Undo.
class ConnectPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectPanel)

public:
    enum class Shell { Posix, PowerShell };

    explicit ConnectPanel(RuntimeFacade &runtime, QWidget *parent = nullptr);

    /// The key created in this session: its plaintext goes into the lines.
    void setAccessKey(const NewAccessKey &key);
    /// Claude Code's settings file; empty: ~/.claude/settings.json of the current HOME.
    void setSettingsPath(const QString &path);
    QString settingsPath() const;
    void setShell(Shell shell);
    /// The line for ANTHROPIC_BASE_URL (0) or ANTHROPIC_AUTH_TOKEN (1), as shown.
    QString line(int index) const;
    /// Whether the settings file points at this Switchboard (as last read).
    bool isConnected() const { return m_connected; }

    /// Reads the settings file again (off the GUI thread).
    void refresh();
    void writeSettings();
    void undo();
    bool canUndo() const { return m_change.has_value(); }

Q_SIGNALS:
    void createKeyRequested();
    void connectionChanged(bool connected);
    /// A write or undo finished (successfully or not).
    void fileChanged();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void retranslate();
    void updateLines();
    void updateStatus();
    QString baseUrl() const;
    void setMessage(const QString &text, bool error);

    RuntimeFacade &m_runtime;
    QString m_path;
    std::optional<NewAccessKey> m_key;
    std::optional<ClaudeSettingsFile::Change> m_change;
    bool m_connected = false;
    QString m_readError;
    bool m_busy = false;

    QLabel *m_title;
    QLabel *m_status;
    QLabel *m_intro;
    QTabBar *m_shells;
    QLineEdit *m_lines[2];
    QPushButton *m_copy[2];
    QPushButton *m_copyBoth;
    QLabel *m_keyNote;
    QPushButton *m_createKey;
    QLabel *m_fileIntro;
    QPushButton *m_write;
    QPushButton *m_undo;
    QLabel *m_message;
};
