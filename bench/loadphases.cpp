// SPDX-License-Identifier: GPL-3.0-or-later
#include "loadphases.h"

#include "benchstats.h"

#include <atomic>
#include <barrier>
#include <memory>
#include <mutex>
#include <thread>

namespace {

double elapsedUs(const HttpConnection::Response &r)
{
    return double(r.doneNs - r.sentNs) / 1000.0;
}

} // namespace

ConnectionPool::ConnectionPool(const Target &target, int size)
    : m_target(target)
{
    for (int i = 0; i < size; ++i) {
        auto connection = std::make_unique<HttpConnection>(target.port);
        const HttpConnection::Response r = connection->exchange(target.jsonRequest);
        if (!r.ok || r.status != 200)
            ++m_failures;
        m_connections.push_back(std::move(connection));
    }
}

PairedLatency measureLatency(const Target &direct, const Target &gateway, int warmUp, int count,
                             qint64 deadlineNs)
{
    PairedLatency result;
    result.directUs.reserve(std::size_t(count));
    result.gatewayUs.reserve(std::size_t(count));
    HttpConnection toDirect(direct.port);
    HttpConnection toGateway(gateway.port);
    auto once
        = [&](HttpConnection &connection, const Target &target, std::vector<double> *samples) {
              const HttpConnection::Response r = connection.exchange(target.jsonRequest);
              if (!r.ok || r.status != 200)
                  ++result.errors;
              else if (samples)
                  samples->push_back(elapsedUs(r));
          };
    for (int i = 0; i < warmUp + count && Bench::nowNs() < deadlineNs; ++i) {
        const bool measured = i >= warmUp;
        // Take turns at going first, so neither side always follows the other.
        if (i % 2 == 0) {
            once(toDirect, direct, measured ? &result.directUs : nullptr);
            once(toGateway, gateway, measured ? &result.gatewayUs : nullptr);
        } else {
            once(toGateway, gateway, measured ? &result.gatewayUs : nullptr);
            once(toDirect, direct, measured ? &result.directUs : nullptr);
        }
    }
    return result;
}

void LoadResult::add(const LoadResult &other)
{
    requests += other.requests;
    errors += other.errors;
    seconds += other.seconds;
    latencyUs.insert(latencyUs.end(), other.latencyUs.cbegin(), other.latencyUs.cend());
}

LoadResult measureThroughput(ConnectionPool &pool, std::chrono::milliseconds duration,
                             qint64 maxRequests)
{
    const int connections = pool.size();
    std::atomic<bool> stopping {false};
    std::atomic<qint64> started {0};
    std::atomic<qint64> answered {0};
    std::atomic<qint64> errors {0};
    std::mutex mutex;
    LoadResult result;
    std::barrier ready(connections + 1);

    std::vector<std::thread> threads;
    threads.reserve(std::size_t(connections));
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            HttpConnection &connection = pool.at(c);
            const QByteArray &request = pool.target().jsonRequest;
            std::vector<double> latencies;
            latencies.reserve(
                std::size_t(std::min<qint64>(maxRequests / connections + 1, 1 << 20)));
            ready.arrive_and_wait();
            while (!stopping.load(std::memory_order_relaxed)
                   && started.fetch_add(1, std::memory_order_relaxed) < maxRequests) {
                const HttpConnection::Response r = connection.exchange(request);
                if (!r.ok || r.status != 200) {
                    ++errors;
                    if (!connection.isOpen() && !connection.open())
                        break;
                    continue;
                }
                ++answered;
                latencies.push_back(elapsedUs(r));
            }
            const std::lock_guard lock(mutex);
            result.latencyUs.insert(result.latencyUs.end(), latencies.cbegin(), latencies.cend());
        });
    }
    ready.arrive_and_wait();
    const qint64 begin = Bench::nowNs();
    const qint64 deadline = begin + qint64(duration.count()) * 1'000'000;
    while (Bench::nowNs() < deadline && started.load() < maxRequests)
        Bench::sleepUntilNs(std::min(deadline, Bench::nowNs() + 10'000'000));
    stopping = true;
    for (std::thread &thread : threads)
        thread.join();
    result.seconds = double(Bench::nowNs() - begin) / 1e9;
    result.requests = answered.load();
    result.errors = errors.load();
    return result;
}

void StreamResult::add(const StreamResult &other)
{
    streams += other.streams;
    failures += other.failures;
    ttfbUs.insert(ttfbUs.end(), other.ttfbUs.cbegin(), other.ttfbUs.cend());
    eventDelayUs.insert(eventDelayUs.end(), other.eventDelayUs.cbegin(), other.eventDelayUs.cend());
}

StreamResult measureStreams(ConnectionPool &pool, int concurrent, int eventsPerStream,
                            std::chrono::microseconds step)
{
    concurrent = std::min(concurrent, pool.size());
    StreamResult result;
    std::mutex mutex;
    std::barrier ready(concurrent + 1);
    const qint64 begin = Bench::nowNs() + 2'000'000; // once every thread is waiting
    std::vector<std::thread> threads;
    threads.reserve(std::size_t(concurrent));
    for (int s = 0; s < concurrent; ++s) {
        threads.emplace_back([&, s] {
            HttpConnection &connection = pool.at(s);
            ready.arrive_and_wait();
            Bench::sleepUntilNs(begin + step.count() * 1000 * s);
            StreamResult mine;
            mine.streams = 1;
            SseDelays delays;
            const HttpConnection::Response r = connection.exchange(
                pool.target().streamRequest,
                [&delays](QByteArrayView data, qint64 at) { delays.feed(data, at); });
            if (r.ok && r.status == 200)
                mine.ttfbUs.push_back(double(r.firstByteNs - r.sentNs) / 1000.0);
            mine.eventDelayUs = delays.delaysUs();
            if (!r.ok || r.status != 200 || delays.events() != eventsPerStream)
                mine.failures = 1;
            const std::lock_guard lock(mutex);
            result.add(mine);
        });
    }
    ready.arrive_and_wait();
    for (std::thread &thread : threads)
        thread.join();
    return result;
}
