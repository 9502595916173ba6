// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionguard.h"

#include "gateway/apierror.h"
#include "gateway/gatewaylogging.h"

#include <QTcpSocket>

using namespace Qt::StringLiterals;

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const Limits &limits, const Clock &clock)
    : QObject(socket)
    , m_socket(socket)
    , m_limits(limits)
    , m_idle(clock)
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_limits.idleTimeout);
    connect(&m_idle, &ClockTimer::timeout, this, [this] {
        if (m_busy == 0)
            m_socket->disconnectFromHost();
    });
    // Connected before QHttpServer connects its own slot, so this one runs first.
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    connect(socket, &QTcpSocket::bytesWritten, &m_idle, qOverload<>(&ClockTimer::start));
    m_idle.start();
}

void ConnectionGuard::setBusy(QTcpSocket *socket, bool busy)
{
    if (auto *guard = socket ? socket->findChild<ConnectionGuard *>() : nullptr) {
        guard->m_busy += busy ? 1 : -1;
        guard->m_idle.start();
    }
}

void ConnectionGuard::onReadyRead()
{
    m_idle.start();
    if (m_state == State::Rejected) {
        m_socket->readAll(); // discard: the answer is out and the connection closing
        return;
    }
    scan(m_socket->peek(m_socket->bytesAvailable()));
}

void ConnectionGuard::scan(QByteArrayView bytes)
{
    qsizetype i = 0;
    while (i < bytes.size() && m_state != State::Rejected) {
        switch (m_state) {
        case State::Head: {
            // Take what is there and look for the blank line ending the head; the
            // terminator may straddle two reads, so search from just before the old end.
            const qsizetype before = m_line.size();
            m_line += bytes.sliced(i);
            const qsizetype end = m_line.indexOf("\r\n\r\n", std::max<qsizetype>(0, before - 3));
            const qsizetype headSize = end < 0 ? m_line.size() : end + 4;
            if (headSize > m_limits.maxHeaderBytes) {
                return reject(431, "Request Header Fields Too Large",
                              tr("The request headers are larger than %1 KiB.")
                                  .arg(m_limits.maxHeaderBytes / 1024));
            }
            if (end < 0) {
                i = bytes.size();
                break;
            }
            i += headSize - before;
            m_line.truncate(headSize);
            if (!parseHead())
                return;
            break;
        }
        case State::Body: {
            const qint64 take = std::min<qint64>(m_remaining, bytes.size() - i);
            i += take;
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = State::Head;
            break;
        }
        case State::ChunkSize:
        case State::Trailers: {
            const char c = bytes[i++];
            m_line += c;
            if (m_line.size() > 1024)
                return reject(400, "Bad Request",
                              tr("A chunk header of the request is malformed."));
            if (c != '\n')
                break;
            const QByteArray line = m_line.trimmed();
            m_line.clear();
            if (m_state == State::Trailers) {
                if (line.isEmpty())
                    m_state = State::Head;
                break;
            }
            bool ok = false;
            m_remaining = line.split(';').constFirst().trimmed().toLongLong(&ok, 16);
            if (!ok || m_remaining < 0)
                return reject(400, "Bad Request",
                              tr("A chunk header of the request is malformed."));
            m_bodyBytes += m_remaining;
            if (m_bodyBytes > m_limits.maxBodyBytes) {
                return reject(413, "Payload Too Large",
                              tr("The request body is larger than %1 MiB.")
                                  .arg(m_limits.maxBodyBytes / (1024 * 1024)));
            }
            m_state = m_remaining == 0 ? State::Trailers : State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const qint64 take = std::min<qint64>(m_remaining, bytes.size() - i);
            i += take;
            m_remaining -= take;
            if (m_remaining == 0) {
                m_state = State::ChunkDataEnd;
                m_remaining = 2; // CRLF after the data
            }
            break;
        }
        case State::ChunkDataEnd:
            ++i;
            if (--m_remaining == 0)
                m_state = State::ChunkSize;
            break;
        case State::Rejected:
            return;
        }
    }
}

bool ConnectionGuard::parseHead()
{
    qint64 length = 0;
    bool chunked = false;
    const QList<QByteArray> lines = m_line.split('\n');
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding" && value.toLower().contains("chunked"))
            chunked = true;
    }
    m_line.clear();
    m_bodyBytes = 0;
    if (length > m_limits.maxBodyBytes) {
        reject(413, "Payload Too Large",
               tr("The request body is larger than %1 MiB.")
                   .arg(m_limits.maxBodyBytes / (1024 * 1024)));
        return false;
    }
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (length > 0) {
        m_state = State::Body;
        m_remaining = length;
    }
    return true;
}

void ConnectionGuard::reject(int status, const QByteArray &reason, const QString &message)
{
    qCInfo(lcGateway).noquote() << "Refusing a request:" << message;
    m_state = State::Rejected;
    m_socket->readAll();
    const QByteArray body = ApiError::body(
        status == 413 ? u"request_too_large"_s : u"invalid_request_error"_s, message);
    m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason
                    + "\r\ncontent-type: application/json\r\ncontent-length: "
                    + QByteArray::number(body.size()) + "\r\nconnection: close\r\n\r\n" + body);
    m_socket->disconnectFromHost();
}

GuardedTcpServer::GuardedTcpServer(const Clock &clock, ConnectionGuard::Limits limits,
                                   QObject *parent)
    : QTcpServer(parent)
    , m_clock(clock)
    , m_limits(limits)
{ }

void GuardedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    new ConnectionGuard(socket, m_limits, m_clock);
    addPendingConnection(socket);
}
