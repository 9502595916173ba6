// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class Backend;

/// The accounts: a table with health, and the actions on them.
class AccountsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsPage)

public:
    explicit AccountsPage(Backend &backend, QWidget *parent = nullptr);

    /// Opens the editor for a new account.
    void addAccount();

private:
    Backend &m_backend;
};
