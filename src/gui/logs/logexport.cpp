// SPDX-License-Identifier: GPL-3.0-or-later
#include "logexport.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace {

QString idText(const QUuid &id)
{
    return id.isNull() ? QString() : id.toString(QUuid::WithoutBraces);
}

QString csvField(const QString &value)
{
    if (!value.contains(u',') && !value.contains(u'"') && !value.contains(u'\n'))
        return value;
    QString quoted = value;
    quoted.replace(u"\""_s, u"\"\""_s);
    return u"\"%1\""_s.arg(quoted);
}

} // namespace

namespace LogExport {

Format formatFor(const QString &path)
{
    return path.endsWith(u".jsonl"_s, Qt::CaseInsensitive)
            || path.endsWith(u".json"_s, Qt::CaseInsensitive)
        ? Format::Jsonl
        : Format::Csv;
}

QByteArray csv(const QList<UsageRecord> &records, const QHash<QUuid, QString> &keyNames)
{
    // Column names are a file format, not user interface text: never translated.
    QByteArray out = "time,client,model,upstream_model,account_id,account,status,error_type,"
                     "attempts,path,stream,latency_ms,first_token_ms,input_tokens,"
                     "output_tokens,cache_read_tokens,cache_write_tokens,note\n";
    for (const UsageRecord &r : records) {
        const QStringList fields = {
            r.time.toUTC().toString(Qt::ISODateWithMs),
            keyNames.value(r.accessKeyId),
            r.model,
            r.upstreamModel,
            idText(r.accountId),
            r.accountName,
            QString::number(r.status),
            r.errorType,
            QString::number(r.attempts),
            r.path,
            r.stream ? u"true"_s : u"false"_s,
            QString::number(r.latencyMs),
            QString::number(r.firstTokenMs),
            QString::number(r.tokens.input),
            QString::number(r.tokens.output),
            QString::number(r.tokens.cacheRead),
            QString::number(r.tokens.cacheWrite),
            r.note,
        };
        QStringList escaped;
        for (const QString &f : fields)
            escaped.append(csvField(f));
        out += escaped.join(u',').toUtf8() + '\n';
    }
    return out;
}

QByteArray jsonl(const QList<UsageRecord> &records, const QHash<QUuid, QString> &keyNames)
{
    QByteArray out;
    for (const UsageRecord &r : records) {
        const QJsonObject o {
            {u"time"_s, r.time.toUTC().toString(Qt::ISODateWithMs)},
            {u"client"_s, keyNames.value(r.accessKeyId)},
            {u"model"_s, r.model},
            {u"upstream_model"_s, r.upstreamModel},
            {u"account_id"_s,
             r.accountId.isNull() ? QJsonValue() : QJsonValue(idText(r.accountId))},
            {u"account"_s, r.accountName},
            {u"status"_s, r.status},
            {u"error_type"_s, r.errorType},
            {u"attempts"_s, r.attempts},
            {u"path"_s, r.path},
            {u"stream"_s, r.stream},
            {u"latency_ms"_s, r.latencyMs},
            {u"first_token_ms"_s, r.firstTokenMs},
            {u"input_tokens"_s, r.tokens.input},
            {u"output_tokens"_s, r.tokens.output},
            {u"cache_read_tokens"_s, r.tokens.cacheRead},
            {u"cache_write_tokens"_s, r.tokens.cacheWrite},
            {u"note"_s, r.note},
        };
        out += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}

Status write(const QString &path, const QList<UsageRecord> &records,
             const QHash<QUuid, QString> &keyNames)
{
    const QByteArray data
        = formatFor(path) == Format::Jsonl ? jsonl(records, keyNames) : csv(records, keyNames);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        return Error::io(QCoreApplication::translate("LogExport", "Cannot write %1: %2")
                             .arg(path, file.errorString()));
    }
    return {};
}

} // namespace LogExport
