// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpclient.h"

#include "benchstats.h"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr int socketTimeoutSeconds = 15;

} // namespace

HttpConnection::HttpConnection(quint16 port)
    : m_port(port)
{
    m_buffer.resize(64 * 1024);
}

HttpConnection::~HttpConnection()
{
    close();
}

bool HttpConnection::open()
{
    close();
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return false;
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const timeval timeout {socketTimeoutSeconds, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(m_port);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) != 0) {
        close();
        return false;
    }
    m_begin = m_end = 0;
    return true;
}

void HttpConnection::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_begin = m_end = 0;
}

HttpConnection::Response HttpConnection::fail()
{
    close();
    return {};
}

bool HttpConnection::fill()
{
    if (m_begin == m_end) {
        m_begin = m_end = 0;
    } else if (m_end == m_buffer.size()) {
        if (m_begin > 0) {
            std::memmove(m_buffer.data(), m_buffer.data() + m_begin, size_t(m_end - m_begin));
            m_end -= m_begin;
            m_begin = 0;
        } else {
            m_buffer.resize(m_buffer.size() * 2);
        }
    }
    const ssize_t n = ::recv(m_fd, m_buffer.data() + m_end, size_t(m_buffer.size() - m_end), 0);
    if (n <= 0)
        return false;
    m_lastRecvNs = Bench::nowNs();
    m_end += n;
    return true;
}

bool HttpConnection::readLine(QByteArrayView &line)
{
    for (;;) {
        const QByteArrayView have(m_buffer.constData() + m_begin, m_end - m_begin);
        const qsizetype at = have.indexOf(QByteArrayView("\r\n"));
        if (at >= 0) {
            line = have.first(at);
            m_begin += at + 2;
            return true;
        }
        if (!fill())
            return false;
    }
}

bool HttpConnection::readHead(Response &response, qint64 &contentLength, bool &chunked)
{
    if (m_begin == m_end && !fill())
        return false;
    response.firstByteNs = m_lastRecvNs;
    QByteArrayView line;
    if (!readLine(line) || !line.startsWith("HTTP/1.1 ") || line.size() < 12)
        return false;
    response.status = line.sliced(9, 3).toByteArray().toInt();
    contentLength = 0;
    chunked = false;
    while (readLine(line)) {
        if (line.isEmpty())
            return true;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
        if (name == "content-length")
            contentLength = value.toLongLong();
        else if (name == "transfer-encoding")
            chunked = value.toLower().contains("chunked");
    }
    return false;
}

HttpConnection::Response HttpConnection::exchange(const QByteArray &request,
                                                  const ChunkHandler &onChunk)
{
    if (m_fd < 0 && !open())
        return {};
    Response response;
    response.sentNs = Bench::nowNs();
    for (qsizetype sent = 0; sent < request.size();) {
        const ssize_t n
            = ::send(m_fd, request.constData() + sent, size_t(request.size() - sent), MSG_NOSIGNAL);
        if (n <= 0)
            return fail();
        sent += n;
    }
    qint64 length = 0;
    bool chunked = false;
    if (!readHead(response, length, chunked))
        return fail();
    if (!chunked) {
        while (m_end - m_begin < length) {
            if (!fill())
                return fail();
        }
        response.body = QByteArray(m_buffer.constData() + m_begin, length);
        m_begin += length;
    } else {
        for (;;) {
            QByteArrayView line;
            if (!readLine(line))
                return fail();
            bool ok = false;
            const qsizetype extension = line.indexOf(';');
            const qint64 size = (extension < 0 ? line : line.first(extension))
                                    .toByteArray()
                                    .trimmed()
                                    .toLongLong(&ok, 16);
            if (!ok || size < 0)
                return fail();
            if (size == 0) {
                while (readLine(line) && !line.isEmpty()) { } // trailers
                break;
            }
            while (m_end - m_begin < size + 2) {
                if (!fill())
                    return fail();
            }
            if (onChunk)
                onChunk(QByteArrayView(m_buffer.constData() + m_begin, size), m_lastRecvNs);
            m_begin += size + 2;
        }
    }
    response.doneNs = Bench::nowNs();
    response.ok = true;
    return response;
}

void SseDelays::feed(QByteArrayView data, qint64 arrivedNs)
{
    m_pending.append(data);
    qsizetype from = 0;
    for (;;) {
        const qsizetype end = m_pending.indexOf("\n\n", from);
        if (end < 0)
            break;
        const QByteArrayView event = QByteArrayView(m_pending).sliced(from, end - from);
        from = end + 2;
        ++m_events;
        const qsizetype at = event.lastIndexOf(QByteArrayView("\"t\":"));
        if (at < 0)
            continue;
        qint64 sent = 0;
        for (qsizetype i = at + 4; i < event.size() && event[i] >= '0' && event[i] <= '9'; ++i)
            sent = sent * 10 + (event[i] - '0');
        m_delaysUs.push_back(double(arrivedNs - sent) / 1000.0);
    }
    m_pending.remove(0, from);
}

QByteArray messagesRequest(quint16 port, const QByteArray &apiKey, bool stream, int promptBytes,
                           const QByteArray &model)
{
    QByteArray body = R"({"model":")" + model + R"(","max_tokens":256,)";
    if (stream)
        body += R"("stream":true,)";
    if (promptBytes > 0) {
        const QByteArray sentence = "You are a careful assistant that answers briefly. ";
        body += R"("system":")"
            + sentence.repeated(promptBytes / sentence.size() + 1).left(promptBytes) + R"(",)";
    }
    body += R"("messages":[{"role":"user","content":"Say hello."}]})";
    QByteArray request = "POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1:" + QByteArray::number(port)
        + "\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n";
    if (!apiKey.isEmpty())
        request += "x-api-key: " + apiKey + "\r\n";
    if (stream)
        request += "accept: text/event-stream\r\n";
    request += "content-length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return request;
}
