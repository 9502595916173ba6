// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clocktimer.h"

#include <QObject>
#include <QTcpServer>

#include <chrono>

class Clock;
class QTcpSocket;

/// Limits Qt 6.4's QHttpServer does not enforce, applied to each connection before
/// QHttpServer reads it: header size, body size (413 without buffering the excess) and
/// an idle timeout for connections with no request in progress. It only peeks at the
/// bytes; QHttpServer still parses them.
class ConnectionGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionGuard)

public:
    struct Limits
    {
        qint64 maxHeaderBytes = 64 * 1024;
        qint64 maxBodyBytes = 32 * 1024 * 1024;
        std::chrono::milliseconds idleTimeout = std::chrono::minutes(2);
    };

    ConnectionGuard(QTcpSocket *socket, const Limits &limits, const Clock &clock);

    /// A request on this socket is being answered: the idle timeout waits.
    static void setBusy(QTcpSocket *socket, bool busy);

private:
    void onReadyRead();
    void scan(QByteArrayView bytes);
    bool parseHead();
    void reject(int status, const QByteArray &reason, const QString &message);

    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Rejected };

    QTcpSocket *m_socket;
    Limits m_limits;
    ClockTimer m_idle;
    State m_state = State::Head;
    QByteArray m_line; ///< head bytes, or the current chunk-size / trailer line
    qint64 m_remaining = 0; ///< body or chunk bytes still expected
    qint64 m_bodyBytes = 0;
    int m_busy = 0;
};

/// A QTcpServer that puts a ConnectionGuard on every socket before handing it out.
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuardedTcpServer)

public:
    GuardedTcpServer(const Clock &clock, ConnectionGuard::Limits limits, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr handle) override;

private:
    const Clock &m_clock;
    ConnectionGuard::Limits m_limits;
};
