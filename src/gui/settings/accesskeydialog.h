// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"

#include <QDialog>

#include <memory>

class RuntimeFacade;
class QPushButton;
namespace Ui {
class AccessKeyDialog;
}

/// Creates an access key: asks for a name, then shows the new key once, with a Copy
/// button and the warning that it cannot be shown again.
class AccessKeyDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccessKeyDialog)

public:
    AccessKeyDialog(RuntimeFacade &runtime, const QString &suggestedName, QWidget *parent = nullptr);
    ~AccessKeyDialog() override;

    /// The key shown (empty until created).
    QString plaintext() const { return m_created ? m_created->plaintext : QString(); }
    bool isShowingKey() const;

Q_SIGNALS:
    void keyCreated(const NewAccessKey &key);

protected:
    void changeEvent(QEvent *event) override;

private:
    void create();
    void retranslate();

    RuntimeFacade &m_runtime;
    std::unique_ptr<Ui::AccessKeyDialog> m_ui;
    QPushButton *m_create;
    QPushButton *m_cancel;
    QPushButton *m_done;
    std::optional<NewAccessKey> m_created;
    bool m_busy = false;
};
