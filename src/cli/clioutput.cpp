// SPDX-License-Identifier: GPL-3.0-or-later
#include "clioutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

// Terminal columns a text takes: CJK and other wide characters take two.
qsizetype displayWidth(const QString &text)
{
    qsizetype width = 0;
    for (const char32_t c : text.toUcs4()) {
        const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF)
            || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF)
            || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
            || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
        width += wide ? 2 : 1;
    }
    return width;
}

} // namespace

QString CliOutput::pad(const QString &text, qsizetype width)
{
    return text + QString(std::max<qsizetype>(0, width - displayWidth(text)), u' ');
}

void CliOutput::line(const QString &text)
{
    m_out << text << '\n';
    m_out.flush();
}

void CliOutput::error(const QString &message)
{
    m_err << "switchboard: " << message << '\n';
    m_err.flush();
}

void CliOutput::warning(const QString &message)
{
    error(message); // same channel and prefix; the text says it is a warning
}

void CliOutput::json(const QJsonValue &value)
{
    const QJsonDocument doc
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    m_out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
    m_out.flush();
}

void CliOutput::table(const QStringList &headers, const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QString &h : headers)
        widths << displayWidth(h);
    if (widths.isEmpty() && !rows.isEmpty())
        widths.resize(rows.first().size(), 0);
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    }
    auto print = [&](const QStringList &cells) {
        QString text;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            const bool last = i + 1 == cells.size();
            text += last ? cells[i] : pad(cells[i], widths[i] + 2);
        }
        m_out << text << '\n';
    };
    if (!headers.isEmpty())
        print(headers);
    for (const QStringList &row : rows)
        print(row);
    m_out.flush();
}
