// SPDX-License-Identifier: GPL-3.0-or-later
#include "messagebox.h"

std::optional<QMessageBox::StandardButton> MessageBox::s_nextAnswer;
QString MessageBox::s_lastText;

void MessageBox::ask(QWidget *parent, const QString &title, const QString &text,
                     QMessageBox::StandardButtons buttons,
                     QMessageBox::StandardButton defaultButton, Answer answer)
{
    s_lastText = text;
    if (s_nextAnswer) {
        const QMessageBox::StandardButton preset = *std::exchange(s_nextAnswer, std::nullopt);
        return answer(preset);
    }
    auto *box = new QMessageBox(QMessageBox::Question, title, text, buttons, parent);
    box->setDefaultButton(defaultButton);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, answer](int) { answer(box->standardButton(box->clickedButton())); });
    box->open();
}

void MessageBox::warn(QWidget *parent, const QString &title, const QString &text)
{
    show(parent, QMessageBox::Warning, title, text);
}

void MessageBox::inform(QWidget *parent, const QString &title, const QString &text)
{
    show(parent, QMessageBox::Information, title, text);
}

void MessageBox::show(QWidget *parent, QMessageBox::Icon icon, const QString &title,
                      const QString &text)
{
    s_lastText = text;
    auto *box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MessageBox::setNextAnswer(QMessageBox::StandardButton button)
{
    s_nextAnswer = button;
}

QString MessageBox::lastText()
{
    return s_lastText;
}
