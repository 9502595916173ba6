// SPDX-License-Identifier: GPL-3.0-or-later
#include "mockupstream.h"

#include "benchstats.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace {

constexpr std::string_view messageBody
    = R"({"id":"msg_bench","type":"message","role":"assistant","model":"claude-sonnet-4-5",)"
      R"("content":[{"type":"text","text":"Hello from the benchmark's mock upstream."}],)"
      R"("stop_reason":"end_turn","stop_sequence":null,)"
      R"("usage":{"input_tokens":12,"output_tokens":9}})";
constexpr std::string_view modelsBody
    = R"({"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5"}],)"
      R"("has_more":false,"first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"})";
constexpr std::string_view countBody = R"({"input_tokens":12})";
constexpr std::string_view notFoundBody
    = R"({"type":"error","error":{"type":"not_found_error","message":"mock: no such path"}})";

std::string jsonResponse(int status, std::string_view body)
{
    std::string out = status == 200 ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 404 Not Found\r\n";
    out += "content-type: application/json\r\nrequest-id: req_bench\r\ncontent-length: ";
    out += std::to_string(body.size());
    out += "\r\n\r\n";
    out += body;
    return out;
}

bool sendAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        data.remove_prefix(std::size_t(n));
    }
    return true;
}

// One SSE event, `"t":NS}` closing its JSON data, framed as one HTTP chunk.
void appendEvent(std::string &out, std::string_view name, std::string_view jsonWithoutClose,
                 qint64 t)
{
    char number[24];
    const auto end = std::to_chars(number, number + sizeof number, t).ptr;
    std::string event = "event: ";
    event += name;
    event += "\ndata: ";
    event += jsonWithoutClose;
    event += ",\"t\":";
    event.append(number, end);
    event += "}\n\n";
    char size[16];
    const auto sizeEnd = std::to_chars(size, size + sizeof size, event.size(), 16).ptr;
    out.append(size, sizeEnd);
    out += "\r\n";
    out += event;
    out += "\r\n";
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

std::size_t contentLength(std::string_view head)
{
    std::size_t pos = 0;
    while (pos < head.size()) {
        const std::size_t end = std::min(head.find("\r\n", pos), head.size());
        const std::string_view line = head.substr(pos, end - pos);
        pos = end + 2;
        const std::size_t colon = line.find(':');
        if (colon == std::string_view::npos
            || !equalsIgnoringCase(line.substr(0, colon), "content-length"))
            continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
        std::size_t length = 0;
        std::from_chars(value.data(), value.data() + value.size(), length);
        return length;
    }
    return 0;
}

} // namespace

MockUpstream::MockUpstream(StreamShape shape)
    : m_shape(shape)
{ }

MockUpstream::~MockUpstream()
{
    stop();
}

bool MockUpstream::start()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0)
        return false;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::listen(m_listenFd, 512) != 0
        || ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        ::close(m_listenFd);
        m_listenFd = -1;
        return false;
    }
    m_port = ntohs(address.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
    return true;
}

void MockUpstream::stop()
{
    if (m_stopping.exchange(true))
        return;
    if (m_listenFd >= 0)
        ::shutdown(m_listenFd, SHUT_RDWR); // wakes accept()
    if (m_acceptor.joinable())
        m_acceptor.join();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    std::vector<std::thread> workers;
    {
        const std::lock_guard lock(m_mutex);
        for (int fd : m_open)
            ::shutdown(fd, SHUT_RDWR); // wakes recv(); the worker closes it
        workers.swap(m_workers);
    }
    for (std::thread &worker : workers)
        worker.join();
}

void MockUpstream::acceptLoop()
{
    while (!m_stopping.load()) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const std::lock_guard lock(m_mutex);
        if (m_stopping.load()) {
            ::close(fd);
            return;
        }
        m_open.push_back(fd);
        m_workers.emplace_back([this, fd] { serve(fd); });
    }
}

void MockUpstream::forget(int fd)
{
    const std::lock_guard lock(m_mutex);
    m_open.erase(std::remove(m_open.begin(), m_open.end(), fd), m_open.end());
    ::close(fd);
}

void MockUpstream::serve(int fd)
{
    static const std::string messageResponse = jsonResponse(200, messageBody);
    static const std::string modelsResponse = jsonResponse(200, modelsBody);
    static const std::string countResponse = jsonResponse(200, countBody);
    static const std::string notFoundResponse = jsonResponse(404, notFoundBody);
    const std::string largeResponse = jsonResponse(
        200,
        R"({"id":"msg_bench","type":"message","role":"assistant","model":")"
            + std::string(largeResponseModel) + R"(","content":[{"type":"text","text":")"
            + std::string(std::size_t(m_shape.largeResponseBytes), 'x')
            + R"("}],"stop_reason":"end_turn","stop_sequence":null,)"
              R"("usage":{"input_tokens":12,"output_tokens":9000}})");

    std::string buffer;
    buffer.resize(64 * 1024);
    std::size_t filled = 0;
    while (!m_stopping.load()) {
        // The head, then the body its content-length announces.
        std::size_t headEnd = std::string::npos;
        std::size_t total = 0;
        for (;;) {
            const std::string_view have(buffer.data(), filled);
            if (headEnd == std::string::npos) {
                const std::size_t at = have.find("\r\n\r\n");
                if (at != std::string_view::npos) {
                    headEnd = at + 4;
                    total = headEnd + contentLength(have.substr(0, at));
                    if (total > buffer.size())
                        buffer.resize(total);
                }
            }
            if (headEnd != std::string::npos && filled >= total)
                break;
            if (filled == buffer.size())
                buffer.resize(buffer.size() * 2);
            const ssize_t n = ::recv(fd, buffer.data() + filled, buffer.size() - filled, 0);
            if (n <= 0)
                return forget(fd);
            filled += std::size_t(n);
        }
        ++m_requests;
        const std::string_view request(buffer.data(), total);
        const std::string_view body = request.substr(headEnd);
        bool ok = true;
        if (request.starts_with("POST /v1/messages/count_tokens"))
            ok = sendAll(fd, countResponse);
        else if (request.starts_with("POST /v1/messages"))
            ok = body.find("\"stream\":true") != std::string_view::npos
                    || body.find("\"stream\": true") != std::string_view::npos
                ? answerStream(fd)
                : sendAll(fd,
                          body.find(largeResponseModel) != std::string_view::npos
                              ? largeResponse
                              : messageResponse);
        else if (request.starts_with("GET /v1/models"))
            ok = sendAll(fd, modelsResponse);
        else
            ok = sendAll(fd, notFoundResponse);
        if (!ok)
            return forget(fd);
        // Keep what belongs to the next request (pipelining).
        std::memmove(buffer.data(), buffer.data() + total, filled - total);
        filled -= total;
    }
    forget(fd);
}

bool MockUpstream::answerStream(int fd)
{
    std::string out = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
                      "cache-control: no-cache\r\nrequest-id: req_bench\r\n"
                      "transfer-encoding: chunked\r\n\r\n";
    const qint64 start = Bench::nowNs();
    appendEvent(out, "message_start",
                R"({"type":"message_start","message":{"id":"msg_bench","type":"message",)"
                R"("role":"assistant","model":"claude-sonnet-4-5","content":[],)"
                R"("stop_reason":null,"stop_sequence":null,)"
                R"("usage":{"input_tokens":12,"output_tokens":1}})",
                start);
    appendEvent(out, "content_block_start",
                R"({"type":"content_block_start","index":0,)"
                R"("content_block":{"type":"text","text":""})",
                start);
    if (!sendAll(fd, out))
        return false;
    const qint64 stepNs = qint64(m_shape.interval.count()) * 1000;
    for (int i = 1; i <= m_shape.deltas + 1; ++i) {
        Bench::sleepUntilNs(start + i * stepNs);
        if (m_stopping.load())
            return false;
        out.clear();
        const qint64 now = Bench::nowNs();
        if (i <= m_shape.deltas) {
            appendEvent(out, "content_block_delta",
                        R"({"type":"content_block_delta","index":0,)"
                        R"("delta":{"type":"text_delta","text":"Lorem ipsum dolor sit amet. "})",
                        now);
        } else {
            appendEvent(out, "content_block_stop", R"({"type":"content_block_stop","index":0)",
                        now);
            appendEvent(out, "message_delta",
                        R"({"type":"message_delta","delta":{"stop_reason":"end_turn",)"
                        R"("stop_sequence":null},"usage":{"output_tokens":21})",
                        now);
            appendEvent(out, "message_stop", R"({"type":"message_stop")", now);
            out += "0\r\n\r\n";
        }
        if (!sendAll(fd, out))
            return false;
    }
    return true;
}
