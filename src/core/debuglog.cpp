// SPDX-License-Identifier: GPL-3.0-or-later
#include "debuglog.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

DebugLog::DebugLog(QString path, qint64 maxBytes, int keep)
    : m_path(std::move(path))
    , m_maxBytes(maxBytes)
    , m_keep(keep)
{ }

QString DebugLog::maskValue(const QString &secret)
{
    return secret.size() <= 4 ? u"…"_s : u"…"_s + secret.right(4);
}

QString DebugLog::mask(const QString &text)
{
    // Anthropic / OpenAI style keys, our access keys, and any bearer or x-api-key value.
    static const QRegularExpression keys(
        uR"((sk-[A-Za-z0-9_\-]{8,}|sbk_[A-Za-z0-9_\-]{8,}|(?<=Bearer )[A-Za-z0-9_\-\.]{8,}))"_s);
    QString out;
    qsizetype last = 0;
    auto it = keys.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).sliced(last, match.capturedStart() - last);
        out += maskValue(match.captured());
        last = match.capturedEnd();
    }
    out += QStringView(text).sliced(last);
    return out;
}

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
    file.write(mask(line).toUtf8() + '\n');
}
