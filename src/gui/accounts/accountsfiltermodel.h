// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSortFilterProxyModel>

/// Sorts the accounts table by raw values and filters it by text (name or provider) and
/// by health kind.
class AccountsFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsFilterModel)

public:
    explicit AccountsFilterModel(QObject *parent = nullptr);

    void setText(const QString &text);
    /// int(HealthBadge::Kind), or -1 for every kind.
    void setKind(int kind);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    int m_kind = -1;
};
