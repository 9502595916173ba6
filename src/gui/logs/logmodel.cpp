// SPDX-License-Identifier: GPL-3.0-or-later
#include "logmodel.h"

#include "core/clock.h"
#include "gui/logs/logformat.h"

#include <QLocale>

using namespace Qt::StringLiterals;

LogModel::LogModel(const Clock &clock, int capacity, QObject *parent)
    : TableModel(ColumnCount, parent)
    , m_clock(clock)
    , m_capacity(capacity)
{ }

void LogModel::setRecords(QList<UsageRecord> records)
{
    beginResetModel();
    m_records = std::move(records);
    if (m_records.size() > m_capacity)
        m_records.resize(m_capacity);
    endResetModel();
}

void LogModel::prepend(const UsageRecord &record)
{
    if (m_records.size() >= m_capacity) {
        beginRemoveRows({}, m_capacity - 1, int(m_records.size()) - 1);
        m_records.resize(m_capacity - 1);
        endRemoveRows();
    }
    beginInsertRows({}, 0, 0);
    m_records.prepend(record);
    endInsertRows();
}

void LogModel::setKeyNames(const QHash<QUuid, QString> &names)
{
    m_keyNames = names;
    refreshColumns(Client, Client);
}

QString LogModel::clientName(const UsageRecord &r) const
{
    if (!r.refusedClient.isEmpty())
        return r.refusedClient;
    if (r.accessKeyId.isNull())
        return tr("—");
    return m_keyNames.value(r.accessKeyId, tr("Revoked key"));
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_records.size())
        return {};
    const UsageRecord &r = m_records.at(index.row());
    const qint64 tokens = r.tokens.total();
    if (role == SortRole) {
        switch (index.column()) {
        case Time:
            return r.time;
        case Attempts:
            return r.attempts;
        case Status:
            return r.status;
        case Latency:
            return r.latencyMs;
        case FirstToken:
            return r.firstTokenMs;
        case Tokens:
            return tokens;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Time:
            return LogFormat::time(r.time, m_clock.now());
        case Client:
            return clientName(r);
        case Model:
            return LogFormat::model(r);
        case Account:
            return LogFormat::account(r);
        case Attempts:
            return LogFormat::attempts(r);
        case Status:
            return LogFormat::status(r);
        case Latency:
            return LogFormat::duration(r.latencyMs);
        case FirstToken:
            return LogFormat::duration(r.firstTokenMs);
        case Tokens:
            return LogFormat::tokens(r);
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Status) {
        const auto status = LogFormat::statusRole(r.status);
        return status ? QVariant(StatusPalette().color(*status)) : QVariant();
    }
    if (role == Qt::ToolTipRole && index.column() == Time)
        return QLocale().toString(r.time.toLocalTime(), QLocale::LongFormat);
    if (role == Qt::TextAlignmentRole
        && (index.column() == Latency || index.column() == FirstToken)) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QString LogModel::columnTitle(int column) const
{
    switch (column) {
    case Time:
        return tr("Time");
    case Client:
        return tr("Client");
    case Model:
        return tr("Model");
    case Account:
        return tr("Account");
    case Attempts:
        return tr("Attempts");
    case Status:
        return tr("Status");
    case Latency:
        return tr("Latency");
    case FirstToken:
        return tr("First token");
    case Tokens:
        return tr("Tokens");
    }
    return {};
}
