// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QAction;
class QMenu;
class QWidget;
class QToolBar;

/// The accounts page's actions (toolbar, context menu, shortcuts), with their icons,
/// object names and fixed texts. The page connects them and sets what changes with the
/// selection (enabled state, "Enable"/"Disable", "Pin"/"Unpin").
class AccountsActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsActions)

public:
    explicit AccountsActions(QObject *parent);

    /// Fills the toolbar in its order, with separators between the groups.
    void addTo(QToolBar *toolBar) const;
    void retranslate();
    /// A context menu (deleted on close); `onRow`: with the actions on the selection.
    QMenu *contextMenu(QWidget *parent, bool onRow) const;

    QAction *const add;
    QAction *const batch;
    QAction *const edit;
    QAction *const remove;
    QAction *const enable;
    QAction *const pin;
    QAction *const validate;
    QAction *const validateAll;
    QAction *const purge;
    QAction *const importFile;
    QAction *const exportFile;
};
