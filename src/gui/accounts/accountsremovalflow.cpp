// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountsremovalflow.h"

#include "gui/common/messagebox.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statusline.h"

#include <QLocale>

#include <memory>

AccountsRemovalFlow::AccountsRemovalFlow(RuntimeFacade &runtime, QWidget *window,
                                         StatusLine &status)
    : QObject(window)
    , m_runtime(runtime)
    , m_window(window)
    , m_status(status)
{ }

QString AccountsRemovalFlow::quotedNames(const QList<QUuid> &ids) const
{
    QStringList names;
    for (const QUuid &id : ids) {
        if (const Account *a = m_runtime.account(id))
            names << tr("“%1”").arg(a->name);
    }
    return QLocale().createSeparatedList(names);
}

void AccountsRemovalFlow::deleteAccounts(const QList<QUuid> &ids)
{
    if (ids.isEmpty())
        return;
    MessageBox::ask(m_window, tr("Delete accounts"),
                    tr("Delete %1? Their API keys are removed from the keychain too. This "
                       "cannot be undone.",
                       nullptr, int(ids.size()))
                        .arg(quotedNames(ids)),
                    QMessageBox::Yes | QMessageBox::No, QMessageBox::No,
                    [this, ids](QMessageBox::StandardButton answer) {
                        if (answer == QMessageBox::Yes)
                            remove(ids);
                    });
}

void AccountsRemovalFlow::purgeInvalid()
{
    QList<QUuid> ids;
    for (const Account &a : m_runtime.accounts()) {
        if (a.health.state == HealthState::Invalid)
            ids << a.id;
    }
    if (ids.isEmpty()) {
        m_status.setStatus([] { return tr("No account has an invalid key."); });
        return;
    }
    MessageBox::ask(m_window, tr("Purge invalid accounts"),
                    tr("The provider rejected the key of %1. Delete these accounts and their "
                       "keys? This cannot be undone.")
                        .arg(quotedNames(ids)),
                    QMessageBox::Yes | QMessageBox::No, QMessageBox::No,
                    [this, ids](QMessageBox::StandardButton answer) {
                        if (answer == QMessageBox::Yes)
                            remove(ids);
                    });
}

void AccountsRemovalFlow::remove(const QList<QUuid> &ids)
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
        const Account *a = m_runtime.account(id);
        const QString name = a ? a->name : id.toString();
        m_runtime.removeAccount(this, id, [this, tally, name](Status removed) {
            if (removed)
                ++tally->removed;
            else
                tally->errors << tr("%1: %2").arg(name, removed.error().message);
            if (--tally->left > 0)
                return;
            if (tally->errors.isEmpty()) {
                m_status.setStatus(
                    [n = tally->removed] { return tr("%n account(s) deleted.", nullptr, n); });
                return;
            }
            m_status.setStatus(
                [n = int(tally->errors.size())] {
                    return tr("%n account(s) could not be deleted.", nullptr, n);
                },
                true);
            MessageBox::warn(m_window, tr("Delete accounts"),
                             tr("These accounts were not deleted and are unchanged:\n%1\n"
                                "Check that the keychain is unlocked, then try again.")
                                 .arg(tally->errors.join(u'\n')));
        });
    }
}
