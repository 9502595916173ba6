// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"

#include <QWidget>

class AccessKeyDialog;
class AccessKeyModel;
class RuntimeFacade;
class QLabel;
class QPushButton;
class QTableView;

/// The access keys section: the list, "Create key…" and "Revoke…".
class AccessKeysPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccessKeysPanel)

public:
    explicit AccessKeysPanel(RuntimeFacade &runtime, QWidget *parent = nullptr);

    /// Opens the dialog that creates a key (shown with open()).
    AccessKeyDialog *createKey(const QString &suggestedName = {});
    /// Asks, then revokes the key shown in `row`.
    void revokeRow(int row);
    QTableView *table() const { return m_table; }
    AccessKeyModel *model() const { return m_model; }

Q_SIGNALS:
    void keyCreated(const NewAccessKey &key);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void refresh();
    void updateButtons();

    RuntimeFacade &m_runtime;
    QLabel *m_intro;
    QTableView *m_table;
    AccessKeyModel *m_model;
    QLabel *m_empty;
    QLabel *m_message;
    QPushButton *m_create;
    QPushButton *m_revoke;
};
