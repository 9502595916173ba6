// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectionguard.h"

#include "core/clock.h"
#include "gateway/apierror.h"
#include "gateway/clientwriter.h"
#include "gateway/gatewaylogging.h"

#include <QTcpSocket>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/resource.h>
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace {

int connectionsTheFileLimitAllows()
{
#ifdef Q_OS_UNIX
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        // Half for client connections, half for upstream ones, after a reserve for the
        // database, the keychain, logs and Qt's own descriptors.
        return int(std::clamp<rlim_t>((limit.rlim_cur - 128) / 2, 16, 1'000'000));
    }
#endif
    return 10'000;
}

} // namespace

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, GuardedTcpServer &server)
    : QObject(socket)
    , m_socket(socket)
    , m_server(&server)
    , m_limits(server.limits())
    , m_framer(server.limits().framing)
    , m_idle(server.clock())
    , m_deadline(server.clock())
    , m_idleSince(std::chrono::steady_clock::now())
{
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_limits.idleTimeout);
    connect(&m_idle, &ClockTimer::timeout, this, [this] {
        if (isIdle())
            m_socket->disconnectFromHost();
    });
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &ClockTimer::timeout, this, &ConnectionGuard::onDeadline);
    // Connected before QHttpServer connects its own slot, so this one runs first.
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    m_idle.start();
}

ConnectionGuard::~ConnectionGuard()
{
    qint64 counted = m_currentBody;
    for (const Seen &s : m_seen)
        counted += s.bodyBytes;
    for (const Turn &t : m_turns)
        counted += t.bodyBytes;
    if (m_server) {
        m_server->release(counted);
        m_server->closed(this);
    }
}

ConnectionGuard *ConnectionGuard::of(const QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

bool ConnectionGuard::isIdle() const
{
    return m_turns.empty() && m_seen.empty() && m_framer.isIdle() && !m_refused;
}

void ConnectionGuard::onReadyRead()
{
    if (m_refused) {
        // Nothing after a refusal is read; the requests before it still are.
        if (m_seen.empty())
            drainInput();
        return;
    }
    const qint64 available = m_socket->bytesAvailable();
    if (available > m_unconsumed)
        scan(QByteArrayView(m_socket->peek(available)).sliced(m_unconsumed));
    // QHttpServer now reads all of it, unless it completes a request first: dispatched()
    // then says what is left.
    m_unconsumed = 0;
    updateTimers();
}

void ConnectionGuard::scan(QByteArrayView bytes)
{
    while (!bytes.isEmpty() && !m_refused) {
        const RequestFramer::Step step = m_framer.feed(bytes);
        bytes = bytes.sliced(step.used);
        if (step.event == RequestFramer::Event::Refused)
            return refuse(m_framer.refusal());
        if (step.event == RequestFramer::Event::Head) {
            onHead();
            if (m_refused)
                return;
        }
        countBody(m_framer.bodyBytes());
        if (m_refused)
            return;
        if (step.complete) {
            m_seen.push_back({m_framer.head().closeAfter, std::exchange(m_currentBody, 0)});
            m_deadline.stop();
        }
    }
}

void ConnectionGuard::onHead()
{
    const RequestHead &head = m_framer.head();
    const Admission::Decision decision
        = Admission::decide({head.host, head.origin, head.apiKey, head.authorization},
                            m_server->admission(), Admission::needsFor(head.method, head.path()));
    if (!decision.admitted) {
        Q_EMIT m_server->admissionRefused(decision);
        return refuse({decision.status, decision.message});
    }
    countBody(std::max<qint64>(0, head.contentLength));
    if (m_refused)
        return;
    if (head.hasBody()) {
        // The body may now come; a client waiting for a go-ahead gets one, unless an earlier
        // answer is still under way (the client then sends after its own short wait).
        if (head.expectContinue && m_turns.empty() && m_seen.empty())
            m_socket->write(ClientWriter::head(100, {}));
        m_bodyStart = m_server->clock().now();
    }
}

void ConnectionGuard::countBody(qint64 bytes)
{
    // Content-Length is counted whole at the head, a chunked body as it arrives.
    if (bytes <= m_currentBody)
        return;
    if (!m_server->reserve(bytes - m_currentBody)) {
        return refuse({503,
                       tr("The gateway is holding too many large requests right now; "
                          "try again in a moment.")});
    }
    m_currentBody = bytes;
}

void ConnectionGuard::refuse(const RequestRefusal &refusal)
{
    qCInfo(lcGateway).noquote() << "Refusing a request:" << refusal.message;
    m_refused = true;
    m_deadline.stop();
    m_server->release(std::exchange(m_currentBody, 0));
    const QByteArray body
        = ApiError::body(ApiError::typeForStatus(refusal.status), refusal.message);
    m_refusal = ClientWriter::head(refusal.status,
                                   {{"content-type"_ba, "application/json"_ba},
                                    {"content-length"_ba, QByteArray::number(body.size())},
                                    {"connection"_ba, "close"_ba}})
        + body;
    // Requests before this one are still QHttpServer's to answer: the refusal goes after
    // their answers, and the input is cut once they are dispatched.
    if (m_seen.empty())
        answerRefusal();
}

void ConnectionGuard::answerRefusal()
{
    drainInput();
    m_turns.push_back({m_nextTurn++, std::exchange(m_refusal, {}), true, true, 0});
    flushTurns();
}

void ConnectionGuard::drainInput()
{
    m_discarded += m_socket->readAll().size();
    m_unconsumed = 0;
    if (m_closing && m_discarded > m_limits.maxLingerBytes)
        m_socket->abort();
}

void ConnectionGuard::closeGracefully()
{
    if (std::exchange(m_closing, true))
        return;
    m_idle.stop();
    m_deadline.stop();
    drainInput();
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_socket->bytesToWrite() == 0)
            shutDownWriting();
    });
    if (m_socket->bytesToWrite() == 0)
        shutDownWriting();
    // The client has this long to read the answer and close; then the connection is cut.
    m_deadline.start(m_limits.lingerTimeout);
}

void ConnectionGuard::shutDownWriting()
{
    if (m_socket->state() != QAbstractSocket::ConnectedState)
        return;
#ifdef Q_OS_WIN
    ::shutdown(SOCKET(m_socket->socketDescriptor()), SD_SEND);
#else
    ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#endif
}

int ConnectionGuard::dispatched()
{
    Seen seen;
    if (!m_seen.empty()) {
        seen = m_seen.front();
        m_seen.pop_front();
    }
    // QHttpServer has read this request and stopped: what the buffer still holds was scanned.
    m_unconsumed = m_socket->bytesAvailable();
    const int number = m_nextTurn++;
    m_turns.push_back({number, {}, false, seen.closeAfter, seen.bodyBytes});
    if (m_refused && m_seen.empty())
        answerRefusal();
    updateTimers();
    return number;
}

ConnectionGuard::Turn *ConnectionGuard::turn(int number)
{
    for (Turn &t : m_turns) {
        if (t.number == number)
            return &t;
    }
    return nullptr;
}

void ConnectionGuard::write(int number, const QByteArray &bytes)
{
    Turn *t = turn(number);
    if (!t)
        return; // the connection is closing: this answer is not wanted
    if (t == &m_turns.front()) {
        m_socket->write(bytes);
        return;
    }
    t->held += bytes;
    if (t->held.size() > m_limits.maxHeldAnswerBytes) {
        // The client pipelined behind an answer it does not read.
        qCInfo(lcGateway) << "A pipelined answer outgrew its wait; connection closed";
        m_socket->abort();
    }
}

void ConnectionGuard::finish(int number)
{
    if (Turn *t = turn(number)) {
        t->finished = true;
        m_server->release(std::exchange(t->bodyBytes, 0));
    }
    flushTurns();
    updateTimers();
}

void ConnectionGuard::flushTurns()
{
    while (!m_turns.empty()) {
        Turn &front = m_turns.front();
        if (!front.held.isEmpty())
            m_socket->write(std::exchange(front.held, {}));
        if (!front.finished)
            return;
        const bool close = front.closeAfter;
        m_turns.pop_front();
        if (close) {
            // Connection: close, HTTP/1.0 or a refusal: nothing after this answer.
            for (const Turn &t : m_turns)
                m_server->release(t.bodyBytes);
            m_turns.clear();
            m_refused = true;
            closeGracefully();
            return;
        }
    }
}

void ConnectionGuard::updateTimers()
{
    if (m_closing)
        return;
    if (isIdle()) {
        if (!m_idle.isActive()) {
            m_idle.start();
            m_idleSince = std::chrono::steady_clock::now();
        }
        m_deadline.stop();
        return;
    }
    m_idle.stop();
    const QDateTime now = m_server->clock().now();
    if (m_framer.inHead()) {
        if (!m_headStart.isValid())
            m_headStart = now;
        m_deadline.startAt(m_headStart.addMSecs(m_limits.headTimeout.count()));
    } else if (m_framer.inBody()) {
        m_headStart = {};
        // A body must keep a minimal rate after its grace: each byte buys a little time.
        const qint64 earned
            = m_framer.bodyBytes() * 1000 / std::max<qint64>(1, m_limits.minBodyRate);
        m_deadline.startAt(m_bodyStart.addMSecs(m_limits.bodyGrace.count() + earned));
    } else {
        m_headStart = {};
        m_deadline.stop();
    }
}

void ConnectionGuard::onDeadline()
{
    if (m_closing) {
        m_socket->abort(); // the linger is over
        return;
    }
    if (m_refused || (!m_framer.inHead() && !m_framer.inBody()))
        return;
    refuse({408,
            m_framer.inHead() ? tr("The request headers did not arrive in time.")
                              : tr("The request body arrived too slowly.")});
}

GuardedTcpServer::GuardedTcpServer(const Clock &clock, ConnectionGuard::Limits limits,
                                   const Admission::Config &admission, QObject *parent)
    : QTcpServer(parent)
    , m_clock(clock)
    , m_limits(limits)
    , m_admission(admission)
    , m_maxConnections(connectionsTheFileLimitAllows())
{ }

GuardedTcpServer::~GuardedTcpServer()
{
    // The sockets and their guards outlive this part of the server (they are children).
    for (ConnectionGuard *guard : std::as_const(m_guards))
        guard->m_server = nullptr;
}

bool GuardedTcpServer::reserve(qint64 bytes)
{
    if (m_buffered + bytes > m_limits.maxBufferedBytes)
        return false;
    m_buffered += bytes;
    return true;
}

void GuardedTcpServer::release(qint64 bytes)
{
    m_buffered = std::max<qint64>(0, m_buffered - bytes);
}

bool GuardedTcpServer::makeRoom()
{
    if (m_guards.size() < m_maxConnections)
        return true;
    ConnectionGuard *oldest = nullptr;
    for (ConnectionGuard *g : std::as_const(m_guards)) {
        if (g->isIdle() && (!oldest || g->idleSince() < oldest->idleSince()))
            oldest = g;
    }
    if (!oldest)
        return false;
    QTcpSocket *socket = oldest->m_socket;
    delete oldest; // counted out now; the socket goes its way
    socket->abort();
    return true;
}

void GuardedTcpServer::incomingConnection(qintptr handle)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    if (!makeRoom()) {
        // Every connection is busy: this one cannot be served, and accepting more would
        // only spin at the descriptor limit. Accepting resumes when one closes.
        qCWarning(lcGateway) << "Connection limit reached (" << m_maxConnections
                             << "); not accepting until one closes";
        socket->abort();
        socket->deleteLater();
        pauseAccepting();
        m_paused = true;
        return;
    }
    // Each SSE event is one small write: waiting for the previous one's ACK would bunch them.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_guards.append(new ConnectionGuard(socket, *this));
    addPendingConnection(socket);
}

void GuardedTcpServer::closed(ConnectionGuard *guard)
{
    m_guards.removeOne(guard);
    if (m_paused && m_guards.size() < m_maxConnections) {
        m_paused = false;
        resumeAccepting();
    }
}
