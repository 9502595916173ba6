// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/upstreamcall.h"
#include "gateway/upstreamoutcome.h"

#include <QObject>
#include <QPointer>

class QTcpSocket;
class UpstreamPool;

/// One HTTP/1.1 exchange with an upstream on a pooled keep-alive connection. Written for
/// the gateway's needs instead of QNetworkReply: the request goes out in one write on a
/// TCP_NODELAY socket (QNetworkAccessManager leaves Nagle on, so bodies over ~16 KB waited
/// for the peer's delayed ACK), the response is parsed from a buffer rather than byte by
/// byte, and no thread is involved. The body arrives decoded (chunked framing removed).
class UpstreamReply final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamReply)

public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    ~UpstreamReply() override;

    int status() const { return m_status; } ///< 0 until the final status line arrived
    const Headers &headers() const { return m_headers; } ///< names lowercased
    QByteArray header(const QByteArray &lowercaseName) const;
    QByteArray readAll();
    qint64 bytesAvailable() const { return m_body.size(); }

    bool isRunning() const { return m_state != State::Done; }
    /// The transport failure, Ok when the exchange completed (whatever the status).
    UpstreamOutcome::Transport transport() const { return m_transport; }
    bool hasError() const { return m_transport != UpstreamOutcome::Transport::Ok; }
    QString errorString() const { return m_errorString; }
    /// Stops the exchange; finished() follows (unless already finished).
    void abort();
    /// While paused nothing more is read from the socket, whose read buffer holds at most
    /// readBufferBytes: the upstream's TCP window closes instead of memory growing (a client
    /// that reads slowly, StreamPacer). Unpaused, what arrived meanwhile is read at once.
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    static constexpr qint64 readBufferBytes = 256 * 1024;

Q_SIGNALS:
    /// Headers or body bytes arrived.
    void readyRead();
    void finished();

private:
    friend class UpstreamPool;
    UpstreamReply(UpstreamPool &pool, const UpstreamCall &call, QObject *parent);

    enum class State {
        Connecting,
        StatusLine,
        Headers,
        Body,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Trailers,
        Done
    };
    enum class Framing { Length, Chunked, UntilClose };

    void start(bool allowRetry);
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void parse();
    bool parseHeaders();
    void fail(UpstreamOutcome::Transport transport, const QString &message);
    void complete();
    void releaseSocket(bool reusable);
    /// The pool is being destroyed: drop the socket and never touch the pool again.
    void detachFromPool();

    UpstreamPool *m_pool; ///< null once the pool is gone
    UpstreamCall m_call;
    QByteArray m_poolKey;
    QPointer<QTcpSocket> m_socket;
    bool m_reused = false;
    bool m_retried = false;
    bool m_receivedAny = false;
    bool m_paused = false;
    State m_state = State::Connecting;
    Framing m_framing = Framing::UntilClose;
    QByteArray m_in; ///< unparsed bytes from the socket
    qint64 m_remaining = 0;
    bool m_keepAlive = true;
    int m_status = 0;
    Headers m_headers;
    QByteArray m_body; ///< decoded body bytes not read yet
    UpstreamOutcome::Transport m_transport = UpstreamOutcome::Transport::Ok;
    QString m_errorString;
};
