// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "gui/common/tablemodel.h"

#include <QHash>
#include <QList>
#include <QUuid>

class Clock;

/// Recent requests, newest first, for the logs table. Capped: the oldest rows fall off.
class LogModel final : public TableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)

public:
    /// What tells a request apart comes first: how it ended and how long it took. The
    /// model, the longest text, is last and takes the width left.
    enum Column {
        Status,
        Latency,
        Time,
        Account,
        Client,
        Attempts,
        FirstToken,
        Tokens,
        Model,
        ColumnCount
    };
    /// The raw value a column sorts by.
    static constexpr int SortRole = Qt::UserRole + 1;

    /// `clock` tells today's rows (time only) from older ones (with their date).
    explicit LogModel(const Clock &clock, int capacity = 5000, QObject *parent = nullptr);

    /// Replaces the rows (newest first).
    void setRecords(QList<UsageRecord> records);
    /// A finished request: on top.
    void prepend(const UsageRecord &record);
    const UsageRecord &record(int row) const { return m_records.at(row); }
    const QList<UsageRecord> &records() const { return m_records; }
    /// Names of the access keys, for the client column.
    void setKeyNames(const QHash<QUuid, QString> &names);
    QString clientName(const UsageRecord &record) const;

    QVariant data(const QModelIndex &index, int role) const override;

private:
    int rows() const override { return int(m_records.size()); }
    QString columnTitle(int column) const override;

    const Clock &m_clock;
    int m_capacity;
    QList<UsageRecord> m_records;
    QHash<QUuid, QString> m_keyNames;
};
