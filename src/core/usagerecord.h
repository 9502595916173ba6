// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>
#include <QUuid>

/// One client request as the usage log keeps it.
struct UsageRecord
{
    QDateTime time; ///< when the request arrived
    QUuid accessKeyId;
    QUuid accountId; ///< the account that answered (null if none did)
    QString accountName;
    QString model; ///< as the client asked
    QString upstreamModel; ///< after the account's mapping
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 cacheReadTokens = 0;
    qint64 cacheWriteTokens = 0;
    int latencyMs = 0; ///< until the last byte
    int firstTokenMs = -1; ///< until the first content reached the client; -1 if none
    int status = 0; ///< what the client got (499: the client went away)
    QString errorType;
    int attempts = 0;
    QString path; ///< the failover path, e.g. "work 429 → home 200"
    bool stream = false;
};
