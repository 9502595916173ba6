// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class Backend;

/// The first-run view: the three steps to a working setup.
class WelcomePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WelcomePage)

public:
    explicit WelcomePage(Backend &backend, QWidget *parent = nullptr);

Q_SIGNALS:
    void addAccountRequested();
    void createKeyRequested();
    void connectRequested();

private:
    Backend &m_backend;
};
