// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreamreply.h"

#include "gateway/upstreampool.h"

#include <QSslSocket>

using namespace Qt::StringLiterals;
using Transport = UpstreamOutcome::Transport;

UpstreamReply::UpstreamReply(UpstreamPool &pool, const UpstreamCall &call, QObject *parent)
    : QObject(parent)
    , m_pool(&pool)
    , m_call(call)
{ }

UpstreamReply::~UpstreamReply()
{
    releaseSocket(false);
    if (m_pool)
        m_pool->m_live.remove(this);
}

void UpstreamReply::detachFromPool()
{
    if (m_socket) {
        QTcpSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
    }
    m_pool = nullptr;
    if (m_state != State::Done) {
        m_state = State::Done;
        m_transport = Transport::Other;
        m_errorString = tr("the gateway is shutting down");
    }
}

QByteArray UpstreamReply::header(const QByteArray &lowercaseName) const
{
    for (const auto &[name, value] : m_headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}

QByteArray UpstreamReply::readAll()
{
    return std::exchange(m_body, {});
}

void UpstreamReply::start(bool allowRetry)
{
    m_retried = !allowRetry;
    if (!m_pool)
        return fail(Transport::Other, tr("the gateway is shutting down"));
    bool reused = false;
    m_socket = m_pool->acquire(m_call.url, m_poolKey, reused);
    m_socket->setReadBufferSize(readBufferBytes);
    m_reused = reused;
    m_state = State::Connecting;
    connect(m_socket, &QTcpSocket::readyRead, this, &UpstreamReply::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &UpstreamReply::onDisconnected);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &UpstreamReply::onSocketError);
    if (reused) {
        onConnected();
    } else if (auto *ssl = qobject_cast<QSslSocket *>(m_socket.data())) {
        connect(ssl, &QSslSocket::encrypted, this, &UpstreamReply::onConnected);
    } else {
        connect(m_socket, &QTcpSocket::connected, this, &UpstreamReply::onConnected);
    }
}

void UpstreamReply::onConnected()
{
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    const QUrl &url = m_call.url;
    QByteArray target = url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toLatin1();
    const bool defaultPort = url.port() < 0;
    QByteArray head;
    head.reserve(512 + m_call.body.size());
    head += m_call.method + ' ' + target
        + " HTTP/1.1\r\nhost: " + url.host(QUrl::FullyEncoded).toLatin1();
    if (!defaultPort)
        head += ':' + QByteArray::number(url.port());
    head += "\r\n";
    for (const auto &[name, value] : m_call.headers)
        head += name + ": " + value + "\r\n";
    if (!m_call.body.isEmpty() || m_call.method == "POST")
        head += "content-length: " + QByteArray::number(m_call.body.size()) + "\r\n";
    head += "\r\n";
    head += m_call.body; // one write: no segment waits behind Nagle
    m_state = State::StatusLine;
    m_socket->write(head);
}

void UpstreamReply::setPaused(bool paused)
{
    m_paused = paused;
    // Queued: the caller may be in the middle of handling readyRead().
    if (!paused)
        QMetaObject::invokeMethod(this, &UpstreamReply::onReadyRead, Qt::QueuedConnection);
}

void UpstreamReply::onReadyRead()
{
    if (!m_socket || m_state == State::Done || m_paused)
        return;
    m_in += m_socket->readAll();
    m_receivedAny = true;
    parse();
}

void UpstreamReply::parse()
{
    const qint64 bodyBefore = m_body.size();
    bool headersDone = false;
    qsizetype pos = 0;
    auto takeLine = [&](QByteArray &line) {
        const qsizetype end = m_in.indexOf("\r\n", pos);
        if (end < 0)
            return false;
        line = m_in.mid(pos, end - pos);
        pos = end + 2;
        return true;
    };
    while (m_state != State::Done) {
        QByteArray line;
        if (m_state == State::StatusLine || m_state == State::Headers || m_state == State::ChunkSize
            || m_state == State::Trailers) {
            if (!takeLine(line))
                break;
        }
        if (m_state == State::StatusLine) {
            const QList<QByteArray> parts = line.split(' ');
            bool ok = false;
            m_status = parts.value(1).toInt(&ok);
            if (!line.startsWith("HTTP/1.") || !ok)
                return fail(Transport::Other, tr("the upstream did not answer in HTTP/1.1"));
            m_headers.clear();
            m_state = State::Headers;
        } else if (m_state == State::Headers) {
            if (!line.isEmpty()) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    m_headers.append(
                        {line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed()});
                continue;
            }
            if (m_status >= 100 && m_status < 200) {
                // 100 Continue and friends: the real answer follows. Until it does there is
                // no status, so a connection closed now is a broken exchange.
                m_status = 0;
                m_headers.clear();
                m_state = State::StatusLine;
                continue;
            }
            if (!parseHeaders())
                return;
            headersDone = true;
        } else if (m_state == State::Body) {
            const qint64 take = m_framing == Framing::UntilClose
                ? m_in.size() - pos
                : std::min<qint64>(m_remaining, m_in.size() - pos);
            m_body += QByteArrayView(m_in).sliced(pos, take);
            pos += take;
            if (m_framing == Framing::UntilClose)
                break;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::Done;
            break;
        } else if (m_state == State::ChunkSize) {
            bool ok = false;
            m_remaining = line.split(';').constFirst().trimmed().toLongLong(&ok, 16);
            if (!ok || m_remaining < 0)
                return fail(Transport::Other, tr("the upstream sent a malformed chunk"));
            m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
        } else if (m_state == State::ChunkData) {
            const qint64 take = std::min<qint64>(m_remaining, m_in.size() - pos);
            m_body += QByteArrayView(m_in).sliced(pos, take);
            pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                break;
            m_state = State::ChunkEnd;
        } else if (m_state == State::ChunkEnd) {
            if (m_in.size() - pos < 2)
                break;
            pos += 2;
            m_state = State::ChunkSize;
        } else if (m_state == State::Trailers) {
            if (line.isEmpty())
                m_state = State::Done;
        }
    }
    m_in.remove(0, pos);
    const bool done = m_state == State::Done;
    if (headersDone || m_body.size() != bodyBefore)
        Q_EMIT readyRead();
    if (done && m_socket)
        complete();
}

bool UpstreamReply::parseHeaders()
{
    const QByteArray encoding = header("transfer-encoding").toLower();
    const QByteArray length = header("content-length");
    m_keepAlive = header("connection").toLower() != "close";
    if (encoding.contains("chunked")) {
        m_framing = Framing::Chunked;
        m_state = State::ChunkSize;
    } else if (!length.isEmpty() || m_status == 204 || m_status == 304) {
        bool ok = length.isEmpty();
        m_remaining = length.isEmpty() ? 0 : length.toLongLong(&ok);
        if (!ok || m_remaining < 0) {
            fail(Transport::Other, tr("the upstream sent a malformed Content-Length"));
            return false;
        }
        m_framing = Framing::Length;
        m_state = m_remaining == 0 ? State::Done : State::Body;
    } else {
        m_framing = Framing::UntilClose;
        m_keepAlive = false;
        m_state = State::Body;
    }
    return true;
}

void UpstreamReply::onDisconnected()
{
    if (m_state == State::Done)
        return;
    if (m_socket && m_socket->bytesAvailable() > 0) {
        // Paused, the socket may still hold the end of the answer.
        m_in += m_socket->readAll();
        parse();
        if (m_state == State::Done)
            return;
    }
    if (m_state == State::Body && m_framing == Framing::UntilClose)
        return complete();
    // A kept-alive connection the upstream had closed while idle: send again on a new one.
    if (m_reused && !m_receivedAny && !m_retried) {
        releaseSocket(false);
        m_in.clear();
        return start(false);
    }
    fail(Transport::Reset, tr("the upstream closed the connection before the answer was complete"));
}

void UpstreamReply::onSocketError()
{
    if (!m_socket || m_state == State::Done)
        return;
    switch (m_socket->error()) {
    case QAbstractSocket::RemoteHostClosedError:
        return; // disconnected() decides
    case QAbstractSocket::ConnectionRefusedError:
        return fail(Transport::Refused, m_socket->errorString());
    case QAbstractSocket::SocketTimeoutError:
        return fail(Transport::Timeout, m_socket->errorString());
    default:
        if (m_reused && !m_receivedAny && !m_retried) {
            releaseSocket(false);
            m_in.clear();
            return start(false);
        }
        return fail(m_receivedAny ? Transport::Reset : Transport::Other, m_socket->errorString());
    }
}

void UpstreamReply::abort()
{
    fail(Transport::Other, tr("the request was aborted"));
}

void UpstreamReply::fail(Transport transport, const QString &message)
{
    if (m_state == State::Done && !m_socket)
        return;
    m_state = State::Done;
    m_transport = transport;
    m_errorString = message;
    releaseSocket(false);
    Q_EMIT finished();
}

void UpstreamReply::complete()
{
    m_state = State::Done;
    releaseSocket(m_keepAlive && m_framing != Framing::UntilClose && m_in.isEmpty());
    Q_EMIT finished();
}

void UpstreamReply::releaseSocket(bool reusable)
{
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (reusable && m_pool && socket->state() == QAbstractSocket::ConnectedState) {
        m_pool->release(m_poolKey, socket);
    } else {
        socket->abort();
        socket->deleteLater();
    }
}
