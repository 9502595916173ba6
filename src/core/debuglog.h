// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QString>

/// The debug log: request and response bodies as JSON lines in a file that rotates by
/// size. Off unless the user turns on debug logging; every key is masked to its last
/// four characters before anything is written.
class DebugLog final
{
public:
    /// `path`: e.g. <data dir>/logs/debug.jsonl; keeps `keep` rotated files of `maxBytes`.
    explicit DebugLog(QString path, qint64 maxBytes = 10 * 1024 * 1024, int keep = 3);

    void append(const QJsonObject &entry);

private:
    void rotate();

    QString m_path;
    qint64 m_maxBytes;
    int m_keep;
};
