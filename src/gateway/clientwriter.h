// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QHttpServerResponder>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

class ConnectionGuard;

/// Writes one response to a client that may disconnect at any time, in its turn on the
/// connection (ConnectionGuard: pipelined requests are answered in order). Each part of the
/// answer goes out in one write: the head with a whole body, the head of a stream, then one
/// write per chunk. Constructing a writer is what tells the guard a request was dispatched,
/// so every handler answers through one; a writer destroyed unanswered answers 500.
class ClientWriter final
{
    Q_DECLARE_TR_FUNCTIONS(ClientWriter)

public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    explicit ClientWriter(QHttpServerResponder &&responder);
    ~ClientWriter();
    Q_DISABLE_COPY_MOVE(ClientWriter)

    bool isConnected() const;
    /// Headers every response of this writer carries (e.g. CORS for an allowed origin).
    void setCommonHeaders(const Headers &headers) { m_common = headers; }
    /// A HEAD request: the head of the answer only.
    void setHeadOnly(bool headOnly) { m_headOnly = headOnly; }
    QTcpSocket *socket() const { return m_socket.data(); }
    bool hasStarted() const { return m_started; }
    bool isFinished() const { return m_finished; }

    /// A complete response with a Content-Length.
    void send(int status, const Headers &headers, const QByteArray &body);
    /// An Anthropic-format error.
    void sendError(int status, const QString &type, const QString &message,
                   const Headers &headers = {});
    /// Starts a chunked text/event-stream response.
    void beginStream(const Headers &headers);
    void streamChunk(const QByteArray &data);
    void endStream();

    /// The status line's reason phrase ("Not Found"); empty for statuses without a known one.
    static QByteArray reasonPhrase(int status);
    /// A status line and header lines, ending with the empty line.
    static QByteArray head(int status, const Headers &headers);

private:
    void write(const QByteArray &bytes);
    void finish();

    std::unique_ptr<QHttpServerResponder> m_responder; ///< kept for its socket's lifetime
    QPointer<QTcpSocket> m_socket;
    QPointer<ConnectionGuard> m_guard;
    int m_turn = -1;
    Headers m_common;
    bool m_headOnly = false;
    bool m_started = false;
    bool m_finished = false;
};
