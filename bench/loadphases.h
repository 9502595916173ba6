// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "httpclient.h"

#include <QByteArray>

#include <chrono>
#include <memory>
#include <vector>

/// Where a phase sends its requests: the gateway or the mock directly.
struct Target
{
    quint16 port = 0;
    QByteArray jsonRequest;
    QByteArray streamRequest;
};

/// Keep-alive connections to one target, opened (and used once) before any measurement, so
/// that no phase times the gateway accepting a connection.
class ConnectionPool final
{
public:
    ConnectionPool(const Target &target, int size);
    Q_DISABLE_COPY_MOVE(ConnectionPool)

    const Target &target() const { return m_target; }
    int size() const { return int(m_connections.size()); }
    HttpConnection &at(int i) { return *m_connections[std::size_t(i)]; }
    /// Connections that could not be opened or warmed.
    int failures() const { return m_failures; }

private:
    Target m_target;
    std::vector<std::unique_ptr<HttpConnection>> m_connections;
    int m_failures = 0;
};

/// Latencies of one connection, gateway and direct requests taken in turns.
struct PairedLatency
{
    std::vector<double> directUs;
    std::vector<double> gatewayUs;
    int errors = 0;
};

/// Alternates a request to each target on one keep-alive connection each, `warmUp` pairs
/// unmeasured then up to `count` pairs, stopping early at `deadlineNs`.
PairedLatency measureLatency(const Target &direct, const Target &gateway, int warmUp, int count,
                             qint64 deadlineNs);

/// Requests answered by `connections` keep-alive connections at full speed.
struct LoadResult
{
    qint64 requests = 0;
    qint64 errors = 0;
    double seconds = 0;
    std::vector<double> latencyUs;

    double perSecond() const { return seconds > 0 ? double(requests) / seconds : 0; }
    void add(const LoadResult &other);
};

/// Every connection of the pool at full speed, for `duration` or `maxRequests`, whichever
/// ends first.
LoadResult measureThroughput(ConnectionPool &pool, std::chrono::milliseconds duration,
                             qint64 maxRequests);

/// Streams and their events, each event's delay from the mock's write to the client's read.
struct StreamResult
{
    int streams = 0;
    int failures = 0; ///< streams that broke or lost events
    std::vector<double> ttfbUs; ///< request written → first response byte
    std::vector<double> eventDelayUs;

    void add(const StreamResult &other);
};

/// One stream on each of the pool's first `concurrent` connections. Stream i starts at
/// i × `step`; a step that is not a multiple of the mock's interval spreads the events
/// as a steady flow rather than bursts.
StreamResult measureStreams(ConnectionPool &pool, int concurrent, int eventsPerStream,
                            std::chrono::microseconds step);
