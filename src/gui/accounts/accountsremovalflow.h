// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QObject>
#include <QUuid>

class RuntimeFacade;
class StatusLine;
class QWidget;

/// Deleting accounts from the accounts page: "Delete" on the selection and "Purge invalid",
/// each confirmed first. The outcome goes to the status line; accounts that could not be
/// deleted are listed in a warning box.
class AccountsRemovalFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsRemovalFlow)

public:
    AccountsRemovalFlow(RuntimeFacade &runtime, QWidget *window, StatusLine &status);

    void deleteAccounts(const QList<QUuid> &ids);
    /// Every account whose key the provider rejected.
    void purgeInvalid();

private:
    void remove(const QList<QUuid> &ids);
    /// "“work”, “home” and “spare”".
    QString quotedNames(const QList<QUuid> &ids) const;

    RuntimeFacade &m_runtime;
    QWidget *m_window;
    StatusLine &m_status;
};
