// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"

#include <QWidget>

#include <optional>

class AccessKeyDialog;
class AccessKeysPanel;
class RuntimeFacade;
class ConnectPanel;
class QLabel;
class QTabWidget;
class SettingsForm;

/// Settings, access keys and Connect Claude Code, as tabs.
class SettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)

public:
    enum class Section { Gateway, App, AccessKeys, Connect };

    explicit SettingsPage(RuntimeFacade &runtime, QWidget *parent = nullptr);

    /// Shows the access keys and opens the dialog that creates one.
    AccessKeyDialog *createAccessKey();
    /// Shows the "Connect Claude Code" section.
    ConnectPanel *showConnect();
    void showSection(Section section);
    Section currentSection() const;

    SettingsForm *gatewayForm() const { return m_gateway; }
    SettingsForm *appForm() const { return m_app; }
    AccessKeysPanel *accessKeysPanel() const { return m_keys; }
    ConnectPanel *connectPanel() const { return m_connect; }
    QTabWidget *tabs() const { return m_tabs; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateEndpoint();
    void updateDebugNote();
    void applyAutoStart(bool enabled);

    RuntimeFacade &m_runtime;
    QTabWidget *m_tabs;
    SettingsForm *m_gateway;
    SettingsForm *m_app;
    AccessKeysPanel *m_keys;
    ConnectPanel *m_connect;
    QLabel *m_endpoint;
    QLabel *m_debugNote;
    QLabel *m_autoStart;
    QString m_autoStartError;
};
