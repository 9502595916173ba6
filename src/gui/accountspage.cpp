// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountspage.h"

#include "accountdialog.h"
#include "accountsfiltermodel.h"
#include "accountstablemodel.h"
#include "accountstatus.h"
#include "backend.h"
#include "batchadddialog.h"
#include "healthbadgedelegate.h"
#include "messagebox.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

// The icons live in switchboard_gui, a static library: without this reference the linker
// drops its resources from executables that only use the page (tests, tools).
static void initAccountsResources()
{
    Q_INIT_RESOURCE(resources);
}

AccountsPage::AccountsPage(Backend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
    , m_model(new AccountsTableModel(backend, this))
    , m_proxy(new AccountsFilterModel(this))
    , m_toolBar(new QToolBar(this))
    , m_filterEdit(new QLineEdit(this))
    , m_healthFilter(new QComboBox(this))
    , m_stack(new QStackedWidget(this))
    , m_view(new QTableView(this))
    , m_empty(new QWidget(this))
    , m_emptyTitle(new QLabel(m_empty))
    , m_emptyText(new QLabel(m_empty))
    , m_emptyButton(new QPushButton(m_empty))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
{
    initAccountsResources();
    setObjectName(u"accountsPage"_s);
    m_toolBar->setObjectName(u"accountsToolBar"_s);
    m_filterEdit->setObjectName(u"filterEdit"_s);
    m_healthFilter->setObjectName(u"healthFilter"_s);
    m_view->setObjectName(u"accountsView"_s);
    m_empty->setObjectName(u"emptyState"_s);
    m_emptyButton->setObjectName(u"emptyAddButton"_s);
    m_status->setObjectName(u"statusLabel"_s);
    m_progress->setObjectName(u"validationProgress"_s);

    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(AccountsTableModel::Health, new HealthBadgeDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(AccountsTableModel::Tier, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setHighlightSections(false);
    // Every column as wide as its content; the last one takes what is left, so names are
    // never cut while there is room.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setMinimumSectionSize(48);

    createActions();
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->setIconSize(QSize(16, 16));

    m_filterEdit->setClearButtonEnabled(true);
    m_healthFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filterEdit, 1);
    filterRow->addWidget(m_healthFilter);

    // Empty state: a hint and the way out, instead of a blank grid.
    m_emptyTitle->setAlignment(Qt::AlignCenter);
    QFont big = m_emptyTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_emptyTitle->setFont(big);
    m_emptyText->setAlignment(Qt::AlignCenter);
    m_emptyText->setWordWrap(true);
    auto *emptyLayout = new QVBoxLayout(m_empty);
    emptyLayout->addStretch();
    emptyLayout->addWidget(m_emptyTitle);
    emptyLayout->addWidget(m_emptyText);
    auto *emptyButtonRow = new QHBoxLayout;
    emptyButtonRow->addStretch();
    emptyButtonRow->addWidget(m_emptyButton);
    emptyButtonRow->addStretch();
    emptyLayout->addLayout(emptyButtonRow);
    emptyLayout->addStretch();
    connect(m_emptyButton, &QPushButton::clicked, this, [this] {
        if (m_model->rowCount() == 0) {
            addAccount();
        } else {
            m_filterEdit->clear();
            m_healthFilter->setCurrentIndex(0);
        }
    });

    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_progress->hide();
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_progress);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_toolBar);
    layout->addLayout(filterRow);
    layout->addWidget(m_stack, 1);
    layout->addLayout(statusRow);

    connect(m_filterEdit, &QLineEdit::textChanged, m_proxy, &AccountsFilterModel::setText);
    connect(m_healthFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setKind(m_healthFilter->currentData().toInt()); });
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        editAccount(index.data(AccountsTableModel::IdRole).toUuid());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &AccountsPage::showContextMenu);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccountsPage::updateActions);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(m_proxy, signal, this, [this] {
            updateView();
            updateActions();
        });
    }
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &AccountsPage::updateView);
    connect(m_proxy, &QAbstractItemModel::dataChanged, this, &AccountsPage::updateActions);
    connect(&backend, &Backend::pinnedChanged, this, &AccountsPage::updateActions);
    connect(&backend, &Backend::gatewayStateChanged, this, &AccountsPage::updateActions);
    connect(&backend, &Backend::validated, this, &AccountsPage::onValidated);
    connect(&backend, &Backend::accountsChanged, this, [this] {
        // An account deleted or disabled mid-run will not answer: stop waiting for it.
        for (auto it = m_waiting.begin(); it != m_waiting.end();) {
            if (!m_backend.account(*it))
                it = m_waiting.erase(it);
            else
                ++it;
        }
        if (m_runTotal > 0)
            showValidationProgress();
    });

    retranslate();
    updateView();
    updateActions();
}

void AccountsPage::createActions()
{
    auto make = [this](const QString &icon, const QString &name, auto slot) {
        auto *action = new QAction(QIcon(u":/icons/accounts-%1.svg"_s.arg(icon)), QString(), this);
        action->setObjectName(name);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_add = make(u"add"_s, u"addAction"_s, [this] { addAccount(); });
    m_batch = make(u"batch"_s, u"batchAddAction"_s, [this] { batchAdd(); });
    m_edit = make(u"edit"_s, u"editAction"_s, [this] {
        const QList<QUuid> ids = selectedIds();
        if (ids.size() == 1)
            editAccount(ids.first());
    });
    m_delete = make(u"delete"_s, u"deleteAction"_s, [this] { deleteSelected(); });
    m_enable = make(u"toggle"_s, u"enableAction"_s, [this] {
        // Enable when every selected account is off; otherwise the action disables.
        setSelectedEnabled(m_enable->property("enables").toBool());
    });
    m_pin = make(u"pin"_s, u"pinAction"_s, [this] { togglePinSelected(); });
    m_validate = make(u"validate"_s, u"validateAction"_s, [this] { validateSelected(); });
    m_validateAll = make(u"validate-all"_s, u"validateAllAction"_s, [this] { validateAll(); });
    m_purge = make(u"purge"_s, u"purgeAction"_s, [this] { purgeInvalid(); });
    m_import = make(u"import"_s, u"importAction"_s, [this] { importAccounts(); });
    m_export = make(u"export"_s, u"exportAction"_s, [this] { exportAccounts(); });
    m_edit->setShortcut(QKeySequence(Qt::Key_Return));
    m_edit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(m_edit);
    m_view->addAction(m_delete);

    m_toolBar->addAction(m_add);
    m_toolBar->addAction(m_batch);
    m_toolBar->addAction(m_edit);
    m_toolBar->addAction(m_delete);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_enable);
    m_toolBar->addAction(m_pin);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_validate);
    m_toolBar->addAction(m_validateAll);
    m_toolBar->addAction(m_purge);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_import);
    m_toolBar->addAction(m_export);
}

void AccountsPage::retranslate()
{
    m_add->setText(tr("Add"));
    m_add->setToolTip(tr("Add an account"));
    m_batch->setText(tr("Batch add"));
    m_batch->setToolTip(tr("Add one account per API key, from a pasted list"));
    m_edit->setText(tr("Edit"));
    m_edit->setToolTip(tr("Edit the selected account (double-click a row)"));
    m_delete->setText(tr("Delete"));
    m_delete->setToolTip(tr("Delete the selected accounts and their keys"));
    m_validate->setText(tr("Validate"));
    m_validate->setToolTip(tr("Check the selected accounts' keys now, without spending tokens"));
    m_validateAll->setText(tr("Validate all"));
    m_validateAll->setToolTip(tr("Check every enabled account now"));
    m_purge->setText(tr("Purge invalid"));
    m_purge->setToolTip(tr("Delete every account whose key the provider rejected"));
    m_import->setText(tr("Import…"));
    m_import->setToolTip(tr("Add accounts from a Switchboard export file"));
    m_export->setText(tr("Export…"));
    m_export->setToolTip(tr("Save every account to a file"));
    m_filterEdit->setPlaceholderText(tr("Filter by name or provider"));

    const int kind
        = m_healthFilter->currentIndex() < 0 ? -1 : m_healthFilter->currentData().toInt();
    {
        const QSignalBlocker blocker(m_healthFilter);
        m_healthFilter->clear();
        m_healthFilter->addItem(tr("Any health"), -1);
        for (auto k : {HealthBadge::Kind::Valid, HealthBadge::Kind::Unchecked,
                       HealthBadge::Kind::Invalid, HealthBadge::Kind::Cooling,
                       HealthBadge::Kind::Parked, HealthBadge::Kind::UserDisabled})
            m_healthFilter->addItem(AccountStatus::kindName(k), int(k));
        m_healthFilter->setCurrentIndex(std::max(0, m_healthFilter->findData(kind)));
    }
    m_healthFilter->setToolTip(tr("Show only accounts in this state"));
    m_model->retranslate();
    updateView();
    updateActions();
    if (m_runTotal > 0)
        showValidationProgress();
}

void AccountsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void AccountsPage::updateView()
{
    const bool none = m_model->rowCount() == 0;
    const bool hidden = !none && m_proxy->rowCount() == 0;
    if (none) {
        m_emptyTitle->setText(tr("No accounts yet"));
        m_emptyText->setText(tr("Add the API key of Anthropic or of an OpenAI-compatible "
                                "provider, and the local endpoint can serve requests."));
        m_emptyButton->setText(tr("Add account"));
        m_emptyButton->setIcon(m_add->icon());
    } else if (hidden) {
        m_emptyTitle->setText(tr("No account matches the filter"));
        m_emptyText->setText(
            tr("%n account(s) hidden by the filter.", nullptr, m_model->rowCount()));
        m_emptyButton->setText(tr("Clear filter"));
        m_emptyButton->setIcon({});
    }
    m_stack->setCurrentWidget(none || hidden ? m_empty : static_cast<QWidget *>(m_view));
    m_filterEdit->setEnabled(!none);
    m_healthFilter->setEnabled(!none);
}

void AccountsPage::updateActions()
{
    const QList<QUuid> ids = selectedIds();
    const bool one = ids.size() == 1;
    const bool running = m_backend.gatewayState() == Backend::GatewayState::Running;
    m_edit->setEnabled(one);
    m_delete->setEnabled(!ids.isEmpty());
    m_validate->setEnabled(!ids.isEmpty() && running);
    m_validateAll->setEnabled(m_model->rowCount() > 0 && running);
    m_export->setEnabled(m_model->rowCount() > 0);

    bool allOff = !ids.isEmpty();
    for (const QUuid &id : ids) {
        const Account *a = m_backend.account(id);
        allOff = allOff && a && !a->enabled;
    }
    m_enable->setEnabled(!ids.isEmpty());
    m_enable->setProperty("enables", allOff);
    m_enable->setText(allOff ? tr("Enable") : tr("Disable"));
    m_enable->setToolTip(allOff ? tr("Use the selected accounts again")
                                : tr("Stop sending requests to the selected accounts"));

    const bool pinned = one && m_backend.pinned() == ids.first();
    m_pin->setEnabled(one || (!m_backend.pinned().isNull() && ids.isEmpty()));
    m_pin->setText(pinned || (ids.isEmpty() && !m_backend.pinned().isNull()) ? tr("Unpin")
                                                                             : tr("Pin"));
    m_pin->setToolTip(tr("Send every request to one account, bypassing rotation "
                         "(until unpinned or restarted)"));

    int invalid = 0;
    for (const Account &a : m_backend.accounts())
        invalid += a.health.state == HealthState::Invalid ? 1 : 0;
    m_purge->setEnabled(invalid > 0);
}

QList<QUuid> AccountsPage::selectedIds() const
{
    QList<QUuid> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids << index.data(AccountsTableModel::IdRole).toUuid();
    return ids;
}

void AccountsPage::selectAccounts(const QList<QUuid> &ids)
{
    QItemSelection selection;
    for (const QUuid &id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (index.isValid())
            selection.select(index, index.siblingAtColumn(AccountsTableModel::ColumnCount - 1));
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
    if (!selection.isEmpty())
        m_view->selectionModel()->setCurrentIndex(selection.indexes().first(),
                                                  QItemSelectionModel::NoUpdate);
}

QStringList AccountsPage::quotedNames(const QList<QUuid> &ids) const
{
    QStringList names;
    for (const QUuid &id : ids) {
        if (const Account *a = m_backend.account(id))
            names << tr("“%1”").arg(a->name);
    }
    return names;
}

AccountDialog *AccountsPage::addAccount()
{
    auto *dialog = new AccountDialog(m_backend, nullptr, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AccountDialog::saved, this, [this](const Account &account) {
        setStatus(tr("Added “%1”. It is checked in the background.").arg(account.name));
        // The row arrives with the reload that follows: select it then.
        QMetaObject::invokeMethod(
            this, [this, id = account.id] { selectAccounts({id}); }, Qt::QueuedConnection);
    });
    dialog->open();
    return dialog;
}

AccountDialog *AccountsPage::editAccount(const QUuid &id)
{
    const Account *account = m_backend.account(id);
    if (!account)
        return nullptr;
    auto *dialog = new AccountDialog(m_backend, account, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AccountDialog::saved, this,
            [this](const Account &a) { setStatus(tr("Saved “%1”.").arg(a.name)); });
    dialog->open();
    return dialog;
}

BatchAddDialog *AccountsPage::batchAdd()
{
    auto *dialog = new BatchAddDialog(m_backend, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BatchAddDialog::added, this,
            [this](int count) { setStatus(tr("%n account(s) added.", nullptr, count)); });
    dialog->open();
    return dialog;
}

void AccountsPage::deleteSelected()
{
    const QList<QUuid> ids = selectedIds();
    if (ids.isEmpty())
        return;
    const QString names = QLocale().createSeparatedList(quotedNames(ids));
    MessageBox::ask(this, tr("Delete accounts"),
                    tr("Delete %1? Their API keys are removed from the keychain too. This "
                       "cannot be undone.",
                       nullptr, int(ids.size()))
                        .arg(names),
                    QMessageBox::Yes | QMessageBox::No, QMessageBox::No,
                    [this, ids](QMessageBox::StandardButton answer) {
                        if (answer == QMessageBox::Yes)
                            removeAccounts(ids);
                    });
}

void AccountsPage::removeAccounts(const QList<QUuid> &ids)
{
    struct Tally
    {
        int left = 0;
        int removed = 0;
        QStringList errors;
    };
    auto tally = std::make_shared<Tally>();
    tally->left = int(ids.size());
    for (const QUuid &id : ids) {
        const Account *a = m_backend.account(id);
        const QString name = a ? a->name : id.toString();
        m_backend.removeAccount(id, [this, tally, name](Status removed) {
            if (removed)
                ++tally->removed;
            else
                tally->errors << tr("%1: %2").arg(name, removed.error().message);
            if (--tally->left > 0)
                return;
            if (tally->errors.isEmpty()) {
                setStatus(tr("%n account(s) deleted.", nullptr, tally->removed));
            } else {
                setStatus(
                    tr("%n account(s) could not be deleted.", nullptr, int(tally->errors.size())),
                    true);
                MessageBox::warn(this, tr("Delete accounts"),
                                 tr("These accounts were not deleted and are unchanged:\n%1\n"
                                    "Check that the keychain is unlocked, then try again.")
                                     .arg(tally->errors.join(u'\n')));
            }
        });
    }
}

void AccountsPage::setSelectedEnabled(bool enabled)
{
    const QList<QUuid> ids = selectedIds();
    for (const QUuid &id : ids) {
        const Account *a = m_backend.account(id);
        if (!a || a->enabled == enabled)
            continue;
        m_backend.setAccountEnabled(id, enabled, [this, name = a->name, enabled](Status done) {
            if (!done) {
                setStatus(tr("“%1” could not be changed: %2").arg(name, done.error().message),
                          true);
            } else {
                setStatus(enabled ? tr("“%1” is enabled.").arg(name)
                                  : tr("“%1” is disabled: no requests go to it.").arg(name));
            }
        });
    }
}

void AccountsPage::togglePinSelected()
{
    const QList<QUuid> ids = selectedIds();
    if (ids.size() != 1) {
        if (ids.isEmpty() && !m_backend.pinned().isNull()) {
            m_backend.setPinned({});
            setStatus(tr("Unpinned: requests rotate over the accounts again."));
        }
        return;
    }
    const Account *a = m_backend.account(ids.first());
    if (!a)
        return;
    if (m_backend.pinned() == a->id) {
        m_backend.setPinned({});
        setStatus(tr("Unpinned: requests rotate over the accounts again."));
    } else {
        m_backend.setPinned(a->id);
        setStatus(tr("Pinned “%1”: every request goes to it until you unpin it.").arg(a->name));
    }
    updateActions();
}

void AccountsPage::validateSelected()
{
    const QList<QUuid> ids = selectedIds();
    if (ids.isEmpty())
        return;
    if (m_backend.gatewayState() != Backend::GatewayState::Running) {
        setStatus(tr("The local gateway is stopped: start it to validate accounts."), true);
        return;
    }
    startValidation(ids);
    for (const QUuid &id : ids)
        m_backend.validate(id);
}

void AccountsPage::validateAll()
{
    if (m_backend.gatewayState() != Backend::GatewayState::Running) {
        setStatus(tr("The local gateway is stopped: start it to validate accounts."), true);
        return;
    }
    // The gateway checks enabled accounts only: wait for exactly those.
    QList<QUuid> ids;
    for (const Account &a : m_backend.accounts()) {
        if (a.enabled)
            ids << a.id;
    }
    if (ids.isEmpty()) {
        setStatus(tr("Every account is disabled: enable one to validate it."), true);
        return;
    }
    startValidation(ids);
    m_backend.validateAll();
}

void AccountsPage::startValidation(const QList<QUuid> &ids)
{
    if (m_waiting.isEmpty()) {
        m_runTotal = 0;
        m_runResults.clear();
    }
    for (const QUuid &id : ids) {
        if (!m_waiting.contains(id)) {
            m_waiting.insert(id);
            ++m_runTotal;
        }
    }
    showValidationProgress();
}

void AccountsPage::onValidated(const ValidationResult &result)
{
    m_lastResults.insert(result.accountId, result);
    if (!m_waiting.remove(result.accountId))
        return;
    m_runResults.append(result);
    showValidationProgress();
}

void AccountsPage::showValidationProgress()
{
    const int done = m_runTotal - int(m_waiting.size());
    if (!m_waiting.isEmpty()) {
        m_progress->setRange(0, m_runTotal);
        m_progress->setValue(done);
        m_progress->setFormat(tr("%1 of %2").arg(done).arg(m_runTotal));
        m_progress->show();
        setStatus(tr("Validating %1 of %2…").arg(std::min(done + 1, m_runTotal)).arg(m_runTotal));
        return;
    }
    m_progress->hide();
    QStringList lines;
    for (const ValidationResult &r : std::as_const(m_runResults)) {
        const Account *a = m_backend.account(r.accountId);
        lines << tr("%1: %2").arg(a ? a->name : r.accountId.toString(),
                                  AccountStatus::resultText(r));
    }
    const QString summary = AccountStatus::summary(m_runResults);
    setStatus(summary,
              m_runResults.size() > 0
                  && std::any_of(m_runResults.cbegin(), m_runResults.cend(),
                                 [](const ValidationResult &r) { return !r.ok; }));
    m_status->setToolTip(lines.join(u'\n'));
    if (m_runTotal > 0) {
        m_runTotal = 0;
        Q_EMIT validationFinished(summary);
    }
}

QString AccountsPage::lastResult(const QUuid &id) const
{
    const auto it = m_lastResults.constFind(id);
    return it == m_lastResults.cend() ? QString() : AccountStatus::resultText(*it);
}

void AccountsPage::purgeInvalid()
{
    QList<QUuid> ids;
    for (const Account &a : m_backend.accounts()) {
        if (a.health.state == HealthState::Invalid)
            ids << a.id;
    }
    if (ids.isEmpty()) {
        setStatus(tr("No account has an invalid key."));
        return;
    }
    MessageBox::ask(this, tr("Purge invalid accounts"),
                    tr("The provider rejected the key of %1. Delete these accounts and their "
                       "keys? This cannot be undone.")
                        .arg(QLocale().createSeparatedList(quotedNames(ids))),
                    QMessageBox::Yes | QMessageBox::No, QMessageBox::No,
                    [this, ids](QMessageBox::StandardButton answer) {
                        if (answer == QMessageBox::Yes)
                            removeAccounts(ids);
                    });
}

QFileDialog *AccountsPage::importAccounts()
{
    auto *dialog = new QFileDialog(this, tr("Import accounts"), QDir::homePath(),
                                   tr("Switchboard accounts (*.json);;All files (*)"));
    dialog->setObjectName(u"importDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &AccountsPage::importFrom);
    dialog->open();
    return dialog;
}

QFileDialog *AccountsPage::exportAccounts()
{
    auto *dialog = new QFileDialog(this, tr("Export accounts"),
                                   QDir::home().filePath(u"switchboard-accounts.json"_s),
                                   tr("Switchboard accounts (*.json)"));
    dialog->setObjectName(u"exportDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(u"json"_s);
    connect(dialog, &QFileDialog::fileSelected, this, &AccountsPage::exportTo);
    dialog->open();
    return dialog;
}

void AccountsPage::importFrom(const QString &path)
{
    setStatus(tr("Importing…"));
    m_backend.importAccounts(path, [this, path](Result<int> imported) {
        if (!imported) {
            setStatus(tr("Nothing was imported."), true);
            MessageBox::warn(this, tr("Import accounts"),
                             tr("Nothing was imported from %1:\n%2\nFix the file or choose "
                                "another one; your accounts are unchanged.")
                                 .arg(QDir::toNativeSeparators(path), imported.error().message));
            return;
        }
        setStatus(tr("%n account(s) imported from %1.", nullptr, *imported)
                      .arg(QDir::toNativeSeparators(path)));
    });
}

void AccountsPage::exportTo(const QString &path)
{
    MessageBox::ask(
        this, tr("Include the API keys?"),
        tr("The export can include the API keys, so another Switchboard can use the accounts "
           "at once.\n\nThe keys are written in plain text: anyone who can read the file can "
           "use them and spend your credit. Include them only for a file you keep safe.\n\n"
           "Include the API keys?"),
        QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::No,
        [this, path](QMessageBox::StandardButton answer) {
            if (answer == QMessageBox::Cancel)
                return;
            const bool withKeys = answer == QMessageBox::Yes;
            m_backend.exportAccounts(path, withKeys, [this, path, withKeys](Status written) {
                const QString file = QDir::toNativeSeparators(path);
                if (!written) {
                    setStatus(tr("The export failed."), true);
                    MessageBox::warn(this, tr("Export accounts"),
                                     tr("The accounts could not be written to %1:\n%2\nChoose "
                                        "another folder and try again.")
                                         .arg(file, written.error().message));
                    return;
                }
                setStatus(withKeys
                              ? tr("Exported to %1, with the API keys in plain text.").arg(file)
                              : tr("Exported to %1, without the API keys.").arg(file));
            });
        });
}

void AccountsPage::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (index.isValid() && !m_view->selectionModel()->isRowSelected(index.row(), {}))
        selectAccounts({index.data(AccountsTableModel::IdRole).toUuid()});
    auto *menu = new QMenu(this);
    menu->setObjectName(u"accountsContextMenu"_s);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    if (index.isValid()) {
        menu->addActions({m_edit, m_enable, m_pin, m_validate});
        menu->addSeparator();
        menu->addAction(m_delete);
        menu->addSeparator();
    }
    menu->addActions({m_add, m_batch, m_validateAll});
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

QString AccountsPage::statusText() const
{
    return m_status->text();
}

void AccountsPage::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setToolTip({});
    QPalette palette = this->palette();
    if (error)
        palette.setColor(QPalette::WindowText, HealthBadge::colour(HealthBadge::Kind::Invalid));
    m_status->setPalette(palette);
}
