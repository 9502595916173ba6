// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/accounts/validationrun.h"

#include <QHash>
#include <QUuid>
#include <QWidget>

#include <functional>

class AccountDialog;
class AccountsActions;
class AccountsEmptyState;
class AccountsTransferFlow;
class AccountsFilterModel;
class AccountsTableModel;
class RuntimeFacade;
class BatchAddDialog;
class QComboBox;
class QFileDialog;
class QLabel;
class QLineEdit;
class QProgressBar;
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
    bool isValidating() const { return m_run.isWaiting(); }
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
    void startValidation(const QList<QUuid> &ids);
    void onValidated(const ValidationResult &result);
    void showValidationProgress();
    /// Status texts are rendered when shown and again after a language change.
    using StatusText = std::function<QString()>;
    void setStatus(StatusText text, bool error = false, StatusText toolTip = {});
    void renderStatus();
    void removeAccounts(const QList<QUuid> &ids);
    QStringList quotedNames(const QList<QUuid> &ids) const;

    RuntimeFacade &m_runtime;
    AccountsTableModel *m_model;
    AccountsFilterModel *m_proxy;
    QToolBar *m_toolBar;
    QLineEdit *m_filterEdit;
    QComboBox *m_healthFilter;
    QStackedWidget *m_stack;
    QTableView *m_view;
    AccountsEmptyState *m_empty;
    QLabel *m_status;
    QProgressBar *m_progress;

    AccountsActions *m_actions;
    AccountsTransferFlow *m_transfer;
    StatusText m_statusText;
    StatusText m_statusToolTip;

    ValidationRun m_run;
    /// The latest result of every account validated while the page exists.
    QHash<QUuid, ValidationResult> m_lastResults;
};
