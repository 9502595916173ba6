// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

/// The baseline upstream: a minimal HTTP/1.1 server on 127.0.0.1, one thread per connection
/// with blocking sockets and TCP_NODELAY, so that a request costs it next to nothing. It
/// answers `POST /v1/messages` with a fixed Anthropic message, or, when the body asks for
/// `"stream":true`, with an SSE stream paced at a fixed interval whose every event carries
/// `"t":NS`, the CLOCK_MONOTONIC time the mock wrote it: a client tells each event's delay
/// without any other bookkeeping. `GET /v1/models` (the gateway's validation) and
/// `/v1/messages/count_tokens` get fixed answers too, and a request for the model
/// `largeResponseModel` a message with `largeResponseBytes` of text. Keep-alive; never
/// closes first.
class MockUpstream final
{
public:
    struct StreamShape
    {
        int deltas = 20; ///< content_block_delta events per stream
        std::chrono::microseconds interval {10000}; ///< between events
        int largeResponseBytes = 64 * 1024;
    };

    static constexpr const char *largeResponseModel = "claude-bench-large-response";

    explicit MockUpstream(StreamShape shape);
    ~MockUpstream();
    Q_DISABLE_COPY_MOVE(MockUpstream)

    /// Listens on 127.0.0.1 on a port the system picks.
    bool start();
    /// Closes every connection and joins every thread.
    void stop();
    quint16 port() const { return m_port; }
    quint64 requestsServed() const { return m_requests.load(); }
    /// Events a stream has: message_start, content_block_start, the deltas,
    /// content_block_stop, message_delta, message_stop.
    int eventsPerStream() const { return m_shape.deltas + 5; }

private:
    void acceptLoop();
    void serve(int fd);
    bool answerStream(int fd);
    void forget(int fd);

    StreamShape m_shape;
    int m_listenFd = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping {false};
    std::atomic<quint64> m_requests {0};
    std::thread m_acceptor;
    std::mutex m_mutex; // guards m_open and m_workers
    std::vector<int> m_open; // connections not yet closed
    std::vector<std::thread> m_workers;
};
