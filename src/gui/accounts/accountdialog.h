// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"
#include "gateway/upstreamvalidator.h"
#include "gui/accounts/accountform.h"

#include <QDialog>
#include <QSet>

#include <memory>
#include <optional>

class ModelRulesEditor;
class RuntimeFacade;
class QLabel;
struct ProviderPreset;

namespace Ui {
class AccountDialog;
}

/// Adds or edits one account: every field checked as the user types (with the CLI's
/// messages), a "Test" that validates the unsaved account, and a save that keeps the dialog
/// open with the reason when the runtime refuses. Open it with open(); it deletes itself
/// when closed if WA_DeleteOnClose is set.
class AccountDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountDialog)

public:
    /// `existing` null: a new account.
    AccountDialog(RuntimeFacade &runtime, const Account *existing, QWidget *parent = nullptr);
    ~AccountDialog() override;

    bool isEditing() const { return m_existing.has_value(); }
    /// Picks a provider preset by id, as choosing it in the combo would.
    void selectPreset(const QString &presetId);
    QString presetId() const;
    /// The first problem of the form; empty when it can be saved.
    QString firstProblem() const { return m_problem; }
    bool isBusy() const { return m_saving || m_testing; }

    /// The "Test" button: validates the account as filled in, without saving it.
    void test();
    /// The OK button: saves, and closes once the runtime stored it. After a failed Test
    /// it asks first.
    void save();

    void reject() override;

Q_SIGNALS:
    void saved(const Account &account);
    /// A test finished (also shown inline).
    void tested(const ValidationResult &result);

protected:
    void changeEvent(QEvent *event) override;

private:
    void store();
    void fillPresets();
    void applyPreset(const ProviderPreset &preset, const ProviderPreset *previous);
    void load(const Account &account);
    /// The fields as typed, for AccountForm.
    AccountForm::Fields fields() const;
    /// The account as the fields say, unchecked.
    Account collect() const;
    /// The account being edited; null for a new one.
    const Account *existing() const { return m_existing ? &*m_existing : nullptr; }
    /// Checks every field (AccountForm), shows the messages, enables OK.
    void validate();
    /// The secret to store or test with; nullopt on edit when it stays unchanged.
    std::optional<QString> typedSecret() const;
    void runTest(const Account &account, const QString &secret);
    void showTestResult();
    void forgetTest();
    void toggleSecret(bool show);
    /// Enables the tabs and buttons that the saving and testing state allows.
    void updateButtons();
    void retranslate();
    const ProviderPreset &currentPreset() const;

    std::unique_ptr<Ui::AccountDialog> ui;
    RuntimeFacade &m_runtime;
    ModelRulesEditor *m_rules;
    std::optional<Account> m_existing;
    QString m_presetId;
    QString m_problem;
    QString m_loadedSecret; ///< the stored secret, once "Show" loaded it
    bool m_saving = false;
    bool m_testing = false;
    bool m_loading = false;
    std::optional<ValidationResult> m_testResult;
    QString m_testError; ///< why a test could not start
    QString m_saveError;
    QSet<const QWidget *> m_touched;
};
