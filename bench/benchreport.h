// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "benchstats.h"
#include "loadphases.h"

#include <QString>

class QTextStream;

/// Everything one run measured, and the table that compares it with the first targets.
struct Report
{
    QString loadStart;
    QString loadEnd;
    int cpus = 0;
    int connections = 0;
    int concurrentStreams = 0;
    quint64 mockRequests = 0;

    PairedLatency latency;
    PairedLatency latencyLarge; ///< requests with a large system prompt
    PairedLatency latencyLargeResponse; ///< requests answered with a large message
    int largeBodyBytes = 0;
    LoadResult loadDirect;
    LoadResult loadGateway;
    StreamResult streamDirect1;
    StreamResult streamGateway1;
    StreamResult streamDirectN;
    StreamResult streamGatewayN;

    Bench::CpuUse cpuLoad; ///< the gateway's CPU time during the throughput rounds
    Bench::CpuUse cpuStreams; ///< the gateway's CPU time during the concurrent-stream rounds
    int promptBytes = 0;

    Bench::MemoryUse idle;
    Bench::MemoryUse peak; ///< at the end of the load (VmHWM is the peak since start)
    qint64 peakSampledKb = -1; ///< the highest VmRSS sampled during the load
    int rssSamples = 0;
    int peakThreads = -1;
    qint64 peakAnonKb = -1;
    int poolFailures = 0; ///< keep-alive connections that could not be opened

    /// Failed requests and broken streams, on either side.
    qint64 errors() const;
    void print(QTextStream &out) const;

private:
    void printDetails(QTextStream &out) const;
    void printCpu(QTextStream &out) const;
    void printTable(QTextStream &out) const;
};
