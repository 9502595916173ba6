// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QStringList>
#include <QTextStream>

/// Where command output goes: results to `out`, errors and warnings to `err`.
class CliOutput final
{
public:
    CliOutput(QTextStream &out, QTextStream &err)
        : m_out(out)
        , m_err(err)
    { }

    void line(const QString &text = {});
    void error(const QString &message);
    void warning(const QString &message);
    void json(const QJsonValue &value);
    /// Left-aligned columns sized to their widest cell; no header line when `headers` is empty.
    void table(const QStringList &headers, const QList<QStringList> &rows);
    /// Pads `text` with spaces to `width` terminal columns (wide characters count two).
    static QString pad(const QString &text, qsizetype width);

private:
    QTextStream &m_out;
    QTextStream &m_err;
};
