// SPDX-License-Identifier: GPL-3.0-or-later
#include "soakclient.h"

#include "anthropicstreamvalidator.h"
#include "gateway/sse.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <random>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

/// Longer than any failover the soak's faults cause (stalls of a few seconds per attempt):
/// waiting this long for a byte is a hang.
constexpr int hangSeconds = 60;

std::mt19937 &rng()
{
    thread_local std::mt19937 engine {std::random_device {}()};
    return engine;
}

/// "error NNN TYPE" for an Anthropic error body, empty when it is not one.
QByteArray errorKind(int status, const QByteArray &body)
{
    const QJsonObject object = QJsonDocument::fromJson(body).object();
    const QJsonObject error = object.value(u"error"_s).toObject();
    if (object.value(u"type"_s) != u"error"_s || error.value(u"type"_s).toString().isEmpty()
        || error.value(u"message"_s).toString().isEmpty())
        return {};
    return "error " + QByteArray::number(status) + ' ' + error.value(u"type"_s).toString().toUtf8();
}

} // namespace

void SoakTally::add(const QByteArray &kind)
{
    const std::lock_guard lock(m_mutex);
    ++m_counts[kind];
}

QMap<QByteArray, quint64> SoakTally::counts() const
{
    const std::lock_guard lock(m_mutex);
    return m_counts;
}

quint64 SoakTally::total() const
{
    quint64 sum = 0;
    for (quint64 n : counts())
        sum += n;
    return sum;
}

quint64 SoakTally::bad() const
{
    quint64 sum = 0;
    const auto all = counts();
    for (auto it = all.cbegin(); it != all.cend(); ++it)
        sum += it.key().startsWith("BAD") ? it.value() : 0;
    return sum;
}

SoakClient::SoakClient(quint16 port, QByteArray key, SoakTally &tally,
                       const std::atomic<bool> &pause, const std::atomic<bool> &stop,
                       std::atomic<int> &inFlight)
    : m_port(port)
    , m_key(std::move(key))
    , m_tally(tally)
    , m_pause(pause)
    , m_stop(stop)
    , m_inFlight(inFlight)
{ }

SoakClient::~SoakClient()
{
    closeSocket(false);
}

void SoakClient::run()
{
    while (!m_stop.load()) {
        if (m_pause.load()) {
            closeSocket(false);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        const bool fresh = m_fd < 0;
        if (fresh && !connectSocket()) {
            m_tally.add("BAD connect failed");
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        ++m_inFlight;
        if (!exchange(fresh))
            closeSocket(false);
        --m_inFlight;
        std::this_thread::sleep_for(std::chrono::milliseconds(rng()() % 50));
    }
}

bool SoakClient::connectSocket()
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return false;
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const timeval timeout {hangSeconds, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(m_port);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        closeSocket(false);
        return false;
    }
    m_buffer.clear();
    return true;
}

void SoakClient::closeSocket(bool reset)
{
    if (m_fd < 0)
        return;
    if (reset) {
        const linger abort {1, 0};
        ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    }
    ::close(m_fd);
    m_fd = -1;
    m_buffer.clear();
}

bool SoakClient::fill()
{
    char chunk[16 * 1024];
    const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
    if (n <= 0) {
        m_timedOut = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
        return false;
    }
    m_buffer.append(chunk, n);
    m_received += n;
    if (m_abortAfter > 0 && m_received >= m_abortAfter) {
        m_aborted = true;
        closeSocket(rng()() % 2);
        return false;
    }
    return true;
}

bool SoakClient::readLine(QByteArray &line)
{
    for (;;) {
        if (const qsizetype at = m_buffer.indexOf("\r\n"); at >= 0) {
            line = m_buffer.left(at);
            m_buffer.remove(0, at + 2);
            return true;
        }
        if (m_fd < 0 || !fill())
            return false;
    }
}

bool SoakClient::exchange(bool fresh)
{
    const bool stream = rng()() % 100 < 80;
    const QByteArray body = R"({"model":"claude-sonnet-4-5","max_tokens":64,"stream":)"
        + QByteArray(stream ? "true" : "false") + R"(,"messages":[{"role":"user","content":"soak )"
        + QByteArray::number(++m_sequence) + R"("}]})";
    const QByteArray request = "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1:"
        + QByteArray::number(m_port) + "\r\nx-api-key: " + m_key
        + "\r\ncontent-type: application/json\r\nanthropic-version: 2023-06-01\r\ncontent-length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    m_received = 0;
    m_aborted = m_timedOut = false;
    m_abortAfter = rng()() % 100 < 8 ? qint64(rng()() % 1500) : -1;
    if (::send(m_fd, request.constData(), size_t(request.size()), MSG_NOSIGNAL) != request.size()) {
        m_tally.add(fresh ? "BAD send failed" : "BAD send failed (kept-alive connection)");
        return false;
    }
    if (m_abortAfter == 0) {
        m_tally.add("client abort");
        closeSocket(rng()() % 2);
        return false;
    }
    auto broken = [&](const QByteArray &what) {
        if (m_aborted)
            m_tally.add("client abort");
        else if (m_timedOut)
            m_tally.add("BAD hung: " + what);
        else
            m_tally.add("BAD " + what + (fresh ? "" : " (kept-alive connection)"));
        return false;
    };

    QByteArray line;
    if (!readLine(line))
        return broken(m_received == 0 ? "closed before answering" : "cut in the status line");
    if (!line.startsWith("HTTP/1.1 ") || line.size() < 12)
        return broken("not an HTTP/1.1 status line");
    const int status = line.mid(9, 3).toInt();
    qint64 length = -1;
    bool chunked = false, sse = false, close = false;
    for (;;) {
        if (!readLine(line))
            return broken("cut in the head");
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed().toLower();
        if (name == "content-length")
            length = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value == "chunked";
        else if (name == "content-type")
            sse = value.startsWith("text/event-stream");
        else if (name == "connection")
            close = value == "close";
    }

    SseParser parser;
    AnthropicStreamValidator validator;
    QByteArray content;
    auto take = [&](const QByteArray &data) {
        if (sse)
            return validator.feed(parser.feed(data));
        content += data;
        return true;
    };
    if (chunked) {
        for (;;) {
            if (!readLine(line))
                return broken(sse ? "stream cut" : "body cut");
            bool ok = false;
            const qint64 size = line.split(';').first().toLongLong(&ok, 16);
            if (!ok)
                return broken("bad chunk size");
            while (m_buffer.size() < size + 2) {
                if (m_fd < 0 || !fill())
                    return broken(sse ? "stream cut" : "body cut");
            }
            if (m_buffer.mid(size, 2) != "\r\n")
                return broken("chunk without CRLF");
            const QByteArray data = m_buffer.left(size);
            m_buffer.remove(0, size + 2);
            if (size == 0)
                break;
            if (!take(data)) {
                m_tally.add("BAD invalid stream: " + validator.error().left(80).toUtf8());
                return false;
            }
        }
    } else {
        while (m_buffer.size() < length) {
            if (m_fd < 0 || !fill())
                return broken("body cut");
        }
        if (length < 0)
            return broken("no body framing");
        take(m_buffer.left(length));
        m_buffer.remove(0, length);
    }

    if (status == 200 && sse) {
        if (!validator.done()) {
            m_tally.add("BAD invalid stream: " + validator.error().left(80).toUtf8());
            return false;
        }
        m_tally.add(validator.sawError()
                        ? "stream error "
                            + validator.errorEvent()[u"error"_s][u"type"_s].toString().toUtf8()
                        : QByteArray("ok"));
    } else if (status == 200) {
        const QJsonObject message = QJsonDocument::fromJson(content).object();
        m_tally.add(message.value(u"type"_s) == u"message"_s ? QByteArray("ok")
                                                             : "BAD 200 without a message");
    } else {
        const QByteArray kind = errorKind(status, content);
        m_tally.add(kind.isEmpty() ? "BAD " + QByteArray::number(status) + " not an Anthropic error"
                                   : kind);
    }
    return !close;
}
