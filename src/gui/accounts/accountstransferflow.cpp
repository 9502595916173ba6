// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountstransferflow.h"

#include "gui/common/messagebox.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statusline.h"

#include <QDir>
#include <QFileDialog>

using namespace Qt::StringLiterals;

AccountsTransferFlow::AccountsTransferFlow(RuntimeFacade &runtime, QWidget *window,
                                           StatusLine &status)
    : QObject(window)
    , m_runtime(runtime)
    , m_window(window)
    , m_status(status)
{ }

QFileDialog *AccountsTransferFlow::importAccounts()
{
    auto *dialog = new QFileDialog(m_window, tr("Import accounts"), QDir::homePath(),
                                   tr("Switchboard accounts (*.json);;All files (*)"));
    dialog->setObjectName(u"importDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptOpen);
    dialog->setFileMode(QFileDialog::ExistingFile);
    connect(dialog, &QFileDialog::fileSelected, this, &AccountsTransferFlow::importFrom);
    dialog->open();
    return dialog;
}

QFileDialog *AccountsTransferFlow::exportAccounts()
{
    auto *dialog = new QFileDialog(m_window, tr("Export accounts"),
                                   QDir::home().filePath(u"switchboard-accounts.json"_s),
                                   tr("Switchboard accounts (*.json)"));
    dialog->setObjectName(u"exportDialog"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(u"json"_s);
    connect(dialog, &QFileDialog::fileSelected, this, &AccountsTransferFlow::exportTo);
    dialog->open();
    return dialog;
}

void AccountsTransferFlow::importFrom(const QString &path)
{
    m_status.setStatus([] { return tr("Importing…"); });
    m_runtime.importAccounts(this, path, [this, path](Result<int> imported) {
        const QString file = QDir::toNativeSeparators(path);
        if (!imported) {
            return fail([] { return tr("Nothing was imported."); }, tr("Import accounts"),
                        tr("Nothing was imported from %1:\n%2\nFix the file or choose another "
                           "one; your accounts are unchanged.")
                            .arg(file, imported.error().message));
        }
        m_status.setStatus([file, count = *imported] {
            return tr("%n account(s) imported from %1.", nullptr, count).arg(file);
        });
    });
}

void AccountsTransferFlow::exportTo(const QString &path)
{
    MessageBox::ask(
        m_window, tr("Include the API keys?"),
        tr("The export can include the API keys, so another Switchboard can use the accounts "
           "at once.\n\nThe keys are written in plain text: anyone who can read the file can "
           "use them and spend your credit. Include them only for a file you keep safe.\n\n"
           "Include the API keys?"),
        QMessageBox::Yes | QMessageBox::No | QMessageBox::Cancel, QMessageBox::No,
        [this, path](QMessageBox::StandardButton answer) {
            if (answer == QMessageBox::Cancel)
                return;
            const bool withKeys = answer == QMessageBox::Yes;
            m_runtime.exportAccounts(this, path, withKeys, [this, path, withKeys](Status written) {
                const QString file = QDir::toNativeSeparators(path);
                if (!written) {
                    return fail([] { return tr("The export failed."); }, tr("Export accounts"),
                                tr("The accounts could not be written to %1:\n%2\nChoose "
                                   "another folder and try again.")
                                    .arg(file, written.error().message));
                }
                m_status.setStatus([file, withKeys] {
                    return withKeys
                        ? tr("Exported to %1, with the API keys in plain text.").arg(file)
                        : tr("Exported to %1, without the API keys.").arg(file);
                });
            });
        });
}

void AccountsTransferFlow::fail(StatusLine::Text status, const QString &title,
                                const QString &message)
{
    m_status.setStatus(std::move(status), true);
    MessageBox::warn(m_window, title, message);
}
