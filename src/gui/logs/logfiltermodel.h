// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"

#include <QSortFilterProxyModel>
#include <QUuid>

#include <optional>

class LogModel;

/// The logs table's filters: account, status class or code, model and a free text search.
class LogFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFilterModel)

public:
    enum class StatusFilter { All, Success, Errors, Code };

    explicit LogFilterModel(LogModel &source, QObject *parent = nullptr);

    /// nullopt: every account; a null id: requests no account answered.
    void setAccount(std::optional<QUuid> account);
    void setStatus(StatusFilter filter, int code = 0);
    /// Empty: every model. Matches the requested or the upstream model.
    void setModelName(const QString &model);
    /// Case-insensitive, in the client, model, account, status and failover path.
    void setText(const QString &text);

    bool accepts(const UsageRecord &record) const;
    /// The rows that pass, in the view's order.
    QList<UsageRecord> filteredRecords() const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    LogModel &m_source;
    std::optional<QUuid> m_account;
    StatusFilter m_status = StatusFilter::All;
    int m_code = 0;
    QString m_model;
    QString m_text;
};
