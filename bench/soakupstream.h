// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

/// The soak's upstream: a minimal HTTP/1.1 server on 127.0.0.1 (one thread per connection,
/// blocking sockets) speaking Anthropic Messages (`/v1/messages`) and OpenAI Chat
/// Completions (`/v1/chat/completions`), streaming or not, that answers each request with a
/// fault drawn at random: resets before or during the answer, 429 with `retry-after: 1`,
/// 529, 500, stalls longer than the gateway's upstream timeout, garbage instead of a
/// response or inside a stream, and streams cut short. Connections idle for a second are
/// closed, so an idle gateway holds no upstream sockets. Validation (`GET /v1/models`)
/// always succeeds.
class SoakUpstream final
{
public:
    enum class Fault {
        None,
        ResetBefore, ///< RST instead of an answer
        ResetDuring, ///< RST after part of the stream (or of the body)
        RateLimited, ///< 429 rate_limit_error, retry-after: 1
        Overloaded, ///< 529 overloaded_error
        ServerError, ///< 500 api_error
        StallBefore, ///< no answer for `stall`
        StallDuring, ///< the stream stops for `stall` after its first events
        GarbageHead, ///< bytes that are not HTTP
        GarbageDuring, ///< an SSE event whose data is not JSON, then the rest
        Truncated, ///< the stream ends (FIN) before its last events
    };
    static constexpr int faultCount = int(Fault::Truncated) + 1;
    static const char *name(Fault fault);

    struct Shape
    {
        int deltas = 8; ///< text deltas per stream
        std::chrono::milliseconds interval {40}; ///< between stream events
        std::chrono::milliseconds stall {4000}; ///< more than the gateway's upstream timeout
        int faultPercent = 30; ///< requests that get a fault, spread evenly over the kinds
    };

    explicit SoakUpstream(Shape shape);
    ~SoakUpstream();
    Q_DISABLE_COPY_MOVE(SoakUpstream)

    bool start();
    /// Closes every connection and joins every thread.
    void stop();
    quint16 port() const { return m_port; }
    quint64 served(Fault fault) const { return m_served[size_t(fault)].load(); }

private:
    void acceptLoop();
    void serve(int fd);
    Fault draw();
    /// Answers one message request; false when the connection must close.
    bool answer(int fd, bool openai, bool stream, Fault fault);
    void forget(int fd);

    Shape m_shape;
    int m_listenFd = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stopping {false};
    std::array<std::atomic<quint64>, faultCount> m_served {};
    std::atomic<quint64> m_draws {0};
    std::thread m_acceptor;
    std::mutex m_mutex; // guards m_open
    std::condition_variable m_idle; // m_open got smaller
    std::vector<int> m_open; // one per connection and its (detached) thread

};
