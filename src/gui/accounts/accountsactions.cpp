// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountsactions.h"

#include <QAction>
#include <QMenu>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace {

QAction *make(QObject *parent, const QString &icon, const QString &name)
{
    auto *action = new QAction(QIcon(u":/icons/accounts-%1.svg"_s.arg(icon)), QString(), parent);
    action->setObjectName(name);
    return action;
}

} // namespace

AccountsActions::AccountsActions(QObject *parent)
    : QObject(parent)
    , add(make(this, u"add"_s, u"addAction"_s))
    , batch(make(this, u"batch"_s, u"batchAddAction"_s))
    , edit(make(this, u"edit"_s, u"editAction"_s))
    , remove(make(this, u"delete"_s, u"deleteAction"_s))
    , enable(make(this, u"toggle"_s, u"enableAction"_s))
    , pin(make(this, u"pin"_s, u"pinAction"_s))
    , validate(make(this, u"validate"_s, u"validateAction"_s))
    , validateAll(make(this, u"validate-all"_s, u"validateAllAction"_s))
    , purge(make(this, u"purge"_s, u"purgeAction"_s))
    , importFile(make(this, u"import"_s, u"importAction"_s))
    , exportFile(make(this, u"export"_s, u"exportAction"_s))
{
    edit->setShortcut(QKeySequence(Qt::Key_Return));
    edit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    retranslate();
}

void AccountsActions::addTo(QToolBar *toolBar) const
{
    toolBar->addActions({add, batch, edit, remove});
    toolBar->addSeparator();
    toolBar->addActions({enable, pin});
    toolBar->addSeparator();
    toolBar->addActions({validate, validateAll, purge});
    toolBar->addSeparator();
    toolBar->addActions({importFile, exportFile});
}

QMenu *AccountsActions::contextMenu(QWidget *parent, bool onRow) const
{
    auto *menu = new QMenu(parent);
    menu->setObjectName(u"accountsContextMenu"_s);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    if (onRow) {
        menu->addActions({edit, enable, pin, validate});
        menu->addSeparator();
        menu->addAction(remove);
        menu->addSeparator();
    }
    menu->addActions({add, batch, validateAll});
    return menu;
}

void AccountsActions::retranslate()
{
    add->setText(tr("Add"));
    add->setToolTip(tr("Add an account"));
    batch->setText(tr("Batch add"));
    batch->setToolTip(tr("Add one account per API key, from a pasted list"));
    edit->setText(tr("Edit"));
    edit->setToolTip(tr("Edit the selected account (double-click a row)"));
    remove->setText(tr("Delete"));
    remove->setToolTip(tr("Delete the selected accounts and their keys"));
    validate->setText(tr("Validate"));
    validate->setToolTip(tr("Check the selected accounts' keys now, without spending tokens"));
    validateAll->setText(tr("Validate all"));
    validateAll->setToolTip(tr("Check every enabled account now"));
    purge->setText(tr("Purge invalid"));
    purge->setToolTip(tr("Delete every account whose key the provider rejected"));
    importFile->setText(tr("Import…"));
    importFile->setToolTip(tr("Add accounts from a Switchboard export file"));
    exportFile->setText(tr("Export…"));
    exportFile->setToolTip(tr("Save every account to a file"));
    pin->setToolTip(tr("Send every request to one account, bypassing rotation "
                       "(until unpinned or restarted)"));
}
