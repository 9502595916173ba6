// SPDX-License-Identifier: GPL-3.0-or-later
#include "logdebugreader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace LogDebugReader {

Result<std::optional<QJsonObject>> find(const QString &dataDir, const QDateTime &time,
                                        const QString &accountName)
{
    const QString base = QDir(dataDir).filePath(u"logs/debug.jsonl"_s);
    const qint64 wanted = time.toMSecsSinceEpoch();
    std::optional<QJsonObject> fallback; // same time, another account name (renamed since)
    // The current file first, then the rotated ones (older).
    const QStringList paths = {base, base + u".1"_s, base + u".2"_s, base + u".3"_s};
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.exists())
            continue;
        if (!file.open(QIODevice::ReadOnly)) {
            return Error::io(QCoreApplication::translate("LogDebugReader", "Cannot read %1: %2")
                                 .arg(path, file.errorString()));
        }
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
            if (it->isEmpty())
                continue;
            const QJsonObject entry = QJsonDocument::fromJson(*it).object();
            const QDateTime at
                = QDateTime::fromString(entry.value(u"time"_s).toString(), Qt::ISODateWithMs);
            if (!at.isValid() || at.toMSecsSinceEpoch() != wanted)
                continue;
            const QString account
                = entry.value(u"response"_s).toObject().value(u"account"_s).toString();
            if (account == accountName)
                return std::optional(entry);
            if (!fallback)
                fallback = entry;
        }
    }
    return fallback;
}

QString prettyBody(const QString &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body.toUtf8());
    if (!doc.isNull())
        return QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    return body;
}

} // namespace LogDebugReader
