// SPDX-License-Identifier: GPL-3.0-or-later
#include "scriptedupstream.h"

#include "support/scriptedthinking.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#ifdef Q_OS_WIN
#include <winsock2.h>
#else
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype maxHeaderBytes = 64 * 1024;

enum class ParseResult { Incomplete, Complete, Malformed };

QByteArray reasonPhrase(int status)
{
    static const QHash<int, QByteArray> phrases {
        { 200, "OK"_ba },
        { 201, "Created"_ba },
        { 400, "Bad Request"_ba },
        { 401, "Unauthorized"_ba },
        { 402, "Payment Required"_ba },
        { 403, "Forbidden"_ba },
        { 404, "Not Found"_ba },
        { 413, "Payload Too Large"_ba },
        { 429, "Too Many Requests"_ba },
        { 500, "Internal Server Error"_ba },
        { 502, "Bad Gateway"_ba },
        { 503, "Service Unavailable"_ba },
        { 504, "Gateway Timeout"_ba },
        { 529, "Overloaded"_ba },
    };
    return phrases.value(status, "Status"_ba);
}

// Decodes a chunked body starting at `pos`; on success `pos` is just past the trailers.
ParseResult parseChunked(const QByteArray &buffer, qsizetype &pos, QByteArray &body)
{
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return ParseResult::Incomplete;
        QByteArray sizeField = buffer.mid(pos, lineEnd - pos);
        if (const qsizetype semicolon = sizeField.indexOf(';'); semicolon >= 0)
            sizeField.truncate(semicolon);
        bool ok = false;
        const qsizetype size = sizeField.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return ParseResult::Malformed;
        pos = lineEnd + 2;
        if (size == 0) {
            for (;;) {
                const qsizetype end = buffer.indexOf("\r\n", pos);
                if (end < 0)
                    return ParseResult::Incomplete;
                const bool last = end == pos;
                pos = end + 2;
                if (last)
                    return ParseResult::Complete;
            }
        }
        if (buffer.size() < pos + size + 2)
            return ParseResult::Incomplete;
        body += buffer.mid(pos, size);
        pos += size + 2;
    }
}

// Reads one request from the front of `buffer` and removes it from there.
ParseResult parseRequest(QByteArray &buffer, RecordedRequest &request, bool &keepAlive)
{
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return buffer.size() > maxHeaderBytes ? ParseResult::Malformed : ParseResult::Incomplete;

    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(2).startsWith("HTTP/1."))
        return ParseResult::Malformed;
    request.method = requestLine.at(0);
    request.path = QString::fromUtf8(requestLine.at(1));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines.at(i).indexOf(':');
        if (colon <= 0)
            return ParseResult::Malformed;
        const QByteArray name = lines.at(i).left(colon).trimmed().toLower();
        const QByteArray value = lines.at(i).mid(colon + 1).trimmed();
        auto it = request.headers.find(name);
        if (it == request.headers.end())
            request.headers.insert(name, value);
        else
            *it += ", "_ba + value;
    }

    qsizetype pos = headerEnd + 4;
    if (request.header("transfer-encoding"_ba).toLower().contains("chunked")) {
        const ParseResult result = parseChunked(buffer, pos, request.body);
        if (result != ParseResult::Complete)
            return result;
    } else if (request.headers.contains("content-length"_ba)) {
        bool ok = false;
        const qsizetype length = request.header("content-length"_ba).toLongLong(&ok);
        if (!ok || length < 0)
            return ParseResult::Malformed;
        if (buffer.size() < pos + length)
            return ParseResult::Incomplete;
        request.body = buffer.mid(pos, length);
        pos += length;
    }
    buffer.remove(0, pos);

    const QByteArray connection = request.header("connection"_ba).toLower();
    keepAlive = requestLine.at(2) == "HTTP/1.1" ? !connection.contains("close")
                                                : connection.contains("keep-alive");
    return ParseResult::Complete;
}

ScriptedReply defaultReply(const RecordedRequest &request)
{
    const QString path = request.path.section(u'?', 0, 0);
    if (path.endsWith(u"/count_tokens"_s))
        return ScriptedReply::json(200, { { u"input_tokens"_s, 25 } });
    if (path.endsWith(u"/models"_s)) {
        const QString id = ScriptedReply::defaultModel();
        const QJsonObject model { { u"type"_s, u"model"_s },
                                  { u"id"_s, id },
                                  { u"display_name"_s, u"Claude Sonnet 4.5"_s },
                                  { u"created_at"_s, u"2025-09-29T00:00:00Z"_s } };
        return ScriptedReply::json(200,
                                   { { u"data"_s, QJsonArray { model } },
                                     { u"has_more"_s, false },
                                     { u"first_id"_s, id },
                                     { u"last_id"_s, id } });
    }
    if (request.json().value(u"stream"_s).toBool())
        return ScriptedReply::stream({ u"Hello"_s, u" from"_s, u" upstream"_s });
    return ScriptedReply::message(u"Hello from upstream"_s);
}

} // namespace

/// One accepted connection: reads requests one after the other and plays their replies.
class ScriptedUpstreamConnection final : public QObject
{
public:
    ScriptedUpstreamConnection(ScriptedUpstream *upstream, QTcpSocket *socket, int id)
        : QObject(upstream)
        , m_upstream(upstream)
        , m_socket(socket)
        , m_id(id)
    {
        m_socket->setParent(this);
        connect(m_socket, &QTcpSocket::readyRead, this, &ScriptedUpstreamConnection::readSocket);
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
        readSocket();
    }

    /// The test allowed more events: a paced stream waiting for one goes on.
    void resume()
    {
        if (std::exchange(m_waitingForTest, false))
            sendEvents();
    }

    void drop()
    {
        m_silent = true;
        m_socket->abort();
        deleteLater();
    }

private:
    bool connected() const { return m_socket->state() == QAbstractSocket::ConnectedState; }

    void readSocket()
    {
        const QByteArray data = m_socket->readAll();
        // Past a timeout or hang nothing is answered any more, as with a stuck server.
        if (!m_silent)
            m_buffer += data;
        processBuffer();
    }

    void processBuffer()
    {
        if (m_processing)
            return;
        m_processing = true;
        while (!m_busy && !m_silent && connected()) {
            RecordedRequest request;
            bool keepAlive = true;
            const ParseResult result = parseRequest(m_buffer, request, keepAlive);
            if (result == ParseResult::Incomplete)
                break;
            if (result == ParseResult::Malformed) {
                m_socket->write("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n"
                                "connection: close\r\n\r\n"_ba);
                m_socket->disconnectFromHost();
                m_silent = true;
                break;
            }
            request.connection = m_id;
            m_closeAfter = !keepAlive;
            m_headRequest = request.method == "HEAD";
            const QString model = request.json().value(u"model"_s).toString();
            m_upstream->record(request);
            play(m_upstream->nextReply(request).resolvedFor(model));
        }
        m_processing = false;
    }

    void play(const ScriptedReply &reply)
    {
        m_busy = true;
        m_reply = reply;
        m_nextEvent = 0;
        if (m_reply.header("connection"_ba).toLower().contains("close"))
            m_closeAfter = true;
        if (m_reply.delay.count() > 0)
            QTimer::singleShot(m_reply.delay, this, &ScriptedUpstreamConnection::begin);
        else
            begin();
    }

    void begin()
    {
        if (!connected())
            return;
        switch (m_reply.fault) {
        case ScriptedReply::Fault::NoAnswer:
            m_silent = true;
            return;
        case ScriptedReply::Fault::ResetBeforeHeaders:
            reset();
            return;
        default:
            break;
        }
        m_socket->write(head());
        if (!m_reply.streaming) {
            if (!m_headRequest)
                m_socket->write(m_reply.body);
            finish();
            return;
        }
        sendEvents();
    }

    QByteArray head() const
    {
        QByteArray out = "HTTP/1.1 "_ba + QByteArray::number(m_reply.status) + ' '
            + reasonPhrase(m_reply.status) + "\r\n"_ba;
        bool hasConnection = false;
        for (const auto &[name, value] : m_reply.headers) {
            const QByteArray lower = name.toLower();
            if (lower == "content-length" || lower == "transfer-encoding")
                continue;
            hasConnection = hasConnection || lower == "connection";
            out += name + ": "_ba + value + "\r\n"_ba;
        }
        if (m_reply.streaming)
            out += "transfer-encoding: chunked\r\n"_ba;
        else
            out += "content-length: "_ba + QByteArray::number(m_reply.body.size()) + "\r\n"_ba;
        if (m_closeAfter && !hasConnection)
            out += "connection: close\r\n"_ba;
        return out + "\r\n"_ba;
    }

    void sendEvents()
    {
        while (connected()) {
            const bool faultDue = m_nextEvent >= m_reply.faultAfterEvents;
            if (m_reply.fault == ScriptedReply::Fault::ResetAfterEvents && faultDue) {
                resetWhenFlushed();
                return;
            }
            if (m_reply.fault == ScriptedReply::Fault::HangAfterEvents && faultDue) {
                m_silent = true;
                return;
            }
            if (m_nextEvent >= m_reply.events.size()) {
                m_socket->write("0\r\n\r\n"_ba);
                finish();
                return;
            }
            if (m_reply.pacedEvents && m_nextEvent >= m_upstream->m_allowedEvents) {
                m_socket->flush();
                m_waitingForTest = true;
                return;
            }
            const QByteArray data = ScriptedReply::encodeEvent(m_reply.events.at(m_nextEvent++));
            m_socket->write(QByteArray::number(data.size(), 16) + "\r\n"_ba + data + "\r\n"_ba);
            if (m_reply.eventInterval.count() > 0) {
                m_socket->flush();
                QTimer::singleShot(m_reply.eventInterval, this,
                                   &ScriptedUpstreamConnection::sendEvents);
                return;
            }
        }
    }

    void finish()
    {
        m_busy = false;
        m_reply = {};
        if (m_closeAfter) {
            m_silent = true;
            m_socket->disconnectFromHost();
            return;
        }
        processBuffer();
    }

    void reset()
    {
        m_silent = true;
        // Without SO_LINGER 0 the kernel sends FIN, not RST, whenever nothing unread is left,
        // and the peer would see an orderly close instead of a reset.
        const qintptr fd = m_socket->socketDescriptor();
        if (fd != -1) {
            linger option {};
            option.l_onoff = 1;
            option.l_linger = 0;
#ifdef Q_OS_WIN
            ::setsockopt(SOCKET(fd), SOL_SOCKET, SO_LINGER, reinterpret_cast<const char *>(&option),
                         int(sizeof option));
#else
            ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &option, sizeof option);
#endif
        }
        m_socket->abort();
        deleteLater();
    }

    // A reset discards whatever is still in Qt's write buffer: let the events out first.
    void resetWhenFlushed()
    {
        m_silent = true;
        m_socket->flush();
        if (m_socket->bytesToWrite() == 0) {
            reset();
            return;
        }
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (m_socket->bytesToWrite() == 0)
                reset();
        });
    }

    ScriptedUpstream *m_upstream;
    QTcpSocket *m_socket;
    const int m_id;
    QByteArray m_buffer;
    ScriptedReply m_reply;
    qsizetype m_nextEvent = 0;
    bool m_processing = false;
    bool m_busy = false;
    bool m_silent = false;
    bool m_waitingForTest = false;
    bool m_closeAfter = false;
    bool m_headRequest = false;
};

QJsonObject RecordedRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

ScriptedUpstream::ScriptedUpstream(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    // Fifty streams may connect at once; the defaults (30 pending, backlog 50) are too tight.
    m_server->setMaxPendingConnections(1000);
    m_server->setListenBacklogSize(256);
    connect(m_server, &QTcpServer::newConnection, this, &ScriptedUpstream::acceptConnections);
}

ScriptedUpstream::~ScriptedUpstream()
{
    // Connections call back into this object: they must go while it is still whole.
    qDeleteAll(connections());
}

bool ScriptedUpstream::listen()
{
    Q_ASSERT_X(QThread::currentThread() == thread(), "ScriptedUpstream::listen",
               "call through QMetaObject::invokeMethod from other threads");
    if (m_server->isListening())
        return true;
    if (!m_server->listen(QHostAddress::LocalHost, 0))
        return false;
    m_port = m_server->serverPort();
    return true;
}

void ScriptedUpstream::close()
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_server->close();
    for (ScriptedUpstreamConnection *connection : connections())
        connection->drop();
}

QUrl ScriptedUpstream::baseUrl() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(u"127.0.0.1"_s);
    url.setPort(m_port);
    return url;
}

void ScriptedUpstream::enqueue(const ScriptedReply &reply, int times)
{
    const QMutexLocker lock(&m_mutex);
    for (int i = 0; i < times; ++i)
        m_queue.append(reply);
}

void ScriptedUpstream::setHandler(Handler handler)
{
    const QMutexLocker lock(&m_mutex);
    m_handler = std::move(handler);
}

int ScriptedUpstream::pendingReplies() const
{
    const QMutexLocker lock(&m_mutex);
    return int(m_queue.size());
}

void ScriptedUpstream::clearReplies()
{
    const QMutexLocker lock(&m_mutex);
    m_queue.clear();
}

void ScriptedUpstream::allowEvents(int count)
{
    m_allowedEvents = count;
    QMetaObject::invokeMethod(this, [this] {
        for (ScriptedUpstreamConnection *connection : connections())
            connection->resume();
    });
}

QList<ScriptedUpstreamConnection *> ScriptedUpstream::connections() const
{
    QList<ScriptedUpstreamConnection *> found;
    for (QObject *child : children()) {
        if (auto *connection = dynamic_cast<ScriptedUpstreamConnection *>(child))
            found.append(connection);
    }
    return found;
}

QList<RecordedRequest> ScriptedUpstream::requests() const
{
    const QMutexLocker lock(&m_mutex);
    return m_requests;
}

int ScriptedUpstream::requestCount() const
{
    const QMutexLocker lock(&m_mutex);
    return int(m_requests.size());
}

RecordedRequest ScriptedUpstream::lastRequest() const
{
    const QMutexLocker lock(&m_mutex);
    return m_requests.isEmpty() ? RecordedRequest() : m_requests.constLast();
}

void ScriptedUpstream::clearRequests()
{
    const QMutexLocker lock(&m_mutex);
    m_requests.clear();
}

quint16 ScriptedUpstream::closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

void ScriptedUpstream::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection())
        new ScriptedUpstreamConnection(this, socket, ++m_connections);
}

int ScriptedUpstream::record(RecordedRequest request)
{
    int index = 0;
    {
        const QMutexLocker lock(&m_mutex);
        index = int(m_requests.size());
        m_requests.append(std::move(request));
    }
    Q_EMIT requestReceived(index);
    return index;
}

ScriptedReply ScriptedUpstream::nextReply(const RecordedRequest &request)
{
    const bool messages = request.path.section(u'?', 0, 0).endsWith(u"/messages"_s);
    const QByteArray key = request.header("x-api-key"_ba);
    const QJsonObject json = request.json();
    if (m_thinkingRules && messages) {
        if (std::optional<ScriptedReply> refused = ScriptedThinking::refusal(json, key))
            return *refused;
    }
    QMutexLocker lock(&m_mutex);
    ScriptedReply reply;
    if (!m_queue.isEmpty()) {
        reply = m_queue.takeFirst();
    } else {
        // A copy, so the handler runs unlocked and may call back into this object.
        const Handler handler = m_handler;
        lock.unlock();
        reply = handler ? handler(request) : defaultReply(request);
    }
    const QString thinking = json.value(u"thinking"_s)[u"type"].toString();
    if (m_thinkingRules && messages && (thinking == u"enabled" || thinking == u"adaptive")
        && reply.status == 200 && reply.fault == ScriptedReply::Fault::None)
        reply = ScriptedThinking::thinkingFirst(reply, key);
    return reply;
}
