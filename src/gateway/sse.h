// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>

/// One server-sent event.
struct SseEvent
{
    QByteArray event; ///< the `event:` field; empty for unnamed events
    QByteArray data; ///< `data:` lines joined with '\n'

    /// The event in wire form: `event: NAME\ndata: DATA\n\n`.
    QByteArray serialize() const;
    friend bool operator==(const SseEvent &, const SseEvent &) = default;
};

/// Incremental SSE parser: feed it bytes as they arrive, take complete events out.
/// Handles \n, \r\n and \r line ends, multi-line data, comments and fields split across
/// reads. Linear in the bytes fed, however they are cut into reads. Pure: no Qt event loop.
class SseParser final
{
public:
    /// Appends bytes and returns every event completed by them.
    QList<SseEvent> feed(const QByteArray &bytes);
    /// Bytes held for an event not yet complete.
    qsizetype pendingBytes() const { return m_buffer.size() - m_pos; }

private:
    void takeLine(QByteArrayView line, QList<SseEvent> &out);

    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qsizetype m_scanned = 0; ///< no line end in m_buffer before this
    bool m_skipLf = false; ///< the previous chunk ended in '\r': a leading '\n' belongs to it
    SseEvent m_current;
    bool m_hasData = false;
};
