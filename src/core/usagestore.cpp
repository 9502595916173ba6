// SPDX-License-Identifier: GPL-3.0-or-later
#include "usagestore.h"

#include "core/database.h"
#include "core/sqlutil.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 minuteMs = 60 * 1000;

QString idText(const QUuid &id)
{
    return id.isNull() ? QString(u""_s) : id.toString(QUuid::WithoutBraces);
}

} // namespace

UsageStore::UsageStore(Database &db)
    : m_db(db)
{ }

int UsageStore::percentile(const QList<int> &sorted, int p)
{
    if (sorted.isEmpty())
        return 0;
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1)];
}

Status UsageStore::record(const QList<UsageRecord> &records)
{
    if (records.isEmpty())
        return {};
    QSqlDatabase &db = m_db.connection();
    db.transaction();
    QSqlQuery insert(db);
    insert.prepare(
        u"INSERT INTO usage_log (id, created_at, access_key_id, account_id, account_name, "
        "model, upstream_model, input_tokens, output_tokens, cache_read_tokens, "
        "cache_write_tokens, latency_ms, first_token_ms, status, error_type, attempts, "
        "path, stream, thinking_dropped, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    QSqlQuery fold(db);
    fold.prepare(
        u"INSERT INTO usage_minutes (minute, account_id, requests, errors, input_tokens, "
        "output_tokens, cache_read_tokens, cache_write_tokens, latency_ms_sum) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?) ON CONFLICT (minute, account_id) DO UPDATE SET "
        "requests = usage_minutes.requests + 1, "
        "errors = usage_minutes.errors + excluded.errors, "
        "input_tokens = usage_minutes.input_tokens + excluded.input_tokens, "
        "output_tokens = usage_minutes.output_tokens + excluded.output_tokens, "
        "cache_read_tokens = usage_minutes.cache_read_tokens + excluded.cache_read_tokens, "
        "cache_write_tokens = usage_minutes.cache_write_tokens + excluded.cache_write_tokens, "
        "latency_ms_sum = usage_minutes.latency_ms_sum + excluded.latency_ms_sum"_s);
    for (const UsageRecord &r : records) {
        for (const QVariant &v : {QVariant(QUuid::createUuid().toString(QUuid::WithoutBraces)),
                                  Sql::fromTime(r.time),
                                  QVariant(idText(r.accessKeyId)),
                                  QVariant(idText(r.accountId)),
                                  Sql::text(r.accountName),
                                  Sql::text(r.model),
                                  Sql::text(r.upstreamModel),
                                  QVariant(r.tokens.input),
                                  QVariant(r.tokens.output),
                                  QVariant(r.tokens.cacheRead),
                                  QVariant(r.tokens.cacheWrite),
                                  QVariant(r.latencyMs),
                                  QVariant(r.firstTokenMs),
                                  QVariant(r.status),
                                  Sql::text(r.errorType),
                                  QVariant(r.attempts),
                                  Sql::text(r.path),
                                  QVariant(r.stream ? 1 : 0),
                                  QVariant(r.thinkingDropped ? 1 : 0),
                                  Sql::text(r.note)})
            insert.addBindValue(v);
        const qint64 minute = r.time.toMSecsSinceEpoch() / minuteMs * minuteMs;
        for (const QVariant &v :
             {QVariant(minute), QVariant(idText(r.accountId)), QVariant(r.status >= 400 ? 1 : 0),
              QVariant(r.tokens.input), QVariant(r.tokens.output), QVariant(r.tokens.cacheRead),
              QVariant(r.tokens.cacheWrite), QVariant(qint64(r.latencyMs))})
            fold.addBindValue(v);
        for (QSqlQuery *query : {&insert, &fold}) {
            if (!query->exec()) {
                const Error error = Sql::error(*query);
                db.rollback();
                return error;
            }
        }
    }
    if (!db.commit()) {
        db.rollback();
        return Error::storage(db.lastError().text());
    }
    return {};
}

Result<QList<UsageTotals>> UsageStore::totals(const QDateTime &from, const QDateTime &to) const
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"SELECT account_id, account_name, status, input_tokens, output_tokens, "
              "cache_read_tokens, cache_write_tokens, latency_ms, thinking_dropped FROM usage_log "
              "WHERE created_at >= ? AND created_at < ? ORDER BY created_at"_s);
    q.addBindValue(Sql::fromTime(from));
    q.addBindValue(Sql::fromTime(to));
    if (!q.exec())
        return Sql::error(q);
    QList<UsageTotals> totals;
    QHash<QString, qsizetype> index;
    QList<QList<int>> latencies;
    while (q.next()) {
        const QString id = q.value(0).toString();
        if (!index.contains(id)) {
            index.insert(id, totals.size());
            totals.append({QUuid::fromString(id), q.value(1).toString()});
            latencies.append(QList<int>());
        }
        const qsizetype i = index.value(id);
        UsageTotals &t = totals[i];
        t.accountName = q.value(1).toString(); // the latest name
        ++t.requests;
        t.errors += q.value(2).toInt() >= 400 ? 1 : 0;
        t.tokens.input += q.value(3).toLongLong();
        t.tokens.output += q.value(4).toLongLong();
        t.tokens.cacheRead += q.value(5).toLongLong();
        t.tokens.cacheWrite += q.value(6).toLongLong();
        latencies[i].append(q.value(7).toInt());
        t.thinkingDropped += q.value(8).toInt() != 0 ? 1 : 0;
    }
    for (qsizetype i = 0; i < totals.size(); ++i) {
        std::sort(latencies[i].begin(), latencies[i].end());
        totals[i].p50LatencyMs = percentile(latencies[i], 50);
        totals[i].p95LatencyMs = percentile(latencies[i], 95);
    }
    return totals;
}

Result<QList<UsageMinute>> UsageStore::minutes(const QDateTime &from, const QDateTime &to) const
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"SELECT minute, account_id, requests, errors, input_tokens, output_tokens, "
              "cache_read_tokens, cache_write_tokens, latency_ms_sum FROM usage_minutes "
              "WHERE minute >= ? AND minute < ? ORDER BY minute, account_id"_s);
    q.addBindValue(Sql::fromTime(from));
    q.addBindValue(Sql::fromTime(to));
    if (!q.exec())
        return Sql::error(q);
    QList<UsageMinute> minutes;
    while (q.next()) {
        minutes.append({Sql::toTime(q.value(0)), QUuid::fromString(q.value(1).toString()),
                        q.value(2).toLongLong(), q.value(3).toLongLong(), q.value(4).toLongLong(),
                        q.value(5).toLongLong(), q.value(6).toLongLong(), q.value(7).toLongLong(),
                        q.value(8).toLongLong()});
    }
    return minutes;
}

Result<QList<UsageRecord>> UsageStore::recent(int limit) const
{
    QSqlQuery q(m_db.connection());
    q.prepare(u"SELECT created_at, access_key_id, account_id, account_name, model, upstream_model, "
              "input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, latency_ms, "
              "first_token_ms, status, error_type, attempts, path, stream, thinking_dropped, note "
              "FROM usage_log "
              "ORDER BY created_at DESC LIMIT ?"_s);
    q.addBindValue(limit);
    if (!q.exec())
        return Sql::error(q);
    QList<UsageRecord> records;
    while (q.next()) {
        UsageRecord r;
        int i = 0;
        r.time = Sql::toTime(q.value(i++));
        r.accessKeyId = QUuid::fromString(q.value(i++).toString());
        r.accountId = QUuid::fromString(q.value(i++).toString());
        r.accountName = q.value(i++).toString();
        r.model = q.value(i++).toString();
        r.upstreamModel = q.value(i++).toString();
        r.tokens.input = q.value(i++).toLongLong();
        r.tokens.output = q.value(i++).toLongLong();
        r.tokens.cacheRead = q.value(i++).toLongLong();
        r.tokens.cacheWrite = q.value(i++).toLongLong();
        r.latencyMs = q.value(i++).toInt();
        r.firstTokenMs = q.value(i++).toInt();
        r.status = q.value(i++).toInt();
        r.errorType = q.value(i++).toString();
        r.attempts = q.value(i++).toInt();
        r.path = q.value(i++).toString();
        r.stream = q.value(i++).toInt() != 0;
        r.thinkingDropped = q.value(i++).toInt() != 0;
        r.note = q.value(i++).toString();
        records.append(r);
    }
    return records;
}

QJsonObject UsageStore::toJson(const UsageTotals &t)
{
    return {
        {u"account_id"_s, t.accountId.isNull() ? QJsonValue() : QJsonValue(idText(t.accountId))},
        {u"account"_s, t.accountName},
        {u"requests"_s, t.requests},
        {u"errors"_s, t.errors},
        {u"thinking_dropped"_s, t.thinkingDropped},
        {u"input_tokens"_s, t.tokens.input},
        {u"output_tokens"_s, t.tokens.output},
        {u"cache_read_tokens"_s, t.tokens.cacheRead},
        {u"cache_write_tokens"_s, t.tokens.cacheWrite},
        {u"latency_p50_ms"_s, t.p50LatencyMs},
        {u"latency_p95_ms"_s, t.p95LatencyMs},
    };
}

QJsonArray UsageStore::toJson(const QList<UsageTotals> &totals)
{
    QJsonArray array;
    for (const UsageTotals &t : totals)
        array.append(toJson(t));
    return array;
}
