// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHttpServerResponder>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QTcpSocket>

#include <memory>

/// Writes one response to a client that may disconnect at any time. Qt 6.4's responder
/// keeps a raw socket pointer, so every write first checks the socket is still there.
class ClientWriter final
{
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    explicit ClientWriter(QHttpServerResponder &&responder);

    bool isConnected() const;
    /// Headers every response of this writer carries (e.g. CORS for an allowed origin).
    void setCommonHeaders(const Headers &headers) { m_common = headers; }
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

private:
    void writeHead(int status, const Headers &headers);

    std::unique_ptr<QHttpServerResponder> m_responder;
    QPointer<QTcpSocket> m_socket;
    Headers m_common;
    bool m_started = false;
    bool m_finished = false;
};
