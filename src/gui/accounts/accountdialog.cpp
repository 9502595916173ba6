// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountdialog.h"

#include "core/accountrules.h"
#include "core/accountservice.h"
#include "core/providerpreset.h"
#include "gui/accounts/accountpresetcombo.h"
#include "gui/accounts/accountstatus.h"
#include "gui/common/runtimefacade.h"
#include "ui_accountdialog.h"

#include <QPushButton>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

/// What a local server gets when the user leaves the key empty: the keychain needs a value.
const QString localPlaceholderSecret = u"local"_s;

enum class Tone { Error, Hint, Good };

void showMessage(QLabel *label, const QString &text, Tone tone = Tone::Error)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
    QPalette palette = label->parentWidget() ? label->parentWidget()->palette() : label->palette();
    if (tone == Tone::Error)
        palette.setColor(QPalette::WindowText, HealthBadge::colour(HealthBadge::Kind::Invalid));
    else if (tone == Tone::Good)
        palette.setColor(QPalette::WindowText, HealthBadge::colour(HealthBadge::Kind::Valid));
    else
        palette.setColor(QPalette::WindowText, palette.color(QPalette::PlaceholderText));
    label->setPalette(palette);
}

QStringList splitModels(const QString &text)
{
    static const QRegularExpression separators(u"[,\\s]+"_s);
    return text.split(separators, Qt::SkipEmptyParts);
}

} // namespace

AccountDialog::AccountDialog(RuntimeFacade &runtime, const Account *existing, QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::AccountDialog>())
    , m_runtime(runtime)
{
    ui->setupUi(this);
    setObjectName(u"accountDialog"_s);
    if (existing)
        m_existing = *existing;

    ui->tierSpin->setRange(AccountLimits::minTier, AccountLimits::maxTier);
    ui->prioritySpin->setRange(AccountLimits::minPriority, AccountLimits::maxPriority);
    ui->weightSpin->setRange(AccountLimits::minWeight, AccountLimits::maxWeight);
    ui->nameEdit->setMaxLength(AccountLimits::maxNameLength + 1);
    ui->authCombo->addItem(QString(), int(AuthStyle::XApiKey));
    ui->authCombo->addItem(QString(), int(AuthStyle::Bearer));
    ui->mappingTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
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
        showMessage(hint, hint->text(), Tone::Hint);
    connect(ui->allowedModelsEdit, &QLineEdit::textChanged, this, revalidate);
    connect(ui->headersEdit, &QPlainTextEdit::textChanged, this, revalidate);
    connect(ui->mappingTable, &QTableWidget::itemChanged, this, revalidate);
    connect(ui->authCombo, &QComboBox::currentIndexChanged, this, revalidate);
    for (QSpinBox *spin : {ui->tierSpin, ui->prioritySpin, ui->weightSpin})
        connect(spin, &QSpinBox::valueChanged, this, revalidate);
    connect(ui->presetCombo, &QComboBox::currentIndexChanged, this,
            [this] { selectPreset(ui->presetCombo->currentData().toString()); });
    connect(ui->addRuleButton, &QPushButton::clicked, this, [this] {
        addRule();
        ui->mappingTable->setCurrentCell(ui->mappingTable->rowCount() - 1, 0);
        ui->mappingTable->editItem(ui->mappingTable->currentItem());
    });
    connect(ui->removeRuleButton, &QPushButton::clicked, this, [this] {
        QList<int> rows;
        for (const QModelIndex &index : ui->mappingTable->selectionModel()->selectedRows())
            rows << index.row();
        if (rows.isEmpty() && ui->mappingTable->currentRow() >= 0)
            rows << ui->mappingTable->currentRow();
        std::sort(rows.rbegin(), rows.rend());
        for (int row : rows)
            ui->mappingTable->removeRow(row);
        validate();
    });
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
    const QList<ModelRule> rules = mappingRules();
    if (rules.isEmpty() || (previous && rules == previous->suggestedMapping))
        setMappingRules(preset.suggestedMapping);
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
    setMappingRules(a.modelMapping.rules());
    QStringList headers;
    for (const auto &[name, value] : a.extraHeaders)
        headers << name + u": "_s + value;
    ui->headersEdit->setPlainText(headers.join(u'\n'));
    ui->notesEdit->setPlainText(a.notes);
}

QList<ModelRule> AccountDialog::mappingRules() const
{
    QList<ModelRule> rules;
    for (int row = 0; row < ui->mappingTable->rowCount(); ++row) {
        auto text = [&](int column) {
            const QTableWidgetItem *item = ui->mappingTable->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        if (!text(0).isEmpty() || !text(1).isEmpty())
            rules.append({text(0), text(1)});
    }
    return rules;
}

void AccountDialog::setMappingRules(const QList<ModelRule> &rules)
{
    const QSignalBlocker blocker(ui->mappingTable);
    ui->mappingTable->setRowCount(0);
    for (const ModelRule &rule : rules)
        addRule(rule.pattern, rule.target);
}

void AccountDialog::addRule(const QString &pattern, const QString &target)
{
    const int row = ui->mappingTable->rowCount();
    ui->mappingTable->insertRow(row);
    ui->mappingTable->setItem(row, 0, new QTableWidgetItem(pattern));
    ui->mappingTable->setItem(row, 1, new QTableWidgetItem(target));
}

Account AccountDialog::collect() const
{
    Account a = m_existing.value_or(Account());
    a.name = ui->nameEdit->text();
    a.provider = currentPreset().kind;
    if (auto url = AccountRules::parseBaseUrl(ui->baseUrlEdit->text(), a.provider))
        a.baseUrl = *url;
    else
        a.baseUrl = QUrl(ui->baseUrlEdit->text().trimmed());
    a.authStyle = AuthStyle(ui->authCombo->currentData().toInt());
    a.tier = ui->tierSpin->value();
    a.priority = ui->prioritySpin->value();
    a.weight = ui->weightSpin->value();
    a.allowedModels = splitModels(ui->allowedModelsEdit->text());
    a.modelMapping = ModelMapping(mappingRules());
    a.extraHeaders.clear();
    for (const QString &line : ui->headersEdit->toPlainText().split(u'\n')) {
        if (auto header = AccountRules::parseHeader(line.trimmed()))
            a.extraHeaders.append(*header);
    }
    a.notes = ui->notesEdit->toPlainText().trimmed();
    return a;
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
    QString first;
    auto report = [&first](QLabel *label, const QString &message) {
        showMessage(label, message);
        if (first.isEmpty())
            first = message;
        return message.isEmpty();
    };
    const ProviderPreset &preset = currentPreset();

    // Name: the CLI's rules, and no other account with it.
    QString nameError;
    const QString name = ui->nameEdit->text();
    if (Status s = AccountRules::checkName(name); !s) {
        nameError = s.error().message;
    } else {
        for (const Account &other : m_runtime.accounts()) {
            if (other.name == name && (!m_existing || other.id != m_existing->id)) {
                nameError
                    = tr("An account named \"%1\" already exists: choose another name.").arg(name);
                break;
            }
        }
    }
    if (!nameError.isEmpty() && name.isEmpty() && !m_touched.contains(ui->nameEdit)) {
        showMessage(ui->nameError, {});
        first = nameError;
    } else {
        report(ui->nameError, nameError);
    }

    QString urlError;
    if (ui->baseUrlEdit->text().trimmed().isEmpty())
        urlError = tr("Type the provider's base URL, for example https://api.example.com/v1.");
    else if (auto url = AccountRules::parseBaseUrl(ui->baseUrlEdit->text(), preset.kind); !url)
        urlError = url.error().message;
    if (!urlError.isEmpty() && ui->baseUrlEdit->text().isEmpty()
        && !m_touched.contains(ui->baseUrlEdit)) {
        showMessage(ui->baseUrlError, tr("Type the base URL your provider documents."), Tone::Hint);
        if (first.isEmpty())
            first = urlError;
    } else {
        report(ui->baseUrlError, urlError);
    }

    // The secret: required for a new account unless the server runs locally.
    const QString typed = ui->secretEdit->text();
    QString secretError;
    if (!typed.trimmed().isEmpty()) {
        if (Status s = AccountService::checkSecret(typed.trimmed()); !s)
            secretError = s.error().message;
    } else if (!m_existing && !preset.local) {
        secretError = tr("Paste the API key from the provider's console.");
    }
    if (!secretError.isEmpty()) {
        // An empty key on a fresh form is a to-do, not a mistake: grey until typed into.
        if (typed.isEmpty() && !m_touched.contains(ui->secretEdit))
            showMessage(ui->secretHint, secretError, Tone::Hint);
        else
            showMessage(ui->secretHint, secretError);
        if (first.isEmpty())
            first = secretError;
    } else if (preset.local && typed.trimmed().isEmpty() && !m_existing) {
        showMessage(ui->secretHint,
                    tr("Optional: this server runs on your computer. Leave it empty if it "
                       "doesn't need a key."),
                    Tone::Hint);
    } else {
        showMessage(ui->secretHint, {});
    }

    QString modelsError;
    for (const QString &model : splitModels(ui->allowedModelsEdit->text())) {
        if (Status s = AccountRules::checkModelName(model); !s) {
            modelsError = s.error().message;
            break;
        }
    }
    report(ui->allowedModelsError, modelsError);

    QString mappingError;
    bool hasDefault = false;
    const QList<ModelRule> rules = mappingRules();
    for (int i = 0; i < rules.size() && mappingError.isEmpty(); ++i) {
        for (const QString &model : {rules[i].pattern, rules[i].target}) {
            if (Status s = AccountRules::checkModelName(model); !s) {
                mappingError = tr("Rule %1: %2").arg(i + 1).arg(s.error().message);
                break;
            }
        }
        hasDefault = hasDefault || rules[i].pattern == u"*";
    }
    report(ui->mappingError, mappingError);
    if (preset.kind == ProviderKind::OpenAI && !hasDefault) {
        showMessage(ui->mappingHint,
                    tr("Add a rule for * (the default): without one, Claude model names are "
                       "sent unchanged and most OpenAI-compatible providers reject them."),
                    Tone::Hint);
    } else {
        showMessage(ui->mappingHint,
                    rules.isEmpty() ? tr("No rules: model names are sent unchanged.") : QString(),
                    Tone::Hint);
    }

    QString headersError;
    for (const QString &line : ui->headersEdit->toPlainText().split(u'\n')) {
        if (line.trimmed().isEmpty())
            continue;
        if (auto header = AccountRules::parseHeader(line.trimmed()); !header) {
            headersError = header.error().message;
            break;
        }
    }
    report(ui->headersError, headersError);

    // Whatever the fields above let through, the core has the last word.
    if (first.isEmpty()) {
        if (Status s = AccountRules::check(collect()); !s)
            first = s.error().message;
    }

    m_problem = first;
    const bool generalOk = nameError.isEmpty() && urlError.isEmpty() && secretError.isEmpty();
    const bool modelsOk = modelsError.isEmpty() && mappingError.isEmpty() && headersError.isEmpty();
    const QIcon warning = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    ui->tabs->setTabIcon(0, generalOk ? QIcon() : warning);
    ui->tabs->setTabIcon(1, modelsOk ? QIcon() : warning);
    ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty() && !m_saving);
    ui->buttonBox->button(QDialogButtonBox::Ok)->setToolTip(m_problem);
    ui->testButton->setEnabled(!m_testing && !m_saving && urlError.isEmpty()
                               && secretError.isEmpty());
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
        showMessage(ui->testResult, tr("Testing…"), Tone::Hint);
    else if (!m_testError.isEmpty())
        showMessage(ui->testResult, m_testError);
    else if (m_testResult)
        showMessage(ui->testResult, AccountStatus::resultText(*m_testResult),
                    m_testResult->ok ? Tone::Good : Tone::Error);
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
    m_saving = true;
    m_saveError.clear();
    showMessage(ui->saveError, tr("Saving…"), Tone::Hint);
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
