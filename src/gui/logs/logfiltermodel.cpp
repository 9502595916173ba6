// SPDX-License-Identifier: GPL-3.0-or-later
#include "logfiltermodel.h"

#include "gui/logs/logformat.h"
#include "gui/logs/logmodel.h"

LogFilterModel::LogFilterModel(LogModel &source, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_source(source)
{
    setSourceModel(&source);
    setSortRole(LogModel::SortRole);
}

void LogFilterModel::setAccount(std::optional<QUuid> account)
{
    m_account = account;
    invalidateFilter();
}

void LogFilterModel::setStatus(StatusFilter filter, int code)
{
    m_status = filter;
    m_code = code;
    invalidateFilter();
}

void LogFilterModel::setModelName(const QString &model)
{
    m_model = model;
    invalidateFilter();
}

void LogFilterModel::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool LogFilterModel::accepts(const UsageRecord &r) const
{
    if (m_account && r.accountId != *m_account)
        return false;
    switch (m_status) {
    case StatusFilter::All:
        break;
    case StatusFilter::Success:
        if (r.status < 200 || r.status >= 400)
            return false;
        break;
    case StatusFilter::Errors:
        if (r.status < 400)
            return false;
        break;
    case StatusFilter::Code:
        if (r.status != m_code)
            return false;
        break;
    }
    if (!m_model.isEmpty() && r.model != m_model && r.upstreamModel != m_model)
        return false;
    if (m_text.isEmpty())
        return true;
    for (const QString &field : {m_source.clientName(r), r.model, r.upstreamModel,
                                 LogFormat::account(r), LogFormat::status(r), r.path}) {
        if (field.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

QList<UsageRecord> LogFilterModel::filteredRecords() const
{
    QList<UsageRecord> records;
    records.reserve(rowCount());
    for (int row = 0; row < rowCount(); ++row)
        records.append(m_source.record(mapToSource(index(row, 0)).row()));
    return records;
}

bool LogFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    return accepts(m_source.record(sourceRow));
}
