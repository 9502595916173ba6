// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountsemptystate.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

AccountsEmptyState::AccountsEmptyState(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
    , m_button(new QPushButton(this))
{
    setObjectName(u"emptyState"_s);
    m_button->setObjectName(u"emptyAddButton"_s);
    m_title->setAlignment(Qt::AlignCenter);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_title->setFont(big);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(m_title);
    layout->addWidget(m_text);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addStretch();
    buttonRow->addWidget(m_button);
    buttonRow->addStretch();
    layout->addLayout(buttonRow);
    layout->addStretch();
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_reason == Reason::NoAccounts)
            Q_EMIT addRequested();
        else
            Q_EMIT clearFilterRequested();
    });
}

void AccountsEmptyState::setReason(Reason reason, int hidden, const QIcon &addIcon)
{
    m_reason = reason;
    if (reason == Reason::NoAccounts) {
        m_title->setText(tr("No accounts yet"));
        m_text->setText(tr("Add the API key of Anthropic or of an OpenAI-compatible "
                           "provider, and the local endpoint can serve requests."));
        m_button->setText(tr("Add account"));
        m_button->setIcon(addIcon);
    } else {
        m_title->setText(tr("No account matches the filter"));
        m_text->setText(tr("%n account(s) hidden by the filter.", nullptr, hidden));
        m_button->setText(tr("Clear filter"));
        m_button->setIcon({});
    }
}
