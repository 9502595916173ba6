// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/common/tablemodel.h"

#include <QUuid>

class RuntimeFacade;

/// The overview's accounts, one row each in the accounts page's order: health (a badge,
/// with the cooldown's countdown), the rate-limit headroom the upstream last reported for
/// requests and tokens, and today's requests. Follows the runtime by itself; refresh()
/// moves the countdowns on.
class OverviewAccountsModel final : public TableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverviewAccountsModel)

public:
    enum Column { Name, Health, Today, RequestsLeft, TokensLeft, ColumnCount };

    explicit OverviewAccountsModel(RuntimeFacade &runtime, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    /// Texts that depend on the time (countdowns, resets) read again.
    void refresh();
    /// True while a text would change by itself: a cooldown or a limit's reset is ahead.
    bool isCounting() const;

private:
    int rows() const override;
    QString columnTitle(int column) const override;
    QString columnToolTip(int column) const override;
    void reset();
    int rowOf(const QUuid &id) const;

    RuntimeFacade &m_runtime;
    QList<QUuid> m_ids; ///< in the runtime's order
};
