// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clocktimer.h"
#include "gateway/admission.h"
#include "gateway/requestframer.h"

#include <QObject>
#include <QTcpServer>

#include <chrono>
#include <deque>

class Clock;
class GuardedTcpServer;
class QTcpSocket;

/// What Qt 6.4's QHttpServer does not do for a connection, done before it reads a byte
/// (docs/protocol.md, "Connections"):
/// - frames the requests itself (RequestFramer) and refuses what must not be read: malformed
///   or ambiguous heads, bodies over the limit, and — from the head alone, before any body
///   is read — requests admission refuses (Host, Origin, access key);
/// - deadlines: a head must arrive within `headTimeout`, a body at `minBodyRate` (after a
///   grace of `bodyGrace`), and a connection with nothing in progress closes after
///   `idleTimeout`;
/// - answers in request order: QHttpServer dispatches pipelined requests at once and their
///   answers would cross, so each answer takes a turn and waits for the earlier ones;
/// - closes after the answer for `Connection: close` and HTTP/1.0, and answers
///   `Expect: 100-continue`;
/// - counts the body bytes it lets in against a cap shared by all connections.
///
/// It only peeks at what QHttpServer will read: bytes already seen are not seen again, since
/// QHttpServer reads one request per pass and dispatched() says where that left it.
class ConnectionGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionGuard)

public:
    struct Limits
    {
        RequestFramer::Limits framing;
        std::chrono::milliseconds idleTimeout = std::chrono::minutes(2);
        std::chrono::milliseconds headTimeout = std::chrono::seconds(30);
        std::chrono::milliseconds bodyGrace = std::chrono::seconds(30);
        qint64 minBodyRate = 16 * 1024; ///< bytes per second a body must keep after the grace
        /// Body bytes let in on all connections together, until their answers are complete.
        qint64 maxBufferedBytes = 256 * 1024 * 1024;
        /// What an answer may hold while an earlier one on its connection is still going.
        qint64 maxHeldAnswerBytes = 8 * 1024 * 1024;
        /// After the last answer of a closing connection: how long, and how much, the client
        /// may still send before the connection is cut (closing at once would reset it, and
        /// the reset can destroy the answer before the client reads it).
        std::chrono::milliseconds lingerTimeout = std::chrono::seconds(2);
        qint64 maxLingerBytes = 64 * 1024 * 1024;
    };

    ConnectionGuard(QTcpSocket *socket, GuardedTcpServer &server);
    ~ConnectionGuard() override;

    /// The guard of a server socket; null for a socket no guard watches.
    static ConnectionGuard *of(const QTcpSocket *socket);

    /// QHttpServer handed the next request to a handler: its answer gets the next turn
    /// (write()/finish() with the number returned).
    int dispatched();
    /// Writes bytes of an answer, at once when its turn has come, else when it does.
    void write(int turn, const QByteArray &bytes);
    /// The answer is complete: later answers may go out.
    void finish(int turn);

    /// Nothing in progress: no answer owed, no request begun.
    bool isIdle() const;
    std::chrono::steady_clock::time_point idleSince() const { return m_idleSince; }

private:
    struct Turn
    {
        int number = 0;
        QByteArray held; ///< written before its turn came
        bool finished = false;
        bool closeAfter = false;
        qint64 bodyBytes = 0; ///< counted against the shared cap until finished
    };
    /// A request QHttpServer will dispatch, as the framer saw it.
    struct Seen
    {
        bool closeAfter = false;
        qint64 bodyBytes = 0;
        bool refused = false; ///< the refusal's place: QHttpServer must never get it
    };

    void onReadyRead();
    void scan(QByteArrayView bytes);
    void onHead();
    void refuse(const RequestRefusal &refusal);
    /// Sends the queued refusal as the last answer and reads nothing more.
    void answerRefusal();
    void drainInput();
    /// Ends the connection after what is written: sends FIN once it is out, then discards
    /// input until the client closes or the linger is over.
    void closeGracefully();
    void shutDownWriting();
    Turn *turn(int number);
    void flushTurns();
    void updateTimers();
    void onDeadline();
    void countBody(qint64 bytes);

    friend class GuardedTcpServer;

    QTcpSocket *m_socket;
    GuardedTcpServer *m_server; ///< null once the server is being destroyed
    const Limits &m_limits;
    RequestFramer m_framer;
    ClockTimer m_idle;
    ClockTimer m_deadline; ///< the current head or body must be in by then
    qsizetype m_unconsumed = 0; ///< bytes at the front of the socket buffer already scanned
    std::deque<Seen> m_seen; ///< complete requests not dispatched yet, in order
    std::deque<Turn> m_turns; ///< answers owed, in request order
    int m_nextTurn = 0;
    qint64 m_currentBody = 0; ///< body bytes of the request being read, counted so far
    bool m_refused = false; ///< a refusal is queued or sent: the connection ends after it
    bool m_closing = false; ///< the last answer is out or going: only lingering is left
    qint64 m_discarded = 0; ///< bytes thrown away while lingering
    QByteArray m_refusal; ///< the refusal's answer, until the requests before it are dispatched
    QDateTime m_headStart; ///< when the head being read began
    QDateTime m_bodyStart; ///< when the body being read began
    std::chrono::steady_clock::time_point m_idleSince;
};

/// A QTcpServer that puts a ConnectionGuard on every socket before handing it out, holds
/// what the guards share (limits, admission, the buffered-bytes count), and keeps the number
/// of connections within what the file-descriptor limit allows: at the limit it closes the
/// connection idle longest, and stops accepting while none is idle.
class GuardedTcpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GuardedTcpServer)

public:
    /// `admission` is read at each request head (the gateway updates it in place).
    GuardedTcpServer(const Clock &clock, ConnectionGuard::Limits limits,
                     const Admission::Config &admission, QObject *parent = nullptr);
    ~GuardedTcpServer() override;

    const Clock &clock() const { return m_clock; }
    const ConnectionGuard::Limits &limits() const { return m_limits; }
    const Admission::Config &admission() const { return m_admission; }
    /// Reserves body bytes against the shared cap; false (nothing reserved) when over it.
    bool reserve(qint64 bytes);
    void release(qint64 bytes);
    qint64 bufferedBytes() const { return m_buffered; }

    /// How many connections are open at once at most (from the file-descriptor limit, half
    /// of it left for upstream connections); setMaxConnections() for tests.
    int maxConnections() const { return m_maxConnections; }
    void setMaxConnections(int max) { m_maxConnections = max; }
    int openConnections() const { return int(m_guards.size()); }

Q_SIGNALS:
    /// A request head was refused at admission (Host, Origin or key).
    void admissionRefused(const Admission::Decision &decision);

protected:
    void incomingConnection(qintptr handle) override;

private:
    friend class ConnectionGuard;
    void closed(ConnectionGuard *guard);
    /// Room for one more connection: true, closing the longest idle one if needed.
    bool makeRoom();

    const Clock &m_clock;
    ConnectionGuard::Limits m_limits;
    const Admission::Config &m_admission;
    qint64 m_buffered = 0;
    int m_maxConnections;
    bool m_paused = false;
    QList<ConnectionGuard *> m_guards;
};
