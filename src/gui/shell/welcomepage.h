// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class RuntimeFacade;
class QLabel;
class QPushButton;

/// The first-run view: the three steps to a working setup, each with its button and a
/// check mark once done.
class WelcomePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomePage)

public:
    enum class Step { AddAccount, CreateKey, ConnectClaude };

    explicit WelcomePage(RuntimeFacade &runtime, QWidget *parent = nullptr);

    bool isDone(Step step) const;
    QPushButton *button(Step step) const;
    /// Claude Code's settings file; empty: ~/.claude/settings.json of the current HOME.
    void setClaudeSettingsPath(const QString &path);
    /// Reads Claude Code's settings file again (off the GUI thread).
    void refresh();

Q_SIGNALS:
    void addAccountRequested();
    void createKeyRequested();
    void connectRequested();
    /// refresh() read Claude Code's settings file: isDone(ConnectClaude) says what it found.
    void refreshed();

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    struct StepWidgets
    {
        QLabel *mark;
        QLabel *title;
        QLabel *text;
        QPushButton *button;
    };

    void retranslate();
    void updateSteps();

    RuntimeFacade &m_runtime;
    QString m_claudePath;
    QLabel *m_title;
    QLabel *m_subtitle;
    StepWidgets m_steps[3];
    bool m_connected = false;
};
