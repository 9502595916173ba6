// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountdialog.h"

#include "core/accountrules.h"
#include "core/providerpreset.h"
#include "gui/accounts/accountform.h"
#include "gui/accounts/accountpresetcombo.h"
#include "gui/accounts/accountstatus.h"
#include "gui/accounts/modelruleseditor.h"
#include "gui/common/messagebox.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "ui_accountdialog.h"

#include <QPushButton>

using namespace Qt::StringLiterals;

namespace {

using Role = StatusPalette::Role;

/// What a local server gets when the user leaves the key empty: the keychain needs a value.
const QString localPlaceholderSecret = u"local"_s;

void showMessage(QLabel *label, const QString &text, Role role = Role::Error)
{
    StatusPalette::showMessage(label, text, role);
}

void showField(QLabel *label, const AccountForm::Message &message)
{
    showMessage(label, message.text, message.error ? Role::Error : Role::Muted);
}

} // namespace

AccountDialog::AccountDialog(RuntimeFacade &runtime, const Account *existing, QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::AccountDialog>())
    , m_runtime(runtime)
{
    ui->setupUi(this);
    m_rules = new ModelRulesEditor(ui->mappingTable, ui->addRuleButton, ui->removeRuleButton);
    setObjectName(u"accountDialog"_s);
    if (existing)
        m_existing = *existing;

    ui->tierSpin->setRange(AccountLimits::minTier, AccountLimits::maxTier);
    ui->prioritySpin->setRange(AccountLimits::minPriority, AccountLimits::maxPriority);
    ui->weightSpin->setRange(AccountLimits::minWeight, AccountLimits::maxWeight);
    ui->nameEdit->setMaxLength(AccountLimits::maxNameLength + 1);
    ui->authCombo->addItem(QString(), int(AuthStyle::XApiKey));
    ui->authCombo->addItem(QString(), int(AuthStyle::Bearer));
    // The messages under the fields wrap, can be copied, and show only when they say something.
    for (QLabel *message : {ui->nameError, ui->baseUrlError, ui->secretHint, ui->allowedModelsError,
                            ui->mappingHint, ui->mappingError, ui->headersError, ui->saveError}) {
        message->setWordWrap(true);
        message->setTextInteractionFlags(Qt::TextSelectableByMouse);
        message->hide();
    }
    ui->testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    fillPresets();

    m_loading = true;
    if (m_existing) {
        load(*m_existing);
    } else {
        selectPreset(u"anthropic"_s);
        ui->tierSpin->setValue(1);
        ui->weightSpin->setValue(1);
    }
    m_loading = false;

    const auto revalidate = [this] {
        if (!m_loading)
            validate();
    };
    // A field the user has not touched yet shows no error, only a disabled OK.
    for (QLineEdit *edit : {ui->nameEdit, ui->baseUrlEdit, ui->secretEdit}) {
        connect(edit, &QLineEdit::textChanged, this, [this, edit] {
            if (!m_loading)
                m_touched.insert(edit);
            if (edit != ui->nameEdit)
                forgetTest();
            validate();
        });
    }
    connect(ui->authCombo, &QComboBox::currentIndexChanged, this, &AccountDialog::forgetTest);
    for (QLabel *hint : {ui->rankHint, ui->allowedModelsHint})
        showMessage(hint, hint->text(), Role::Muted);
    connect(ui->allowedModelsEdit, &QLineEdit::textChanged, this, revalidate);
    connect(ui->headersEdit, &QPlainTextEdit::textChanged, this, revalidate);
    connect(m_rules, &ModelRulesEditor::edited, this, revalidate);
    connect(ui->authCombo, &QComboBox::currentIndexChanged, this, revalidate);
    for (QSpinBox *spin : {ui->tierSpin, ui->prioritySpin, ui->weightSpin})
        connect(spin, &QSpinBox::valueChanged, this, revalidate);
    connect(ui->presetCombo, &QComboBox::currentIndexChanged, this,
            [this] { selectPreset(ui->presetCombo->currentData().toString()); });
    connect(ui->showSecretButton, &QToolButton::toggled, this, &AccountDialog::toggleSecret);
    connect(ui->testButton, &QPushButton::clicked, this, &AccountDialog::test);
    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &AccountDialog::save);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &AccountDialog::reject);

    retranslate();
    ui->nameEdit->setFocus();
}

AccountDialog::~AccountDialog() = default;

void AccountDialog::fillPresets()
{
    AccountPresetCombo::fill(ui->presetCombo, m_presetId);
}

void AccountDialog::selectPreset(const QString &presetId)
{
    const int index = ui->presetCombo->findData(presetId);
    const ProviderPreset *next = ProviderPreset::byId(presetId);
    if (index < 0 || !next)
        return;
    {
        const QSignalBlocker blocker(ui->presetCombo);
        ui->presetCombo->setCurrentIndex(index);
    }
    if (m_presetId != presetId) {
        const ProviderPreset *previous = ProviderPreset::byId(m_presetId);
        m_presetId = presetId;
        applyPreset(*next, previous);
        forgetTest();
    }
    if (!m_loading)
        validate();
}

QString AccountDialog::presetId() const
{
    return m_presetId;
}

const ProviderPreset &AccountDialog::currentPreset() const
{
    const ProviderPreset *p = ProviderPreset::byId(m_presetId);
    return p ? *p : ProviderPreset::other(ProviderKind::Anthropic);
}

void AccountDialog::applyPreset(const ProviderPreset &preset, const ProviderPreset *previous)
{
    // A field still holding what the previous preset filled in is ours to change; anything
    // else the user typed stays.
    const QString url = ui->baseUrlEdit->text().trimmed();
    if (url.isEmpty() || (previous && url == previous->baseUrl.toString()))
        ui->baseUrlEdit->setText(preset.baseUrl.toString());
    const auto auth = AuthStyle(ui->authCombo->currentData().toInt());
    if (!previous || auth == previous->authStyle)
        ui->authCombo->setCurrentIndex(ui->authCombo->findData(int(preset.authStyle)));
    const QList<ModelRule> rules = m_rules->rules();
    if (rules.isEmpty() || (previous && rules == previous->suggestedMapping))
        m_rules->setRules(preset.suggestedMapping);
    ui->baseUrlEdit->setReadOnly(false);
}

void AccountDialog::load(const Account &a)
{
    ui->nameEdit->setText(a.name);
    const ProviderPreset &preset = ProviderPreset::forAccount(a);
    m_presetId = preset.id;
    ui->presetCombo->setCurrentIndex(ui->presetCombo->findData(preset.id));
    ui->baseUrlEdit->setText(a.baseUrl.toString());
    ui->authCombo->setCurrentIndex(ui->authCombo->findData(int(a.authStyle)));
    ui->tierSpin->setValue(a.tier);
    ui->prioritySpin->setValue(a.priority);
    ui->weightSpin->setValue(a.weight);
    ui->allowedModelsEdit->setText(a.allowedModels.join(u", "_s));
    m_rules->setRules(a.modelMapping.rules());
    QStringList headers;
    for (const auto &[name, value] : a.extraHeaders)
        headers << name + u": "_s + value;
    ui->headersEdit->setPlainText(headers.join(u'\n'));
    ui->notesEdit->setPlainText(a.notes);
}

AccountForm::Fields AccountDialog::fields() const
{
    AccountForm::Fields f;
    f.name = ui->nameEdit->text();
    f.baseUrl = ui->baseUrlEdit->text();
    f.secret = ui->secretEdit->text();
    f.authStyle = AuthStyle(ui->authCombo->currentData().toInt());
    f.tier = ui->tierSpin->value();
    f.priority = ui->prioritySpin->value();
    f.weight = ui->weightSpin->value();
    f.allowedModels = ui->allowedModelsEdit->text();
    f.mapping = m_rules->rules();
    f.headers = ui->headersEdit->toPlainText();
    f.notes = ui->notesEdit->toPlainText();
    f.nameTouched = m_touched.contains(ui->nameEdit);
    f.baseUrlTouched = m_touched.contains(ui->baseUrlEdit);
    f.secretTouched = m_touched.contains(ui->secretEdit);
    return f;
}

Account AccountDialog::collect() const
{
    return AccountForm::draft(fields(), currentPreset().kind, existing());
}

std::optional<QString> AccountDialog::typedSecret() const
{
    const QString typed = ui->secretEdit->text().trimmed();
    if (typed.isEmpty())
        return m_existing ? std::nullopt : std::optional<QString>(QString());
    if (m_existing && typed == m_loadedSecret)
        return std::nullopt;
    return typed;
}

void AccountDialog::validate()
{
    const AccountForm::Verdict verdict
        = AccountForm::check(fields(), currentPreset(), existing(), m_runtime.accounts());
    showField(ui->nameError, verdict.name);
    showField(ui->baseUrlError, verdict.baseUrl);
    showField(ui->secretHint, verdict.secret);
    showField(ui->allowedModelsError, verdict.allowedModels);
    showField(ui->mappingError, verdict.mapping);
    showField(ui->mappingHint, verdict.mappingHint);
    showField(ui->headersError, verdict.headers);

    m_problem = verdict.firstProblem;
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    ui->tabs->setTabIcon(0, verdict.generalOk ? QIcon() : warning);
    ui->tabs->setTabIcon(1, verdict.modelsOk ? QIcon() : warning);
    ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty() && !m_saving);
    ui->buttonBox->button(QDialogButtonBox::Ok)->setToolTip(m_problem);
    ui->testButton->setEnabled(!m_testing && !m_saving && verdict.testable);
}

void AccountDialog::test()
{
    if (m_testing || m_saving)
        return;
    Account draft = collect();
    auto url = AccountRules::parseBaseUrl(ui->baseUrlEdit->text(), draft.provider);
    m_testResult.reset();
    m_testError.clear();
    if (!url) {
        m_testError = url.error().message;
        return showTestResult();
    }
    if (draft.name.trimmed().isEmpty())
        draft.name = tr("(new account)");
    const std::optional<QString> secret = typedSecret();
    if (secret && secret->isEmpty() && !currentPreset().local) {
        m_testError = tr("Type the API key first.");
        return showTestResult();
    }
    m_testing = true;
    showTestResult();
    updateButtons();
    if (!secret) {
        // Editing with the key unchanged: test with the stored one.
        m_runtime.readSecret(this, m_existing->id, [this, draft](Result<QString> stored) {
            if (!stored) {
                m_testing = false;
                m_testError
                    = tr("The stored API key could not be read: %1").arg(stored.error().message);
                showTestResult();
                updateButtons();
                return;
            }
            runTest(draft, *stored);
        });
        return;
    }
    runTest(draft, secret->isEmpty() ? localPlaceholderSecret : *secret);
}

void AccountDialog::runTest(const Account &account, const QString &secret)
{
    m_runtime.testAccount(this, account, secret, [this](const ValidationResult &result) {
        m_testing = false;
        m_testResult = result;
        showTestResult();
        updateButtons();
        Q_EMIT tested(result);
    });
}

void AccountDialog::forgetTest()
{
    // A result about other settings would mislead.
    if (m_testing)
        return;
    m_testResult.reset();
    m_testError.clear();
    ui->testResult->clear();
}

void AccountDialog::showTestResult()
{
    if (m_testing)
        showMessage(ui->testResult, tr("Testing…"), Role::Muted);
    else if (!m_testError.isEmpty())
        showMessage(ui->testResult, m_testError);
    else if (m_testResult)
        showMessage(ui->testResult, AccountStatus::resultText(*m_testResult),
                    m_testResult->ok ? Role::Good : Role::Error);
    else
        showMessage(ui->testResult, {});
    ui->testResult->setVisible(true);
}

void AccountDialog::toggleSecret(bool show)
{
    ui->secretEdit->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
    if (!show || !m_existing || !ui->secretEdit->text().isEmpty())
        return;
    ui->showSecretButton->setEnabled(false);
    m_runtime.readSecret(this, m_existing->id, [this](Result<QString> stored) {
        ui->showSecretButton->setEnabled(true);
        if (!stored) {
            showMessage(ui->secretHint,
                        tr("The stored API key could not be read: %1").arg(stored.error().message));
            return;
        }
        m_loadedSecret = *stored;
        // Only if the user did not start typing a new one meanwhile.
        if (ui->secretEdit->text().isEmpty())
            ui->secretEdit->setText(*stored);
    });
}

void AccountDialog::save()
{
    validate();
    if (m_saving || !m_problem.isEmpty())
        return;
    if (m_testResult && !m_testResult->ok) {
        // The user saw the key fail: saving it anyway is a choice to make knowingly.
        MessageBox::ask(this, tr("Save anyway?"),
                        tr("The test failed: %1\n\nSave the account anyway? It will not serve "
                           "requests until the provider accepts it.")
                            .arg(AccountStatus::resultText(*m_testResult)),
                        QMessageBox::Save | QMessageBox::Cancel, QMessageBox::Cancel,
                        [this](QMessageBox::StandardButton answer) {
                            if (answer == QMessageBox::Save)
                                store();
                        });
        return;
    }
    store();
}

void AccountDialog::store()
{
    m_saving = true;
    m_saveError.clear();
    showMessage(ui->saveError, tr("Saving…"), Role::Muted);
    updateButtons();

    auto done = [this](Result<Account> result) {
        m_saving = false;
        if (!result) {
            m_saveError = result.error().message;
            showMessage(ui->saveError,
                        tr("Not saved: %1 Fix it and try again, or cancel.").arg(m_saveError));
            updateButtons();
            validate();
            return;
        }
        showMessage(ui->saveError, {});
        Q_EMIT saved(*result);
        accept();
    };
    const Account draft = collect();
    const std::optional<QString> secret = typedSecret();
    if (m_existing) {
        m_runtime.updateAccount(this, draft, secret, done);
    } else {
        m_runtime.createAccount(this, draft, secret->isEmpty() ? localPlaceholderSecret : *secret,
                                done);
    }
}

void AccountDialog::reject()
{
    // A save in flight finishes either way; closing now would hide its outcome.
    if (m_saving)
        return;
    QDialog::reject();
}

void AccountDialog::updateButtons()
{
    const bool busy = m_saving || m_testing;
    ui->tabs->setEnabled(!m_saving);
    ui->buttonBox->button(QDialogButtonBox::Cancel)->setEnabled(!m_saving);
    ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!m_saving && m_problem.isEmpty());
    ui->testButton->setEnabled(!busy);
}

void AccountDialog::retranslate()
{
    setWindowTitle(m_existing ? tr("Edit account “%1”").arg(m_existing->name) : tr("Add account"));
    ui->buttonBox->button(QDialogButtonBox::Ok)
        ->setText(m_existing ? tr("Save") : tr("Add account"));
    ui->authCombo->setItemText(0, tr("x-api-key header"));
    ui->authCombo->setItemText(1, tr("Authorization: Bearer header"));
    ui->secretEdit->setPlaceholderText(m_existing ? tr("unchanged — type to replace")
                                                  : tr("paste the API key"));
    fillPresets();
    validate();
    if (m_testing || m_testResult || !m_testError.isEmpty())
        showTestResult();
    else
        ui->testResult->clear();
}

void AccountDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        ui->retranslateUi(this);
        retranslate();
    }
    QDialog::changeEvent(event);
}
