// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clocktimer.h"
#include "gui/accounts/accountstatus.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/tablemodel.h"

#include <QIcon>

/// The accounts of the RuntimeFacade snapshot as table rows, kept in step with its signals row by
/// row (never reset), so selection and scrolling survive live updates.
class AccountsTableModel final : public TableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsTableModel)

public:
    enum Column {
        Name,
        Provider,
        Tier,
        Priority,
        Health,
        LastValidated,
        Requests,
        Tokens,
        Errors,
        ColumnCount
    };
    enum Role {
        IdRole = Qt::UserRole + 1, ///< QUuid
        SortRole, ///< raw value to sort by
        KindRole, ///< int(HealthBadge::Kind), in every column
        StatusRole, ///< int(StatusPalette::Role) of the health badge
        PinnedRole, ///< bool
        FilterTextRole, ///< name and provider, for the filter box
    };

    explicit AccountsTableModel(RuntimeFacade &runtime, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    int rowOf(const QUuid &id) const;
    QUuid idAt(int row) const;
    const Account *accountAt(int row) const;
    HealthBadge badgeAt(int row) const;

private:
    int rows() const override { return int(m_rows.size()); }
    QString columnTitle(int column) const override;
    QString columnToolTip(int column) const override;
    void syncAccounts();
    void refreshRow(const QUuid &id);
    void tick();

    RuntimeFacade &m_runtime;
    QList<Account> m_rows;
    ClockTimer m_ticker; ///< cooldown countdowns and "5 min ago"
    int m_ticks = 0;
    bool isCooling(const Account &account) const;
    QIcon m_pinIcon;
};
