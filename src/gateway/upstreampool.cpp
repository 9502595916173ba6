// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreampool.h"

#include "gateway/upstreamreply.h"

#include <QSslSocket>

namespace {

// Idle connections kept per host; more are closed when they come back.
constexpr qsizetype maxIdlePerHost = 32;

} // namespace

UpstreamPool::UpstreamPool(QObject *parent)
    : QObject(parent)
{ }

UpstreamPool::~UpstreamPool()
{
    // Replies may outlive the pool (their owners delete them later): cut them loose now,
    // while the sockets they use still exist, so no socket signal reaches a dead pool.
    const QSet<UpstreamReply *> live = std::exchange(m_live, {});
    for (UpstreamReply *reply : live)
        reply->detachFromPool();
}

UpstreamReply *UpstreamPool::send(const UpstreamCall &call)
{
    auto *reply = new UpstreamReply(*this, call, nullptr);
    m_live.insert(reply);
    reply->start(true);
    return reply;
}

QTcpSocket *UpstreamPool::acquire(const QUrl &url, QByteArray &key, bool &reused)
{
    const bool tls = url.scheme() == u"https";
    const quint16 port = quint16(url.port(tls ? 443 : 80));
    key = url.scheme().toLatin1() + "://" + url.host().toLatin1() + ':' + QByteArray::number(port);
    QList<QTcpSocket *> &idle = m_idle[key];
    while (!idle.isEmpty()) {
        QTcpSocket *socket = idle.takeLast();
        socket->disconnect(this);
        if (socket->state() == QAbstractSocket::ConnectedState && socket->bytesAvailable() == 0) {
            reused = true;
            return socket;
        }
        socket->deleteLater();
    }
    reused = false;
    if (tls) {
        auto *socket = new QSslSocket(this);
        socket->setProtocol(QSsl::SecureProtocols);
        socket->connectToHostEncrypted(url.host(), port);
        return socket;
    }
    auto *socket = new QTcpSocket(this);
    socket->connectToHost(url.host(), port);
    return socket;
}

void UpstreamPool::release(const QByteArray &key, QTcpSocket *socket)
{
    QList<QTcpSocket *> &idle = m_idle[key];
    if (idle.size() >= maxIdlePerHost) {
        socket->disconnectFromHost();
        socket->deleteLater();
        return;
    }
    idle.append(socket);
    // An idle connection the upstream closes (or that talks out of turn) is dropped.
    auto drop = [this, key, socket] {
        m_idle[key].removeOne(socket);
        socket->disconnect(this);
        socket->deleteLater();
    };
    connect(socket, &QTcpSocket::disconnected, this, drop);
    connect(socket, &QTcpSocket::readyRead, this, drop);
}
