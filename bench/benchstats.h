// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMap>
#include <QString>

#include <atomic>
#include <thread>
#include <vector>

namespace Bench {

/// CLOCK_MONOTONIC in nanoseconds: one clock for the mock, the client and every process
/// on this machine, so a time written by the mock can be compared with one read by the
/// client.
qint64 nowNs();
/// Sleeps until a CLOCK_MONOTONIC time (absolute, so a late wake-up does not drift).
void sleepUntilNs(qint64 deadlineNs);

/// Order statistics of a sample set, in the samples' own unit.
struct Percentiles
{
    qsizetype count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double mean = 0;
    double max = 0;
};

Percentiles percentiles(std::vector<double> samples);

/// Memory of a process from /proc/PID/status, in KiB (-1 when unreadable).
struct MemoryUse
{
    qint64 rssKb = -1; ///< VmRSS: resident now
    qint64 hwmKb = -1; ///< VmHWM: the most it was ever resident
    qint64 anonKb = -1; ///< RssAnon: the private part of VmRSS (the rest is mostly libraries)
    int threads = -1;
};

MemoryUse memoryOf(qint64 pid);

/// CPU time a process has used, per thread name (threads of one name added up), in µs.
struct CpuUse
{
    QMap<QString, double> byThreadUs;

    double totalUs() const;
    CpuUse operator-(const CpuUse &earlier) const;
    CpuUse &operator+=(const CpuUse &other);
};

CpuUse cpuOf(qint64 pid);

/// The first three fields of /proc/loadavg.
QString loadAverage();

/// Samples a process's VmRSS on its own thread and keeps the maximum.
class RssSampler final
{
public:
    RssSampler() = default;
    ~RssSampler();
    Q_DISABLE_COPY_MOVE(RssSampler)

    void start(qint64 pid, int intervalMs);
    void stop();
    qint64 peakKb() const { return m_peakKb.load(); }
    int samples() const { return m_samples.load(); }
    int peakThreads() const { return m_peakThreads.load(); }
    qint64 peakAnonKb() const { return m_peakAnonKb.load(); }

private:
    std::thread m_thread;
    std::atomic<bool> m_stopping {false};
    std::atomic<qint64> m_peakKb {-1};
    std::atomic<int> m_samples {0};
    std::atomic<int> m_peakThreads {-1};
    std::atomic<qint64> m_peakAnonKb {-1};
};

} // namespace Bench
