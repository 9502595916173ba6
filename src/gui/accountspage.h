// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "validator.h"

#include <QHash>
#include <QSet>
#include <QUuid>
#include <QWidget>

class AccountDialog;
class AccountsFilterModel;
class AccountsTableModel;
class Backend;
class BatchAddDialog;
class QAction;
class QComboBox;
class QFileDialog;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
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
    explicit AccountsPage(Backend &backend, QWidget *parent = nullptr);

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
    bool isValidating() const { return !m_waiting.isEmpty(); }
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
    void setStatus(const QString &text, bool error = false);
    void removeAccounts(const QList<QUuid> &ids);
    QStringList quotedNames(const QList<QUuid> &ids) const;

    Backend &m_backend;
    AccountsTableModel *m_model;
    AccountsFilterModel *m_proxy;
    QToolBar *m_toolBar;
    QLineEdit *m_filterEdit;
    QComboBox *m_healthFilter;
    QStackedWidget *m_stack;
    QTableView *m_view;
    QWidget *m_empty;
    QLabel *m_emptyTitle;
    QLabel *m_emptyText;
    QPushButton *m_emptyButton;
    QLabel *m_status;
    QProgressBar *m_progress;

    QAction *m_add;
    QAction *m_batch;
    QAction *m_edit;
    QAction *m_delete;
    QAction *m_enable;
    QAction *m_pin;
    QAction *m_validate;
    QAction *m_validateAll;
    QAction *m_purge;
    QAction *m_import;
    QAction *m_export;

    // The validation run in progress: what was asked, what came back.
    QSet<QUuid> m_waiting;
    int m_runTotal = 0;
    QList<ValidationResult> m_runResults;
    QHash<QUuid, ValidationResult> m_lastResults;
    bool m_showingSummary = false;
};
