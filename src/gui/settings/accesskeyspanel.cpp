// SPDX-License-Identifier: GPL-3.0-or-later
#include "accesskeyspanel.h"

#include "gui/common/messagebox.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "gui/settings/accesskeydialog.h"
#include "gui/settings/accesskeymodel.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

AccessKeysPanel::AccessKeysPanel(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_intro(new QLabel(this))
    , m_table(new QTableView(this))
    , m_model(new AccessKeyModel(this))
    , m_empty(new QLabel(this))
    , m_message(new QLabel(this))
    , m_create(new QPushButton(this))
    , m_revoke(new QPushButton(this))
{
    setObjectName(u"accessKeysPanel"_s);
    m_table->setObjectName(u"accessKeysTable"_s);
    m_create->setObjectName(u"createKeyButton"_s);
    m_revoke->setObjectName(u"revokeKeyButton"_s);
    m_message->setObjectName(u"accessKeysMessage"_s);
    m_intro->setWordWrap(true);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(AccessKeyModel::Name, QHeaderView::Stretch);
    for (int column : {AccessKeyModel::Prefix, AccessKeyModel::Created, AccessKeyModel::LastUsed})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);
    m_message->hide();
    m_table->setAlternatingRowColors(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_revoke);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(buttons);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty, 1);

    connect(m_create, &QPushButton::clicked, this, [this] { createKey(); });
    connect(m_revoke, &QPushButton::clicked, this,
            [this] { revokeRow(m_table->currentIndex().row()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &AccessKeysPanel::updateButtons);
    connect(&m_runtime, &RuntimeFacade::accessKeysChanged, this, &AccessKeysPanel::refresh);
    retranslate();
    refresh();
}

AccessKeyDialog *AccessKeysPanel::createKey(const QString &suggestedName)
{
    m_message->clear();
    m_message->hide();
    auto *dialog = new AccessKeyDialog(m_runtime, suggestedName, this);
    connect(dialog, &AccessKeyDialog::keyCreated, this, &AccessKeysPanel::keyCreated);
    dialog->open();
    return dialog;
}

void AccessKeysPanel::revokeRow(int row)
{
    const AccessKey *key = m_model->key(row);
    if (!key || key->isRevoked())
        return;
    const QUuid id = key->id;
    const QString name = key->name;
    MessageBox::ask(
        this, tr("Revoke access key"),
        tr("Revoke \"%1\"? Clients using this key are refused from now on. This cannot be "
           "undone: they will need a new key.")
            .arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel,
        [this, id, name](QMessageBox::StandardButton answer) {
            if (answer != QMessageBox::Yes)
                return;
            m_runtime.revokeAccessKey(this, id, [this, name](Status revoked) {
                StatusPalette::showMessage(
                    m_message,
                    revoked ? tr("Revoked \"%1\".").arg(name)
                            : tr("\"%1\" was not revoked: %2").arg(name, revoked.error().message),
                    revoked ? std::nullopt : std::optional(StatusPalette::Role::Error));
            });
        });
}

void AccessKeysPanel::refresh()
{
    const QUuid selected = m_model->key(m_table->currentIndex().row())
        ? m_model->key(m_table->currentIndex().row())->id
        : QUuid();
    m_model->setKeys(m_runtime.accessKeys());
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->key(row)->id == selected)
            m_table->selectRow(row);
    }
    const bool empty = m_model->rowCount() == 0;
    m_table->setVisible(!empty);
    m_empty->setVisible(empty);
    updateButtons();
}

void AccessKeysPanel::updateButtons()
{
    const AccessKey *key = m_model->key(m_table->currentIndex().row());
    m_revoke->setEnabled(key && !key->isRevoked() && m_table->selectionModel()->hasSelection());
}

void AccessKeysPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void AccessKeysPanel::retranslate()
{
    m_intro->setText(tr("Local clients present an access key to use Switchboard. Give each "
                        "client its own key, so you can revoke one without disturbing the "
                        "others."));
    m_create->setText(tr("Create key…"));
    m_revoke->setText(tr("Revoke…"));
    m_empty->setText(tr("No access keys yet. Create one for each client, such as Claude Code."));
    m_model->retranslate();
}
