// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

/// What the accounts page shows instead of an empty table: a hint and the way out (add
/// the first account, or clear the filter that hides every row).
class AccountsEmptyState final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsEmptyState)

public:
    enum class Reason { NoAccounts, Filtered };

    explicit AccountsEmptyState(QWidget *parent = nullptr);

    /// `hidden`: how many accounts the filter hides; `addIcon`: the add action's icon.
    void setReason(Reason reason, int hidden, const QIcon &addIcon);
    Reason reason() const { return m_reason; }

Q_SIGNALS:
    void addRequested();
    void clearFilterRequested();

private:
    Reason m_reason = Reason::NoAccounts;
    QLabel *m_title;
    QLabel *m_text;
    QPushButton *m_button;
};
