// SPDX-License-Identifier: GPL-3.0-or-later
#include "sse.h"

#include <algorithm>

QByteArray SseEvent::serialize() const
{
    QByteArray out;
    out.reserve(event.size() + data.size() + 16);
    if (!event.isEmpty())
        out += "event: " + event + '\n';
    qsizetype start = 0;
    while (true) {
        const qsizetype end = data.indexOf('\n', start);
        out += "data: ";
        out += QByteArrayView(data).sliced(start, (end < 0 ? data.size() : end) - start);
        out += '\n';
        if (end < 0)
            break;
        start = end + 1;
    }
    out += '\n';
    return out;
}

QList<SseEvent> SseParser::feed(const QByteArray &bytes)
{
    QList<SseEvent> out;
    m_buffer += bytes;
    if (m_skipLf && m_pos < m_buffer.size()) {
        if (m_buffer[m_pos] == '\n')
            ++m_pos;
        m_skipLf = false;
    }
    while (m_pos < m_buffer.size()) {
        // A line arriving in many small reads is searched once, not again from its start.
        qsizetype end = std::max(m_pos, m_scanned);
        while (end < m_buffer.size() && m_buffer[end] != '\n' && m_buffer[end] != '\r')
            ++end;
        if (end == m_buffer.size()) {
            m_scanned = end;
            break; // incomplete line
        }
        takeLine(QByteArrayView(m_buffer).sliced(m_pos, end - m_pos), out);
        m_pos = end + 1;
        if (m_buffer[end] == '\r') {
            if (m_pos < m_buffer.size()) {
                if (m_buffer[m_pos] == '\n')
                    ++m_pos;
            } else {
                m_skipLf = true;
            }
        }
    }
    // Compact once the consumed prefix dominates, so long streams stay O(n).
    if (m_pos > 4096 && m_pos * 2 > m_buffer.size()) {
        m_buffer.remove(0, m_pos);
        m_scanned = std::max<qsizetype>(0, m_scanned - m_pos);
        m_pos = 0;
    }
    return out;
}

void SseParser::takeLine(QByteArrayView line, QList<SseEvent> &out)
{
    if (line.isEmpty()) {
        if (m_hasData || !m_current.event.isEmpty())
            out.append(std::move(m_current));
        m_current = {};
        m_hasData = false;
        return;
    }
    if (line.startsWith(':'))
        return; // comment
    const qsizetype colon = line.indexOf(':');
    QByteArrayView field = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (value.startsWith(' '))
        value = value.sliced(1);
    if (field == "event") {
        m_current.event = value.toByteArray();
    } else if (field == "data") {
        if (m_hasData)
            m_current.data += '\n';
        m_current.data += value;
        m_hasData = true;
    }
    // id and retry are irrelevant to a relay.
}
