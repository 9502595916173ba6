// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <functional>

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
    /// A status text, rendered when shown (and again after a language change).
    using Text = std::function<QString()>;
    using Report = std::function<void(Text text, bool error)>;

    AccountsTransferFlow(RuntimeFacade &runtime, QWidget *window, Report report);

    QFileDialog *importAccounts();
    QFileDialog *exportAccounts();
    void importFrom(const QString &path);
    /// Asks whether to include the keys (plain text), then writes the file.
    void exportTo(const QString &path);

private:
    RuntimeFacade &m_runtime;
    QWidget *m_window;
    Report m_report;
};
