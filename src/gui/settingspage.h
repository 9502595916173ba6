// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class Backend;

/// Settings, access keys and Connect Claude Code.
class SettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsPage)

public:
    explicit SettingsPage(Backend &backend, QWidget *parent = nullptr);

    /// Shows the access keys and starts creating one.
    void createAccessKey();
    /// Shows the "Connect Claude Code" section.
    void showConnect();

private:
    Backend &m_backend;
};
