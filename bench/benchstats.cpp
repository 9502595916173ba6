// SPDX-License-Identifier: GPL-3.0-or-later
#include "benchstats.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <ctime>
#include <numeric>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Bench {

qint64 nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void sleepUntilNs(qint64 deadlineNs)
{
    timespec ts {};
    ts.tv_sec = time_t(deadlineNs / 1'000'000'000);
    ts.tv_nsec = long(deadlineNs % 1'000'000'000);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) { }
}

Percentiles percentiles(std::vector<double> samples)
{
    Percentiles p;
    p.count = qsizetype(samples.size());
    if (samples.empty())
        return p;
    std::sort(samples.begin(), samples.end());
    // Nearest rank: the smallest sample with at least q of the samples at or below it.
    auto rank = [&](double q) {
        const auto index = std::size_t(std::ceil(q * double(samples.size()))) - 1;
        return samples[std::min(index, samples.size() - 1)];
    };
    p.p50 = rank(0.50);
    p.p90 = rank(0.90);
    p.p99 = rank(0.99);
    p.max = samples.back();
    p.mean = std::accumulate(samples.cbegin(), samples.cend(), 0.0) / double(samples.size());
    return p;
}

MemoryUse memoryOf(qint64 pid)
{
    MemoryUse use;
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return use;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        // "VmRSS:	   12345 kB"
        auto value = [&line] { return line.mid(6).trimmed().split(' ').constFirst().toLongLong(); };
        if (line.startsWith("VmRSS:"))
            use.rssKb = value();
        else if (line.startsWith("VmHWM:"))
            use.hwmKb = value();
        else if (line.startsWith("RssAnon:"))
            use.anonKb = line.mid(8).trimmed().split(' ').constFirst().toLongLong();
        else if (line.startsWith("Threads:"))
            use.threads = int(line.mid(8).trimmed().toLongLong());
    }
    return use;
}

double CpuUse::totalUs() const
{
    return std::accumulate(byThreadUs.cbegin(), byThreadUs.cend(), 0.0);
}

CpuUse CpuUse::operator-(const CpuUse &earlier) const
{
    CpuUse difference = *this;
    for (auto it = earlier.byThreadUs.cbegin(); it != earlier.byThreadUs.cend(); ++it)
        difference.byThreadUs[it.key()] -= it.value();
    return difference;
}

CpuUse &CpuUse::operator+=(const CpuUse &other)
{
    for (auto it = other.byThreadUs.cbegin(); it != other.byThreadUs.cend(); ++it)
        byThreadUs[it.key()] += it.value();
    return *this;
}

CpuUse cpuOf(qint64 pid)
{
    static const double usPerTick = 1e6 / double(sysconf(_SC_CLK_TCK));
    CpuUse use;
    const QString taskDir = u"/proc/%1/task"_s.arg(pid);
    const QStringList tasks = QDir(taskDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &task : tasks) {
        QFile stat(taskDir + u'/' + task + u"/stat"_s);
        if (!stat.open(QIODevice::ReadOnly))
            continue; // the thread just ended
        // "TID (COMM) STATE ...": utime and stime are fields 14 and 15, 12 and 13 after ')'.
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('(');
        const qsizetype close = line.lastIndexOf(')');
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (open < 0 || close < open || fields.size() < 13)
            continue;
        const QString name = QString::fromUtf8(line.mid(open + 1, close - open - 1));
        use.byThreadUs[name]
            += double(fields[11].toLongLong() + fields[12].toLongLong()) * usPerTick;
    }
    return use;
}

QString loadAverage()
{
    QFile file(u"/proc/loadavg"_s);
    if (!file.open(QIODevice::ReadOnly))
        return u"unknown"_s;
    const QList<QByteArray> fields = file.readAll().split(' ');
    return fields.size() >= 3 ? QString::fromLatin1(fields[0] + ' ' + fields[1] + ' ' + fields[2])
                              : u"unknown"_s;
}

RssSampler::~RssSampler()
{
    stop();
}

void RssSampler::start(qint64 pid, int intervalMs)
{
    stop();
    m_stopping = false;
    m_thread = std::thread([this, pid, intervalMs] {
        const qint64 stepNs = qint64(intervalMs) * 1'000'000;
        qint64 next = nowNs();
        while (!m_stopping.load()) {
            const MemoryUse use = memoryOf(pid);
            if (use.rssKb > m_peakKb.load())
                m_peakKb = use.rssKb;
            if (use.anonKb > m_peakAnonKb.load())
                m_peakAnonKb = use.anonKb;
            if (use.threads > m_peakThreads.load())
                m_peakThreads = use.threads;
            ++m_samples;
            next += stepNs;
            sleepUntilNs(next);
        }
    });
}

void RssSampler::stop()
{
    m_stopping = true;
    if (m_thread.joinable())
        m_thread.join();
}

} // namespace Bench
