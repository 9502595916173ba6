// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountspage.h"

#include "gui/accounts/accountdialog.h"
#include "gui/accounts/accountsactions.h"
#include "gui/accounts/accountsemptystate.h"
#include "gui/accounts/accountsfiltermodel.h"
#include "gui/accounts/accountsremovalflow.h"
#include "gui/accounts/accountstablemodel.h"
#include "gui/accounts/accountstatus.h"
#include "gui/accounts/accountstransferflow.h"
#include "gui/accounts/accountsvalidationflow.h"
#include "gui/accounts/batchadddialog.h"
#include "gui/accounts/healthbadgedelegate.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statusline.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QStackedWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

// The icons live in switchboard_gui, a static library: without this reference the linker
// drops its resources from executables that only use the page (tests, tools).
static void initAccountsResources()
{
    Q_INIT_RESOURCE(resources);
}

AccountsPage::AccountsPage(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_model(new AccountsTableModel(runtime, this))
    , m_proxy(new AccountsFilterModel(this))
    , m_toolBar(new QToolBar(this))
    , m_filterEdit(new QLineEdit(this))
    , m_healthFilter(new QComboBox(this))
    , m_stack(new QStackedWidget(this))
    , m_view(new QTableView(this))
    , m_empty(new AccountsEmptyState(this))
    , m_status(new StatusLine(this))
    , m_actions(new AccountsActions(this))
    , m_validation(new AccountsValidationFlow(runtime, *m_status, this))
    , m_removal(new AccountsRemovalFlow(runtime, this, *m_status))
    , m_transfer(new AccountsTransferFlow(runtime, this, *m_status))
{
    initAccountsResources();
    setObjectName(u"accountsPage"_s);
    m_toolBar->setObjectName(u"accountsToolBar"_s);
    m_filterEdit->setObjectName(u"filterEdit"_s);
    m_healthFilter->setObjectName(u"healthFilter"_s);
    m_view->setObjectName(u"accountsView"_s);
    m_status->label()->setObjectName(u"statusLabel"_s);
    m_status->progressBar()->setObjectName(u"validationProgress"_s);

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

    connect(m_empty, &AccountsEmptyState::addRequested, this, [this] { addAccount(); });
    connect(m_empty, &AccountsEmptyState::clearFilterRequested, this, [this] {
        m_filterEdit->clear();
        m_healthFilter->setCurrentIndex(0);
    });

    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_toolBar);
    layout->addLayout(filterRow);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_status);

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
    for (auto signal : {&RuntimeFacade::pinnedChanged, &RuntimeFacade::gatewayStateChanged})
        connect(&runtime, signal, this, &AccountsPage::updateActions);
    connect(m_validation, &AccountsValidationFlow::finished, this,
            &AccountsPage::validationFinished);

    retranslate();
    updateView();
    updateActions();
}

void AccountsPage::createActions()
{
    const AccountsActions &a = *m_actions;
    connect(a.add, &QAction::triggered, this, [this] { addAccount(); });
    connect(a.batch, &QAction::triggered, this, [this] { batchAdd(); });
    connect(a.edit, &QAction::triggered, this, [this] {
        const QList<QUuid> ids = selectedIds();
        if (ids.size() == 1)
            editAccount(ids.first());
    });
    connect(a.remove, &QAction::triggered, this, &AccountsPage::deleteSelected);
    connect(a.enable, &QAction::triggered, this, [this] {
        // Enable when every selected account is off; otherwise the action disables.
        setSelectedEnabled(m_actions->enable->property("enables").toBool());
    });
    connect(a.pin, &QAction::triggered, this, &AccountsPage::togglePinSelected);
    connect(a.validate, &QAction::triggered, this, &AccountsPage::validateSelected);
    connect(a.validateAll, &QAction::triggered, this, &AccountsPage::validateAll);
    connect(a.purge, &QAction::triggered, this, &AccountsPage::purgeInvalid);
    connect(a.importFile, &QAction::triggered, this, [this] { importAccounts(); });
    connect(a.exportFile, &QAction::triggered, this, [this] { exportAccounts(); });
    m_view->addAction(a.edit);
    m_view->addAction(a.remove);
    a.addTo(m_toolBar);
}

void AccountsPage::retranslate()
{
    m_actions->retranslate();
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
    if (none || hidden) {
        m_empty->setReason(none ? AccountsEmptyState::Reason::NoAccounts
                                : AccountsEmptyState::Reason::Filtered,
                           m_model->rowCount(), m_actions->add->icon());
    }
    m_stack->setCurrentWidget(none || hidden ? m_empty : static_cast<QWidget *>(m_view));
    m_filterEdit->setEnabled(!none);
    m_healthFilter->setEnabled(!none);
}

void AccountsPage::updateActions()
{
    const QList<QUuid> ids = selectedIds();
    const bool one = ids.size() == 1;
    const bool running = m_runtime.gatewayState() == RuntimeFacade::GatewayState::Running;
    m_actions->edit->setEnabled(one);
    m_actions->remove->setEnabled(!ids.isEmpty());
    m_actions->validate->setEnabled(!ids.isEmpty() && running);
    m_actions->validateAll->setEnabled(m_model->rowCount() > 0 && running);
    m_actions->exportFile->setEnabled(m_model->rowCount() > 0);

    bool allOff = !ids.isEmpty();
    for (const QUuid &id : ids) {
        const Account *a = m_runtime.account(id);
        allOff = allOff && a && !a->enabled;
    }
    m_actions->enable->setEnabled(!ids.isEmpty());
    m_actions->enable->setProperty("enables", allOff);
    m_actions->enable->setText(allOff ? tr("Enable") : tr("Disable"));
    m_actions->enable->setToolTip(allOff ? tr("Use the selected accounts again")
                                         : tr("Stop sending requests to the selected accounts"));

    const bool pinned = one && m_runtime.pinned() == ids.first();
    m_actions->pin->setEnabled(one || (!m_runtime.pinned().isNull() && ids.isEmpty()));
    m_actions->pin->setText(pinned || (ids.isEmpty() && !m_runtime.pinned().isNull()) ? tr("Unpin")
                                                                                      : tr("Pin"));
    m_actions->pin->setToolTip(tr("Send every request to one account, bypassing rotation "
                                  "(until unpinned or restarted)"));

    int invalid = 0;
    for (const Account &a : m_runtime.accounts())
        invalid += a.health.state == HealthState::Invalid ? 1 : 0;
    m_actions->purge->setEnabled(invalid > 0);
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

AccountDialog *AccountsPage::addAccount()
{
    auto *dialog = new AccountDialog(m_runtime, nullptr, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AccountDialog::saved, this, [this](const Account &account) {
        m_status->setStatus([name = account.name] {
            return tr("Added “%1”. It is checked in the background.").arg(name);
        });
        // The row arrives with the reload that follows: select it then.
        QMetaObject::invokeMethod(
            this, [this, id = account.id] { selectAccounts({id}); }, Qt::QueuedConnection);
    });
    dialog->open();
    return dialog;
}

AccountDialog *AccountsPage::editAccount(const QUuid &id)
{
    const Account *account = m_runtime.account(id);
    if (!account)
        return nullptr;
    auto *dialog = new AccountDialog(m_runtime, account, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &AccountDialog::saved, this, [this](const Account &a) {
        m_status->setStatus([name = a.name] { return tr("Saved “%1”.").arg(name); });
    });
    dialog->open();
    return dialog;
}

BatchAddDialog *AccountsPage::batchAdd()
{
    auto *dialog = new BatchAddDialog(m_runtime, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &BatchAddDialog::added, this, [this](int count) {
        m_status->setStatus([count] { return tr("%n account(s) added.", nullptr, count); });
    });
    dialog->open();
    return dialog;
}

void AccountsPage::deleteSelected()
{
    m_removal->deleteAccounts(selectedIds());
}

void AccountsPage::setSelectedEnabled(bool enabled)
{
    const QList<QUuid> ids = selectedIds();
    for (const QUuid &id : ids) {
        const Account *a = m_runtime.account(id);
        if (!a || a->enabled == enabled)
            continue;
        m_runtime.setAccountEnabled(
            this, id, enabled, [this, name = a->name, enabled](Status done) {
                if (!done) {
                    m_status->setStatus(
                        [name, error = done.error().message] {
                            return tr("“%1” could not be changed: %2").arg(name, error);
                        },
                        true);
                } else {
                    m_status->setStatus([name, enabled] {
                        return enabled ? tr("“%1” is enabled.").arg(name)
                                       : tr("“%1” is disabled: no requests go to it.").arg(name);
                    });
                }
            });
    }
}

void AccountsPage::togglePinSelected()
{
    const QList<QUuid> ids = selectedIds();
    const Account *a = ids.size() == 1 ? m_runtime.account(ids.first()) : nullptr;
    // Nothing selected unpins; a selected account pins or unpins itself.
    const bool unpin
        = a ? m_runtime.pinned() == a->id : ids.isEmpty() && !m_runtime.pinned().isNull();
    if (unpin) {
        m_runtime.setPinned({});
        m_status->setStatus(
            [] { return tr("Unpinned: requests rotate over the accounts again."); });
    } else if (a) {
        m_runtime.setPinned(a->id);
        m_status->setStatus([name = a->name] {
            return tr("Pinned “%1”: every request goes to it until you unpin it.").arg(name);
        });
    }
    updateActions();
}

void AccountsPage::validateSelected()
{
    m_validation->validate(selectedIds());
}

void AccountsPage::validateAll()
{
    m_validation->validateAll();
}

bool AccountsPage::isValidating() const
{
    return m_validation->isValidating();
}

QString AccountsPage::lastResult(const QUuid &id) const
{
    return m_validation->lastResult(id);
}

void AccountsPage::purgeInvalid()
{
    m_removal->purgeInvalid();
}

QFileDialog *AccountsPage::importAccounts()
{
    return m_transfer->importAccounts();
}

QFileDialog *AccountsPage::exportAccounts()
{
    return m_transfer->exportAccounts();
}

void AccountsPage::importFrom(const QString &path)
{
    m_transfer->importFrom(path);
}

void AccountsPage::exportTo(const QString &path)
{
    m_transfer->exportTo(path);
}

void AccountsPage::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    if (index.isValid() && !m_view->selectionModel()->isRowSelected(index.row(), {}))
        selectAccounts({index.data(AccountsTableModel::IdRole).toUuid()});
    QMenu *menu = m_actions->contextMenu(this, index.isValid());
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

QString AccountsPage::statusText() const
{
    return m_status->text();
}
