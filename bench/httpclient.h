// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>
#include <vector>

/// One keep-alive HTTP/1.1 connection to 127.0.0.1 on a blocking socket with TCP_NODELAY,
/// used from one thread. Small and predictable, so that it times requests precisely and
/// costs the same whether it talks to the gateway or to the mock directly.
class HttpConnection final
{
public:
    struct Response
    {
        bool ok = false; ///< a complete response arrived
        int status = 0;
        qint64 sentNs = 0; ///< before the request was written
        qint64 firstByteNs = 0; ///< the first byte of the response arrived
        qint64 doneNs = 0; ///< the last byte arrived
        QByteArray body; ///< only for Content-Length responses
    };
    /// Sees each piece of a chunked body as it arrives, with the time it arrived.
    using ChunkHandler = std::function<void(QByteArrayView data, qint64 arrivedNs)>;

    explicit HttpConnection(quint16 port);
    ~HttpConnection();
    Q_DISABLE_COPY_MOVE(HttpConnection)

    bool open();
    void close();
    bool isOpen() const { return m_fd >= 0; }

    /// Sends one request (complete, with its head) and reads the whole response. Socket
    /// timeouts bound every wait; a failure closes the connection.
    Response exchange(const QByteArray &request, const ChunkHandler &onChunk = {});

private:
    bool fill(); // one recv() into m_buffer
    bool readHead(Response &response, qint64 &contentLength, bool &chunked);
    bool readLine(QByteArrayView &line);
    Response fail();

    quint16 m_port;
    int m_fd = -1;
    QByteArray m_buffer;
    qsizetype m_begin = 0; // unread bytes are [m_begin, m_end)
    qsizetype m_end = 0;
    qint64 m_lastRecvNs = 0;
};

/// Collects per-event delays from an SSE body whose events carry `"t":NS` (MockUpstream).
class SseDelays final
{
public:
    void feed(QByteArrayView data, qint64 arrivedNs);
    int events() const { return m_events; }
    /// Each event's arrival minus its send time, in microseconds.
    const std::vector<double> &delaysUs() const { return m_delaysUs; }

private:
    QByteArray m_pending;
    int m_events = 0;
    std::vector<double> m_delaysUs;
};

/// A `POST /v1/messages` request for `port`, with an access key unless it is empty and a
/// system prompt of about `promptBytes` (Claude Code sends tens of kilobytes).
QByteArray messagesRequest(quint16 port, const QByteArray &apiKey, bool stream, int promptBytes = 0,
                           const QByteArray &model = "claude-sonnet-4-5");
