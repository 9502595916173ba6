// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QUuid>
#include <QWidget>

class AccountDialog;
class AccountsActions;
class AccountsEmptyState;
class AccountsFilterModel;
class AccountsRemovalFlow;
class AccountsTableModel;
class AccountsTransferFlow;
class AccountsValidationFlow;
class BatchAddDialog;
class RuntimeFacade;
class StatusLine;
class QComboBox;
class QFileDialog;
class QLineEdit;
class QStackedWidget;
class QTableView;
class QToolBar;

/// The accounts: a live table with health badges, and the actions on them (add, batch
/// add, edit, delete, enable, pin, validate, purge, import, export). Every method that
/// opens a dialog returns it (open()-ed, deleted on close), for tests and screenshots.
class AccountsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsPage)

public:
    explicit AccountsPage(RuntimeFacade &runtime, QWidget *parent = nullptr);

    /// Opens the editor for a new account.
    AccountDialog *addAccount();
    /// Opens the editor on an account; null if there is no such account.
    AccountDialog *editAccount(const QUuid &id);
    BatchAddDialog *batchAdd();
    /// Opens a file dialog; the chosen file is imported.
    QFileDialog *importAccounts();
    /// Opens a file dialog; then asks whether the keys go into the file.
    QFileDialog *exportAccounts();
    void importFrom(const QString &path);
    /// Asks whether to include the keys (plain text), then writes the file.
    void exportTo(const QString &path);

    QList<QUuid> selectedIds() const;
    void selectAccounts(const QList<QUuid> &ids);
    /// Each asks for confirmation first where it destroys something.
    void deleteSelected();
    void setSelectedEnabled(bool enabled);
    void togglePinSelected();
    void validateSelected();
    void validateAll();
    void purgeInvalid();

    AccountsTableModel *model() const { return m_model; }
    AccountsFilterModel *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    /// The status line: validation progress and summary, or the last action's outcome.
    QString statusText() const;
    bool isValidating() const;
    /// The per-account outcome of the last validation run ("Valid · 230 ms" or the reason).
    QString lastResult(const QUuid &id) const;

Q_SIGNALS:
    void validationFinished(const QString &summary);

protected:
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void retranslate();
    void updateActions();
    void updateView();
    void showContextMenu(const QPoint &pos);

    RuntimeFacade &m_runtime;
    AccountsTableModel *m_model;
    AccountsFilterModel *m_proxy;
    QToolBar *m_toolBar;
    QLineEdit *m_filterEdit;
    QComboBox *m_healthFilter;
    QStackedWidget *m_stack;
    QTableView *m_view;
    AccountsEmptyState *m_empty;
    StatusLine *m_status;

    AccountsActions *m_actions;
    AccountsValidationFlow *m_validation;
    AccountsRemovalFlow *m_removal;
    AccountsTransferFlow *m_transfer;
};
