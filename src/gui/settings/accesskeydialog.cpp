// SPDX-License-Identifier: GPL-3.0-or-later
#include "accesskeydialog.h"

#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "ui_accesskeydialog.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QPushButton>

using namespace Qt::StringLiterals;

AccessKeyDialog::AccessKeyDialog(RuntimeFacade &runtime, const QString &suggestedName,
                                 QWidget *parent)
    : QDialog(parent)
    , m_runtime(runtime)
    , m_ui(std::make_unique<Ui::AccessKeyDialog>())
{
    m_ui->setupUi(this);
    // Key names are the user's text, never markup.
    for (QLabel *label : {m_ui->createdTitle, m_ui->nameError})
        label->setTextFormat(Qt::PlainText);
    setObjectName(u"accessKeyDialog"_s);
    setAttribute(Qt::WA_DeleteOnClose);
    m_create = m_ui->buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_cancel = m_ui->buttons->addButton(QDialogButtonBox::Cancel);
    m_done = m_ui->buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_create->setObjectName(u"createButton"_s);
    m_done->setObjectName(u"doneButton"_s);
    m_done->hide();
    m_create->setDefault(true);
    m_ui->keyEdit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    StatusPalette::paintText(m_ui->nameError, StatusPalette::Role::Error);
    StatusPalette::paintText(m_ui->copiedLabel, StatusPalette::Role::Good);
    StatusPalette::paintText(m_ui->onceWarning, StatusPalette::Role::Warning);
    m_ui->nameEdit->setText(suggestedName);
    m_ui->nameEdit->selectAll();

    // The button box must not accept on its own: Create works asynchronously.
    disconnect(m_ui->buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_create, &QPushButton::clicked, this, &AccessKeyDialog::create);
    connect(m_done, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_ui->nameEdit, &QLineEdit::textEdited, m_ui->nameError, &QLabel::clear);
    connect(m_ui->copyButton, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_ui->keyEdit->text());
        m_ui->copiedLabel->setText(tr("Copied to the clipboard."));
    });
    retranslate();
}

AccessKeyDialog::~AccessKeyDialog() = default;

bool AccessKeyDialog::isShowingKey() const
{
    return m_ui->stack->currentWidget() == m_ui->createdPage;
}

void AccessKeyDialog::create()
{
    if (m_busy || m_created)
        return;
    const QString name = m_ui->nameEdit->text().trimmed();
    if (name.isEmpty()) {
        m_ui->nameError->setText(tr("Enter a name, for example the client that will use the key."));
        m_ui->nameEdit->setFocus();
        return;
    }
    m_busy = true;
    m_create->setEnabled(false);
    m_ui->nameError->setText(tr("Creating the key…"));
    m_runtime.createAccessKey(this, name, [this](Result<NewAccessKey> created) {
        m_busy = false;
        m_create->setEnabled(true);
        if (!created) {
            m_ui->nameError->setText(
                tr("The key was not created: %1").arg(created.error().message));
            return;
        }
        m_created = *created;
        m_ui->keyEdit->setText(created->plaintext);
        m_ui->stack->setCurrentWidget(m_ui->createdPage);
        m_create->hide();
        m_cancel->hide();
        m_done->show();
        m_done->setDefault(true);
        m_ui->copyButton->setFocus();
        retranslate();
        Q_EMIT keyCreated(*created);
    });
}

void AccessKeyDialog::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        retranslate();
    }
    QDialog::changeEvent(event);
}

void AccessKeyDialog::retranslate()
{
    m_create->setText(tr("Create key"));
    m_done->setText(tr("I copied the key"));
    if (m_created) {
        m_ui->createdTitle->setText(tr("Your new access key \"%1\":").arg(m_created->key.name));
        if (!m_ui->copiedLabel->text().isEmpty())
            m_ui->copiedLabel->setText(tr("Copied to the clipboard."));
    }
}
