// SPDX-License-Identifier: GPL-3.0-or-later
// sb-bench: what the gateway adds to a request, measured against the mock upstream hit
// directly in the same run (see bench/README.md). bench/run builds and starts it.
#include "benchreport.h"
#include "benchstats.h"
#include "gatewayprocess.h"
#include "httpclient.h"
#include "loadphases.h"
#include "mockupstream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <QThread>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <numeric>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

std::atomic<qint64> g_gatewayPid {0};

// Everything must stop by itself: past the limit, kill the gateway and leave.
void startWatchdog(int seconds)
{
    std::thread([seconds] {
        const qint64 deadline = Bench::nowNs() + qint64(seconds) * 1'000'000'000;
        Bench::sleepUntilNs(deadline);
        if (const qint64 pid = g_gatewayPid.load())
            ::kill(pid_t(pid), SIGKILL);
        const char message[] = "sb-bench: time limit reached, stopping\n";
        [[maybe_unused]] const auto written = ::write(STDERR_FILENO, message, sizeof message - 1);
        std::_Exit(3);
    }).detach();
}

struct Options
{
    QString program;
    QStringList wrapper;
    QStringList phases;
    int requests = 2000;
    int warmUp = 200;
    int connections = 64;
    double seconds = 2.0;
    int rounds = 3;
    int streams = 50;
    int singleStreams = 10;
    int streamRounds = 3;
    int deltas = 20;
    int intervalUs = 20000;
    int promptBytes = 0;
    int largeBodyBytes = 64 * 1024;
    int largeRequests = 100;
    int timeLimit = 170;
};

std::optional<Options> parseOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Measures what the Switchboard gateway adds to a request, against its mock upstream "
        "hit directly in the same run."_s);
    parser.addHelpOption();
    const QList<QCommandLineOption> options = {
        {u"switchboard"_s, u"The switchboard executable."_s, u"PATH"_s,
         QStringLiteral(SB_BENCH_SWITCHBOARD)},
        {u"phases"_s, u"Comma-separated: latency,throughput,stream (default: all)."_s, u"LIST"_s,
         u"latency,throughput,stream"_s},
        {u"requests"_s, u"Measured requests per side at 1 connection."_s, u"N"_s, u"2000"_s},
        {u"connections"_s, u"Connections of the throughput phase."_s, u"N"_s, u"64"_s},
        {u"seconds"_s, u"Seconds per throughput round and side."_s, u"S"_s, u"2"_s},
        {u"rounds"_s, u"Throughput rounds (direct and gateway in turns)."_s, u"N"_s, u"3"_s},
        {u"streams"_s, u"Concurrent streams of the streaming phase."_s, u"N"_s, u"50"_s},
        {u"events"_s, u"Text deltas per stream."_s, u"N"_s, u"20"_s},
        {u"interval-us"_s, u"Microseconds between the mock's events."_s, u"US"_s, u"20000"_s},
        {u"prompt-bytes"_s, u"A system prompt of this size in every request."_s, u"N"_s, u"0"_s},
        {u"large-body-bytes"_s,
         u"Also time requests with a system prompt this large, and answers with this much "
         "text (0: do not)."_s,
         u"N"_s, u"65536"_s},
        {u"gateway-wrapper"_s, u"Run the gateway under this command (e.g. valgrind ...)."_s,
         u"CMD"_s},
        {u"time-limit"_s, u"Seconds before everything is stopped."_s, u"S"_s, u"170"_s},
    };
    parser.addOptions(options);
    parser.process(app);

    Options o;
    o.program = parser.value(u"switchboard"_s);
    o.phases = parser.value(u"phases"_s).split(u',', Qt::SkipEmptyParts);
    o.wrapper = parser.value(u"gateway-wrapper"_s).split(u' ', Qt::SkipEmptyParts);
    bool ok = true;
    auto number = [&](const QString &name, int &into, int minimum) {
        bool good = false;
        into = parser.value(name).toInt(&good);
        ok = ok && good && into >= minimum;
    };
    number(u"requests"_s, o.requests, 1);
    number(u"connections"_s, o.connections, 1);
    number(u"rounds"_s, o.rounds, 1);
    number(u"streams"_s, o.streams, 1);
    number(u"events"_s, o.deltas, 1);
    number(u"interval-us"_s, o.intervalUs, 100);
    number(u"time-limit"_s, o.timeLimit, 10);
    number(u"prompt-bytes"_s, o.promptBytes, 0);
    number(u"large-body-bytes"_s, o.largeBodyBytes, 0);
    o.seconds = parser.value(u"seconds"_s).toDouble();
    o.warmUp = std::min(200, o.requests / 10 + 10);
    if (!ok || o.seconds <= 0) {
        QTextStream(stderr) << "sb-bench: bad option value; see --help\n";
        return std::nullopt;
    }
    return o;
}

// Streams start `interval` × m / n apart with m coprime to n: n streams then write at n
// distinct phases of the interval (a steady flow, not bursts), and all have started
// after m intervals, early in a stream of 20 or so.
std::chrono::microseconds streamStep(int intervalUs, int streams)
{
    int m = 7;
    while (std::gcd(m, streams) != 1)
        ++m;
    return std::chrono::microseconds(qint64(intervalUs) * m / streams);
}

bool waitUntilServing(const Target &gateway, int timeoutMs)
{
    const qint64 deadline = Bench::nowNs() + qint64(timeoutMs) * 1'000'000;
    HttpConnection connection(gateway.port);
    while (Bench::nowNs() < deadline) {
        // 503 while the account's key is still being read.
        const HttpConnection::Response r = connection.exchange(gateway.jsonRequest);
        if (r.ok && r.status == 200)
            return true;
        QThread::msleep(50);
    }
    return false;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const std::optional<Options> options = parseOptions(app);
    if (!options)
        return 2;
    const Options &o = *options;
    startWatchdog(o.timeLimit);
    QTextStream out(stdout);
    auto wants = [&](const QString &phase) { return o.phases.contains(phase); };

    Report report;
    report.loadStart = Bench::loadAverage();
    report.cpus = int(std::thread::hardware_concurrency());

    MockUpstream mock(
        {o.deltas, std::chrono::microseconds(o.intervalUs), std::max(1, o.largeBodyBytes)});
    if (!mock.start()) {
        QTextStream(stderr) << "sb-bench: the mock upstream cannot listen\n";
        return 1;
    }
    GatewayProcess gateway(o.program, o.wrapper);
    if (!gateway.setUp(mock.port()) || !gateway.start(o.wrapper.isEmpty() ? 20000 : 60000)) {
        QTextStream(stderr) << "sb-bench: " << gateway.error() << '\n';
        return 1;
    }
    g_gatewayPid = gateway.pid();
    const Target direct {mock.port(), messagesRequest(mock.port(), {}, false, o.promptBytes),
                         messagesRequest(mock.port(), {}, true, o.promptBytes)};
    const QByteArray key = gateway.accessKey();
    const Target viaGateway {gateway.port(),
                             messagesRequest(gateway.port(), key, false, o.promptBytes),
                             messagesRequest(gateway.port(), key, true, o.promptBytes)};
    report.promptBytes = o.promptBytes;
    out << "mock upstream on 127.0.0.1:" << mock.port() << ", gateway (pid " << gateway.pid()
        << ") on 127.0.0.1:" << gateway.port() << Qt::endl;
    if (!waitUntilServing(viaGateway, 20000)) {
        QTextStream(stderr) << "sb-bench: the gateway does not relay requests: "
                            << gateway.errorOutput() << '\n';
        return 1;
    }
    QThread::msleep(500);
    report.idle = Bench::memoryOf(gateway.pid());
    Bench::RssSampler sampler;
    sampler.start(gateway.pid(), 20);
    // Keep-alive connections for the throughput and streaming phases, opened up front.
    const int poolSize
        = std::max(wants(u"throughput"_s) ? o.connections : 1, wants(u"stream"_s) ? o.streams : 1);
    ConnectionPool directPool(direct, poolSize);
    ConnectionPool gatewayPool(viaGateway, poolSize);
    report.poolFailures = directPool.failures() + gatewayPool.failures();

    if (wants(u"latency"_s)) {
        out << "latency: " << o.requests << " requests per side, 1 connection each, in turns"
            << Qt::endl;
        report.latency = measureLatency(direct, viaGateway, o.warmUp, o.requests,
                                        Bench::nowNs() + 40'000'000'000);
        if (o.largeBodyBytes > 0) {
            // Claude Code's requests carry tens of kilobytes of system prompt and history.
            out << "latency: " << o.largeRequests << " requests per side with a "
                << o.largeBodyBytes << "-byte system prompt" << Qt::endl;
            const Target largeDirect {
                mock.port(), messagesRequest(mock.port(), {}, false, o.largeBodyBytes), {}};
            const Target largeGateway {
                gateway.port(), messagesRequest(gateway.port(), key, false, o.largeBodyBytes), {}};
            report.latencyLarge = measureLatency(largeDirect, largeGateway, 5, o.largeRequests,
                                                 Bench::nowNs() + 15'000'000'000);
            report.largeBodyBytes = o.largeBodyBytes;
            out << "latency: " << o.largeRequests << " requests per side with a "
                << o.largeBodyBytes << "-byte answer" << Qt::endl;
            const QByteArray model = MockUpstream::largeResponseModel;
            const Target bigDirect {
                mock.port(), messagesRequest(mock.port(), {}, false, 0, model), {}};
            const Target bigGateway {
                gateway.port(), messagesRequest(gateway.port(), key, false, 0, model), {}};
            report.latencyLargeResponse = measureLatency(bigDirect, bigGateway, 5, o.largeRequests,
                                                         Bench::nowNs() + 15'000'000'000);
        }
    }
    if (wants(u"throughput"_s)) {
        out << "throughput: " << o.connections << " connections, " << o.rounds << " × " << o.seconds
            << " s per side" << Qt::endl;
        const auto round = std::chrono::milliseconds(qint64(o.seconds * 1000));
        constexpr qint64 cap = 2'000'000;
        measureThroughput(gatewayPool, 500ms, cap); // fills the gateway's upstream pool
        measureThroughput(directPool, 200ms, cap);
        for (int r = 0; r < o.rounds; ++r) {
            report.loadDirect.add(measureThroughput(directPool, round, cap));
            const Bench::CpuUse before = Bench::cpuOf(gateway.pid());
            report.loadGateway.add(measureThroughput(gatewayPool, round, cap));
            report.cpuLoad += Bench::cpuOf(gateway.pid()) - before;
        }
    }
    if (wants(u"stream"_s)) {
        const int events = mock.eventsPerStream();
        const std::chrono::microseconds step = streamStep(o.intervalUs, o.streams);
        out << "streaming: " << events << " events " << o.intervalUs << " µs apart; "
            << o.singleStreams << " single streams and " << o.streamRounds << " rounds of "
            << o.streams << " (started " << step.count() << " µs apart) per side" << Qt::endl;
        for (int i = 0; i < o.singleStreams; ++i) {
            report.streamDirect1.add(measureStreams(directPool, 1, events, 0us));
            report.streamGateway1.add(measureStreams(gatewayPool, 1, events, 0us));
        }
        for (int r = 0; r < o.streamRounds; ++r) {
            report.streamDirectN.add(measureStreams(directPool, o.streams, events, step));
            const Bench::CpuUse before = Bench::cpuOf(gateway.pid());
            report.streamGatewayN.add(measureStreams(gatewayPool, o.streams, events, step));
            report.cpuStreams += Bench::cpuOf(gateway.pid()) - before;
        }
        report.concurrentStreams = o.streams;
    }

    sampler.stop();
    report.peak = Bench::memoryOf(gateway.pid());
    report.peakSampledKb = sampler.peakKb();
    report.rssSamples = sampler.samples();
    report.peakThreads = sampler.peakThreads();
    report.peakAnonKb = sampler.peakAnonKb();
    report.connections = o.connections;
    report.mockRequests = mock.requestsServed();
    const QString gatewayErrors = gateway.errorOutput();
    gateway.stop(o.wrapper.isEmpty() ? 10000 : 60000);
    g_gatewayPid = 0;
    mock.stop();
    report.loadEnd = Bench::loadAverage();

    report.print(out);
    if (report.errors() > 0 && !gatewayErrors.isEmpty())
        out << "\ngateway stderr (end):\n" << gatewayErrors << Qt::endl;
    return report.errors() > 0 ? 1 : 0;
}
