// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMessageBox>

#include <functional>
#include <optional>

/// Questions and notices to the user without a nested event loop: the box is shown
/// window-modal and the answer arrives through a callback. Tests set the next answer
/// beforehand, and then no box is shown at all.
class MessageBox final
{
public:
    using Answer = std::function<void(QMessageBox::StandardButton)>;

    /// Asks; `defaultButton` is what Enter picks (make it the safe choice).
    static void ask(QWidget *parent, const QString &title, const QString &text,
                    QMessageBox::StandardButtons buttons, QMessageBox::StandardButton defaultButton,
                    Answer answer);
    /// Shows a warning that says what happened and what to do.
    static void warn(QWidget *parent, const QString &title, const QString &text);
    static void inform(QWidget *parent, const QString &title, const QString &text);

    /// Test seam: the next ask() answers this at once.
    static void setNextAnswer(QMessageBox::StandardButton button);
    /// Test seam: the text of the last box asked or shown (also with a preset answer).
    static QString lastText();

private:
    static void show(QWidget *parent, QMessageBox::Icon icon, const QString &title,
                     const QString &text);
    static std::optional<QMessageBox::StandardButton> s_nextAnswer;
    static QString s_lastText;
};
