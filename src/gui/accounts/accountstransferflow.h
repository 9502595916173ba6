// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/common/statusline.h"

#include <QObject>

class RuntimeFacade;
class QFileDialog;
class QWidget;

/// The accounts page's import and export: the file dialogs, the "include the API keys?"
/// question, the storage call, and the outcome as a status line (and a warning box when
/// nothing happened). Dialogs are open()-ed, deleted on close, and returned for tests.
class AccountsTransferFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsTransferFlow)

public:
    AccountsTransferFlow(RuntimeFacade &runtime, QWidget *window, StatusLine &status);

    QFileDialog *importAccounts();
    QFileDialog *exportAccounts();
    void importFrom(const QString &path);
    /// Asks whether to include the keys (plain text), then writes the file.
    void exportTo(const QString &path);

private:
    /// Nothing happened: says so on the status line, and why in a warning box.
    void fail(StatusLine::Text status, const QString &title, const QString &message);

    RuntimeFacade &m_runtime;
    QWidget *m_window;
    StatusLine &m_status;
};
