// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <functional>

class QLabel;
class QProgressBar;

/// A page's status line: what the last action came to (in the error colour when it
/// failed), with a progress bar beside it while something runs. Texts are functions,
/// rendered when shown and again after a language change, so an old outcome switches
/// language too.
class StatusLine final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StatusLine)

public:
    using Text = std::function<QString()>;

    explicit StatusLine(QWidget *parent = nullptr);

    void setStatus(Text text, bool error = false, Text toolTip = {});
    QString text() const;
    /// Shows the progress bar at `value` of `total`, saying `format`.
    void setProgress(int value, int total, const QString &format);
    void hideProgress();
    QLabel *label() const { return m_label; }
    QProgressBar *progressBar() const { return m_progress; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();

    QLabel *m_label;
    QProgressBar *m_progress;
    Text m_text;
    Text m_toolTip;
};
