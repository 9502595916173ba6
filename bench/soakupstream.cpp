// SPDX-License-Identifier: GPL-3.0-or-later
#include "soakupstream.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <random>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

namespace {

using Fault = SoakUpstream::Fault;

constexpr std::string_view modelsBody
    = R"({"object":"list","data":[{"type":"model","object":"model","id":"claude-sonnet-4-5",)"
      R"("display_name":"Claude Sonnet 4.5"}],"has_more":false})";
constexpr std::string_view anthropicMessage
    = R"({"id":"msg_soak","type":"message","role":"assistant","model":"claude-sonnet-4-5",)"
      R"("content":[{"type":"text","text":"Hello from the soak upstream."}],)"
      R"("stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":7}})";
constexpr std::string_view openaiMessage
    = R"({"id":"chatcmpl-soak","object":"chat.completion","created":1,"model":"gpt-soak",)"
      R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the soak )"
      R"(upstream."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7}})";

std::string response(int status, std::string_view reason, std::string_view body,
                     std::string_view extraHeaders = {})
{
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
    out += "content-type: application/json\r\nrequest-id: req_soak\r\n";
    out += extraHeaders;
    out += "content-length: " + std::to_string(body.size()) + "\r\n\r\n";
    out += body;
    return out;
}

std::string errorResponse(Fault fault, bool openai)
{
    switch (fault) {
    case Fault::RateLimited:
        return openai ? response(429, "Too Many Requests",
                                 R"({"error":{"message":"soak: rate limited","type":"requests",)"
                                 R"("code":"rate_limit_exceeded"}})",
                                 "retry-after: 1\r\n")
                      : response(429, "Too Many Requests",
                                 R"({"type":"error","error":{"type":"rate_limit_error",)"
                                 R"("message":"soak: rate limited"}})",
                                 "retry-after: 1\r\n");
    case Fault::Overloaded:
        return openai ? response(503, "Service Unavailable",
                                 R"({"error":{"message":"soak: overloaded","type":"server_error"}})")
                      : response(529, "Overloaded",
                                 R"({"type":"error","error":{"type":"overloaded_error",)"
                                 R"("message":"soak: overloaded"}})");
    default:
        return openai ? response(500, "Internal Server Error",
                                 R"({"error":{"message":"soak: broken","type":"server_error"}})")
                      : response(500, "Internal Server Error",
                                 R"({"type":"error","error":{"type":"api_error",)"
                                 R"("message":"soak: broken"}})");
    }
}

void appendChunk(std::string &out, std::string_view data)
{
    char size[16];
    const auto end = std::to_chars(size, size + sizeof size, data.size(), 16).ptr;
    out.append(size, end);
    out += "\r\n";
    out += data;
    out += "\r\n";
}

/// The stream's events, each one HTTP chunk, in the upstream's own format.
std::vector<std::string> streamEvents(bool openai, int deltas)
{
    std::vector<std::string> events;
    auto add = [&events](std::string_view name, std::string_view data) {
        std::string event;
        if (!name.empty())
            event = "event: " + std::string(name) + "\n";
        event += "data: " + std::string(data) + "\n\n";
        events.emplace_back();
        appendChunk(events.back(), event);
    };
    if (openai) {
        for (int i = 0; i < deltas; ++i)
            add({}, R"({"id":"chatcmpl-soak","object":"chat.completion.chunk","created":1,)"
                    R"("model":"gpt-soak","choices":[{"index":0,"delta":{"content":"Lorem ipsum. "},)"
                    R"("finish_reason":null}]})");
        add({}, R"({"id":"chatcmpl-soak","object":"chat.completion.chunk","created":1,)"
                R"("model":"gpt-soak","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})");
        add({}, R"({"id":"chatcmpl-soak","object":"chat.completion.chunk","created":1,)"
                R"("model":"gpt-soak","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":9}})");
        add({}, "[DONE]");
        return events;
    }
    add("message_start",
        R"({"type":"message_start","message":{"id":"msg_soak","type":"message","role":"assistant",)"
        R"("model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,)"
        R"("usage":{"input_tokens":12,"output_tokens":1}}})");
    add("content_block_start",
        R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
    for (int i = 0; i < deltas; ++i)
        add("content_block_delta",
            R"({"type":"content_block_delta","index":0,)"
            R"("delta":{"type":"text_delta","text":"Lorem ipsum. "}})");
    add("content_block_stop", R"({"type":"content_block_stop","index":0})");
    add("message_delta",
        R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},)"
        R"("usage":{"output_tokens":9}})");
    add("message_stop", R"({"type":"message_stop"})");
    return events;
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

/// Closes with RST instead of FIN.
void reset(int fd)
{
    const linger abort {1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    ::shutdown(fd, SHUT_RDWR);
}

std::size_t contentLength(std::string_view head)
{
    for (std::size_t pos = 0; pos < head.size();) {
        const std::size_t end = std::min(head.find("\r\n", pos), head.size());
        const std::string_view line = head.substr(pos, end - pos);
        pos = end + 2;
        constexpr std::string_view name = "content-length:";
        if (line.size() <= name.size()
            || !std::equal(name.begin(), name.end(), line.begin(),
                           [](char a, char b) { return a == (b | 0x20); }))
            continue;
        std::string_view value = line.substr(name.size());
        while (!value.empty() && value.front() == ' ')
            value.remove_prefix(1);
        std::size_t length = 0;
        std::from_chars(value.data(), value.data() + value.size(), length);
        return length;
    }
    return 0;
}

std::mt19937 &rng()
{
    thread_local std::mt19937 engine {std::random_device {}()};
    return engine;
}

} // namespace

const char *SoakUpstream::name(Fault fault)
{
    static constexpr const char *names[faultCount]
        = {"none",       "reset before", "reset during",  "429",           "529/503",  "500",
           "stall before", "stall during", "garbage head", "garbage during", "truncated"};
    return names[int(fault)];
}

SoakUpstream::SoakUpstream(Shape shape)
    : m_shape(shape)
{ }

SoakUpstream::~SoakUpstream()
{
    stop();
}

bool SoakUpstream::start()
{
    m_listenFd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (m_listenFd < 0)
        return false;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(m_listenFd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0
        || ::listen(m_listenFd, 1024) != 0
        || ::getsockname(m_listenFd, reinterpret_cast<sockaddr *>(&address), &length) != 0) {
        ::close(m_listenFd);
        m_listenFd = -1;
        return false;
    }
    m_port = ntohs(address.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
    return true;
}

void SoakUpstream::stop()
{
    if (m_stopping.exchange(true))
        return;
    if (m_listenFd >= 0)
        ::shutdown(m_listenFd, SHUT_RDWR); // wakes accept()
    if (m_acceptor.joinable())
        m_acceptor.join();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
    std::unique_lock lock(m_mutex);
    for (int fd : m_open)
        ::shutdown(fd, SHUT_RDWR); // wakes recv(); the worker closes it
    m_idle.wait(lock, [this] { return m_open.empty(); });
}

void SoakUpstream::acceptLoop()
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
        const timeval idle {1, 0}; // an idle connection closes after a second
        ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
        const std::lock_guard lock(m_mutex);
        if (m_stopping.load()) {
            ::close(fd);
            return;
        }
        // Detached: a long soak opens thousands of connections; stop() waits for m_open to
        // empty instead of joining.
        m_open.push_back(fd);
        std::thread([this, fd] { serve(fd); }).detach();
    }
}

void SoakUpstream::forget(int fd)
{
    const std::lock_guard lock(m_mutex);
    m_open.erase(std::remove(m_open.begin(), m_open.end(), fd), m_open.end());
    ::close(fd);
    m_idle.notify_all();
}

SoakUpstream::Fault SoakUpstream::draw()
{
    if (int(rng()() % 100) >= m_shape.faultPercent)
        return Fault::None;
    return Fault(1 + rng()() % (faultCount - 1));
}

void SoakUpstream::serve(int fd)
{
    static const std::string models = response(200, "OK", modelsBody);
    std::string buffer(64 * 1024, '\0');
    std::size_t filled = 0;
    while (!m_stopping.load()) {
        std::size_t headEnd = std::string::npos, total = 0;
        for (;;) {
            const std::string_view have(buffer.data(), filled);
            if (headEnd == std::string::npos) {
                if (const std::size_t at = have.find("\r\n\r\n"); at != std::string::npos) {
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
                return forget(fd); // closed, or idle for a second
        }
        const std::string_view request(buffer.data(), total);
        const std::string_view body = request.substr(headEnd);
        const bool stream = body.find("\"stream\":true") != std::string_view::npos;
        bool keep = true;
        if (request.starts_with("GET /v1/models")) {
            keep = sendAll(fd, models);
        } else if (request.starts_with("POST /v1/messages/count_tokens")) {
            keep = sendAll(fd, response(200, "OK", R"({"input_tokens":12})"));
        } else if (request.starts_with("POST /v1/messages")
                   || request.starts_with("POST /v1/chat/completions")) {
            const Fault fault = draw();
            ++m_served[std::size_t(fault)];
            keep = answer(fd, request.starts_with("POST /v1/chat"), stream, fault);
        } else {
            keep = sendAll(fd, response(404, "Not Found",
                                        R"({"type":"error","error":{"type":"not_found_error",)"
                                        R"("message":"soak: no such path"}})"));
        }
        if (!keep)
            return forget(fd);
        std::memmove(buffer.data(), buffer.data() + total, filled - total);
        filled -= total;
    }
    forget(fd);
}

bool SoakUpstream::answer(int fd, bool openai, bool stream, Fault fault)
{
    auto pause = [this](std::chrono::milliseconds span) {
        const auto until = std::chrono::steady_clock::now() + span;
        while (!m_stopping.load() && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return !m_stopping.load();
    };
    switch (fault) {
    case Fault::ResetBefore:
        reset(fd);
        return false;
    case Fault::RateLimited:
    case Fault::Overloaded:
    case Fault::ServerError:
        return sendAll(fd, errorResponse(fault, openai));
    case Fault::GarbageHead:
        sendAll(fd, std::string_view("\x16\x03\x01 SOAK not http at all\r\n\r\n\xff\xfe", 30));
        return false;
    case Fault::StallBefore:
        if (!pause(m_shape.stall))
            return false;
        break;
    default:
        break;
    }
    if (!stream) {
        const std::string whole = response(200, "OK", openai ? openaiMessage : anthropicMessage);
        if (fault == Fault::ResetDuring || fault == Fault::Truncated
            || fault == Fault::GarbageDuring) {
            sendAll(fd, std::string_view(whole).substr(0, whole.size() / 2));
            if (fault == Fault::GarbageDuring)
                sendAll(fd, "\x01garbage{{{");
            if (fault == Fault::ResetDuring)
                reset(fd);
            return false;
        }
        if (fault == Fault::StallDuring) {
            const std::size_t half = whole.size() / 2;
            return sendAll(fd, std::string_view(whole).substr(0, half)) && pause(m_shape.stall)
                && sendAll(fd, std::string_view(whole).substr(half));
        }
        return sendAll(fd, whole);
    }

    if (!sendAll(fd, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                     "cache-control: no-cache\r\nrequest-id: req_soak\r\n"
                     "transfer-encoding: chunked\r\n\r\n"))
        return false;
    const std::vector<std::string> events = streamEvents(openai, m_shape.deltas);
    const std::size_t cut = 2 + rng()() % (events.size() - 3); // after some content
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (i == cut) {
            switch (fault) {
            case Fault::ResetDuring:
                reset(fd);
                return false;
            case Fault::Truncated:
                sendAll(fd, "0\r\n\r\n"); // a clean end of the body, without the last events
                return false;
            case Fault::StallDuring:
                if (!pause(m_shape.stall))
                    return false;
                break;
            case Fault::GarbageDuring: {
                std::string garbage;
                appendChunk(garbage, openai ? "data: {\"choices\":[{\"delta\":\x01\xff\n\n"
                                            : "event: content_block_delta\ndata: {\"type\x01\n\n");
                if (!sendAll(fd, garbage))
                    return false;
                break;
            }
            default:
                break;
            }
        }
        if (i > 0 && !pause(m_shape.interval))
            return false;
        if (!sendAll(fd, events[i]))
            return false;
    }
    return sendAll(fd, "0\r\n\r\n");
}
