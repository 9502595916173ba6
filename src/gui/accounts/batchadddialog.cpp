// SPDX-License-Identifier: GPL-3.0-or-later
#include "batchadddialog.h"

#include "core/account.h"
#include "core/providerpreset.h"
#include "gui/accounts/accountbatch.h"
#include "gui/accounts/accountform.h"
#include "gui/accounts/accountpresetcombo.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "ui_batchadddialog.h"

#include <QPushButton>

using namespace Qt::StringLiterals;

namespace {

void showMessage(QLabel *label, const QString &text, bool error)
{
    StatusPalette::showMessage(label, text,
                               error ? StatusPalette::Role::Error : StatusPalette::Role::Muted);
}

QStringList existingNames(const RuntimeFacade &runtime)
{
    QStringList names;
    for (const Account &a : runtime.accounts())
        names << a.name;
    return names;
}

} // namespace

BatchAddDialog::BatchAddDialog(RuntimeFacade &runtime, QWidget *parent)
    : QDialog(parent)
    , ui(std::make_unique<Ui::BatchAddDialog>())
    , m_runtime(runtime)
{
    ui->setupUi(this);
    setObjectName(u"batchAddDialog"_s);
    ui->tierSpin->setRange(AccountLimits::minTier, AccountLimits::maxTier);
    ui->prioritySpin->setRange(AccountLimits::minPriority, AccountLimits::maxPriority);
    AccountPresetCombo::fill(ui->presetCombo, m_presetId);
    selectPreset(u"openrouter"_s);

    connect(ui->presetCombo, &QComboBox::currentIndexChanged, this,
            [this] { selectPreset(ui->presetCombo->currentData().toString()); });
    connect(ui->prefixEdit, &QLineEdit::textEdited, this, [this] { m_prefixEdited = true; });
    for (QLineEdit *edit : {ui->prefixEdit, ui->baseUrlEdit})
        connect(edit, &QLineEdit::textChanged, this, &BatchAddDialog::update);
    connect(ui->keysEdit, &QPlainTextEdit::textChanged, this, &BatchAddDialog::update);
    connect(&runtime, &RuntimeFacade::accountsChanged, this, &BatchAddDialog::update);
    connect(ui->buttonBox, &QDialogButtonBox::accepted, this, &BatchAddDialog::start);
    connect(ui->buttonBox, &QDialogButtonBox::rejected, this, &BatchAddDialog::reject);
    retranslate();
    ui->keysEdit->setFocus();
}

BatchAddDialog::~BatchAddDialog() = default;

void BatchAddDialog::selectPreset(const QString &presetId)
{
    const ProviderPreset *next = ProviderPreset::byId(presetId);
    const int index = ui->presetCombo->findData(presetId);
    if (!next || index < 0)
        return;
    {
        const QSignalBlocker blocker(ui->presetCombo);
        ui->presetCombo->setCurrentIndex(index);
    }
    const ProviderPreset *previous = ProviderPreset::byId(m_presetId);
    m_presetId = presetId;
    const QString url = ui->baseUrlEdit->text().trimmed();
    if (url.isEmpty() || (previous && url == previous->baseUrl.toString()))
        ui->baseUrlEdit->setText(next->baseUrl.toString());
    if (!m_prefixEdited)
        ui->prefixEdit->setText(AccountBatch::defaultPrefix(presetId));
    update();
}

QStringList BatchAddDialog::plannedNames() const
{
    const auto keys = AccountBatch::parseKeys(ui->keysEdit->toPlainText());
    return AccountBatch::names(ui->prefixEdit->text(), int(keys.keys.size()),
                               existingNames(m_runtime));
}

void BatchAddDialog::update()
{
    if (m_running)
        return;
    const ProviderPreset *preset = ProviderPreset::byId(m_presetId);
    const AccountBatch::Keys keys = AccountBatch::parseKeys(ui->keysEdit->toPlainText());
    const QStringList names = plannedNames();

    QString problem;
    auto url = AccountForm::baseUrl(ui->baseUrlEdit->text(),
                                    preset ? preset->kind : ProviderKind::Anthropic);
    showMessage(ui->baseUrlError,
                url || ui->baseUrlEdit->text().isEmpty() ? QString() : url.error().message, true);
    if (!url)
        problem = url.error().message;

    const QString firstName
        = names.isEmpty() ? ui->prefixEdit->text().trimmed() + u"-1"_s : names.first();
    if (problem.isEmpty())
        problem = AccountForm::nameProblem(firstName, m_runtime.accounts());
    if (names.isEmpty())
        ui->namesPreview->setText(tr("Accounts will be named %1, …").arg(firstName));
    else if (names.size() == 1)
        ui->namesPreview->setText(tr("The account will be named %1.").arg(names.first()));
    else
        ui->namesPreview->setText(
            tr("Accounts will be named %1 … %2.").arg(names.first(), names.last()));

    QString count = tr("%n key(s) → %n account(s)", nullptr, int(keys.keys.size()));
    if (keys.duplicates > 0)
        count = tr("%1 (%n repeated key(s) ignored)", nullptr, keys.duplicates).arg(count);
    showMessage(ui->countLabel, count, false);
    showMessage(ui->problemsLabel,
                keys.problems.isEmpty()
                    ? QString()
                    : tr("These lines are skipped: %1").arg(keys.problems.join(u"; "_s)),
                true);
    if (keys.keys.isEmpty() && problem.isEmpty())
        problem = tr("Paste at least one API key.");

    QPushButton *ok = ui->buttonBox->button(QDialogButtonBox::Ok);
    ok->setEnabled(problem.isEmpty());
    ok->setToolTip(problem);
}

void BatchAddDialog::start()
{
    update();
    if (m_running || !ui->buttonBox->button(QDialogButtonBox::Ok)->isEnabled())
        return;
    const AccountBatch::Keys keys = AccountBatch::parseKeys(ui->keysEdit->toPlainText());
    const QStringList names = plannedNames();
    m_jobs.clear();
    for (int i = 0; i < keys.keys.size(); ++i)
        m_jobs.append({names[i], keys.keys[i]});
    m_done = m_added = 0;
    m_failures.clear();
    m_running = true;
    m_stopRequested = false;
    setInputsEnabled(false);
    ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(false);
    ui->progressBar->setRange(0, int(m_jobs.size()));
    ui->progressBar->setValue(0);
    ui->progressBar->setVisible(true);
    showMessage(ui->resultLabel, {}, false);
    next();
}

void BatchAddDialog::next()
{
    if (m_done >= m_jobs.size() || m_stopRequested)
        return finish();
    ui->progressBar->setFormat(tr("Adding %1 of %2…").arg(m_done + 1).arg(m_jobs.size()));
    const ProviderPreset &preset = *ProviderPreset::byId(m_presetId);
    const Job &job = m_jobs[m_done];
    AccountForm::Fields fields;
    fields.name = job.name;
    fields.baseUrl = ui->baseUrlEdit->text();
    fields.authStyle = preset.authStyle;
    fields.tier = ui->tierSpin->value();
    fields.priority = ui->prioritySpin->value();
    fields.mapping = preset.suggestedMapping;

    m_runtime.createAccount(
        this, AccountForm::draft(fields, preset.kind, nullptr), job.key,
        [this](Result<Account> created) {
            const Job &current = m_jobs[m_done];
            if (created)
                ++m_added;
            else
                m_failures.append({current.name, current.key, created.error().message});
            ++m_done;
            ui->progressBar->setValue(m_done);
            next();
        });
}

void BatchAddDialog::finish()
{
    m_running = false;
    ui->progressBar->setVisible(false);
    setInputsEnabled(true);
    if (m_failures.isEmpty() && m_done == m_jobs.size()) {
        Q_EMIT added(m_added);
        accept();
        return;
    }
    // Leave exactly the keys not added yet in the box, so trying again cannot add twice.
    QStringList left;
    QStringList reasons;
    for (const Failure &f : std::as_const(m_failures)) {
        left << f.key;
        reasons << tr("%1: %2").arg(f.name, f.message);
    }
    for (int i = m_done; i < m_jobs.size(); ++i)
        left << m_jobs[i].key;
    ui->keysEdit->setPlainText(left.join(u'\n'));
    // One sentence for the count; what was not added is a list, one reason a line.
    if (m_done < m_jobs.size()) {
        reasons << tr("%n key(s) not tried: the batch was stopped.", nullptr,
                      int(m_jobs.size() - m_done));
    }
    const QString text
        = tr("%1 of %n account(s) added. Not added:\n%2\nThe keys not added are left in the "
             "box: fix the cause and add again.",
             nullptr, int(m_jobs.size()))
              .arg(m_added)
              .arg(reasons.join(u'\n'));
    showMessage(ui->resultLabel, text, !m_failures.isEmpty());
    if (m_added > 0)
        Q_EMIT added(m_added);
    update();
}

void BatchAddDialog::setInputsEnabled(bool enabled)
{
    const QList<QWidget *> inputs = {ui->presetCombo, ui->baseUrlEdit,  ui->prefixEdit,
                                     ui->tierSpin,    ui->prioritySpin, ui->keysEdit};
    for (QWidget *w : inputs)
        w->setEnabled(enabled);
}

void BatchAddDialog::reject()
{
    // Stop after the account being written: each one is whole, none is half-stored.
    if (m_running) {
        m_stopRequested = true;
        return;
    }
    QDialog::reject();
}

void BatchAddDialog::retranslate()
{
    ui->buttonBox->button(QDialogButtonBox::Ok)->setText(tr("Add accounts"));
    AccountPresetCombo::fill(ui->presetCombo, m_presetId);
    update();
}

void BatchAddDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        ui->retranslateUi(this);
        retranslate();
    }
    QDialog::changeEvent(event);
}
