// SPDX-License-Identifier: GPL-3.0-or-later
#include "usageseries.h"

UsageBucket &UsageBucket::operator+=(const UsageBucket &other)
{
    requests += other.requests;
    errors += other.errors;
    tokens += other.tokens;
    latencyMsSum += other.latencyMsSum;
    return *this;
}

qint64 UsageSeries::spanSeconds(Range range)
{
    switch (range) {
    case Range::Hour:
        return 3600;
    case Range::Day:
        return 24 * 3600;
    case Range::Week:
        return 7 * 24 * 3600;
    case Range::Month:
        return 30 * 24 * 3600;
    }
    return 3600;
}

qint64 UsageSeries::bucketSeconds(Range range)
{
    switch (range) {
    case Range::Hour:
        return 60;
    case Range::Day:
        return 15 * 60;
    case Range::Week:
        return 3600;
    case Range::Month:
        return 24 * 3600;
    }
    return 60;
}

QDateTime UsageSeries::alignedStart(const QDateTime &time) const
{
    // Align in local wall-clock time, so day buckets start at local midnight and hour
    // buckets on the local hour (half-hour time zones included).
    const qint64 bucket = bucketSeconds(m_range);
    const QDateTime local = time.toLocalTime();
    const qint64 offset = local.offsetFromUtc();
    const qint64 wall = local.toSecsSinceEpoch() + offset;
    const qint64 start = wall - ((wall % bucket) + bucket) % bucket;
    return QDateTime::fromSecsSinceEpoch(start - offset);
}

void UsageSeries::reset(Range range, const QDateTime &now)
{
    m_range = range;
    m_count = int(spanSeconds(range) / bucketSeconds(range));
    m_to = alignedStart(now).addSecs(bucketSeconds(range));
    m_from = m_to.addSecs(-spanSeconds(range));
    m_accounts.clear();
    m_buckets.clear();
}

QDateTime UsageSeries::bucketStart(int index) const
{
    return m_from.addSecs(qint64(index) * bucketSeconds(m_range));
}

int UsageSeries::bucketIndex(const QDateTime &time) const
{
    if (!time.isValid() || time < m_from || time >= m_to)
        return -1;
    return int(m_from.secsTo(time) / bucketSeconds(m_range));
}

bool UsageSeries::add(const QDateTime &time, const QUuid &account, const UsageBucket &value)
{
    const int index = bucketIndex(time);
    if (index < 0)
        return false;
    auto it = m_buckets.find(account);
    if (it == m_buckets.end()) {
        m_accounts.append(account);
        it = m_buckets.insert(account, QList<UsageBucket>(m_count));
    }
    (*it)[index] += value;
    return true;
}

bool UsageSeries::add(const UsageMinute &m)
{
    return add(m.minute, m.accountId,
               {m.requests, m.errors, m.tokens.input, m.tokens.output, m.tokens.cacheRead,
                m.tokens.cacheWrite, m.latencyMsSum});
}

bool UsageSeries::add(const UsageRecord &r)
{
    return add(r.time, r.accountId,
               {1, r.status >= 400 ? 1 : 0, r.tokens.input, r.tokens.output, r.tokens.cacheRead,
                r.tokens.cacheWrite, r.latencyMs});
}

bool UsageSeries::advanceTo(const QDateTime &now)
{
    const QDateTime to = alignedStart(now).addSecs(bucketSeconds(m_range));
    if (to <= m_to)
        return false;
    const qint64 shift = m_to.secsTo(to) / bucketSeconds(m_range);
    for (auto it = m_buckets.begin(); it != m_buckets.end(); ++it) {
        QList<UsageBucket> &list = *it;
        if (shift >= m_count) {
            list = QList<UsageBucket>(m_count);
            continue;
        }
        list.remove(0, shift);
        list.resize(m_count);
    }
    m_to = to;
    m_from = m_to.addSecs(-spanSeconds(m_range));
    return true;
}

QList<UsageBucket> UsageSeries::buckets(const QUuid &account) const
{
    return m_buckets.value(account, QList<UsageBucket>(m_count));
}

QList<UsageBucket> UsageSeries::total() const
{
    QList<UsageBucket> sum(m_count);
    for (const QList<UsageBucket> &list : m_buckets) {
        for (int i = 0; i < m_count; ++i)
            sum[i] += list.at(i);
    }
    return sum;
}

UsageBucket UsageSeries::overall() const
{
    UsageBucket sum;
    for (const UsageBucket &b : total())
        sum += b;
    return sum;
}

UsageBucket UsageSeries::overall(const QUuid &account) const
{
    UsageBucket sum;
    for (const UsageBucket &b : buckets(account))
        sum += b;
    return sum;
}
