// SPDX-License-Identifier: GPL-3.0-or-later
#include "debuglog.h"

#include "core/logging.h"
#include "core/secretmask.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

DebugLog::DebugLog(QString path, qint64 maxBytes, int keep)
    : m_path(std::move(path))
    , m_maxBytes(maxBytes)
    , m_keep(keep)
{ }

void DebugLog::rotate()
{
    QFile::remove(m_path + u'.' + QString::number(m_keep));
    for (int i = m_keep - 1; i >= 1; --i)
        QFile::rename(m_path + u'.' + QString::number(i), m_path + u'.' + QString::number(i + 1));
    QFile::rename(m_path, m_path + u".1"_s);
}

void DebugLog::append(const QJsonObject &entry)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    if (QFileInfo(m_path).size() > m_maxBytes)
        rotate();
    QFile file(m_path);
    if (!file.open(QIODevice::Append | QIODevice::WriteOnly,
                   QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
        qCWarning(lcStore).noquote()
            << "Cannot write the debug log" << m_path << file.errorString();
        return;
    }
    const QString line = QString::fromUtf8(QJsonDocument(entry).toJson(QJsonDocument::Compact));
    file.write(SecretMask::text(line).toUtf8() + '\n');
}
