// SPDX-License-Identifier: GPL-3.0-or-later
#include "statusline.h"

#include "gui/common/statuspalette.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

StatusLine::StatusLine(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_progress(new QProgressBar(this))
{
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(true);
    m_progress->hide();
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_progress);
}

void StatusLine::setStatus(Text text, bool error, Text toolTip)
{
    m_text = std::move(text);
    m_toolTip = std::move(toolTip);
    StatusPalette::paintText(m_label,
                             error ? std::optional(StatusPalette::Role::Error) : std::nullopt);
    render();
}

QString StatusLine::text() const
{
    return m_label->text();
}

void StatusLine::setProgress(int value, int total, const QString &format)
{
    m_progress->setRange(0, total);
    m_progress->setValue(value);
    m_progress->setFormat(format);
    m_progress->show();
}

void StatusLine::hideProgress()
{
    m_progress->hide();
}

void StatusLine::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        render();
    QWidget::changeEvent(event);
}

void StatusLine::render()
{
    m_label->setText(m_text ? m_text() : QString());
    m_label->setToolTip(m_toolTip ? m_toolTip() : QString());
}
