// SPDX-License-Identifier: GPL-3.0-or-later
// sb-soak: the real `switchboard --headless` under STREAMS concurrent clients for SECONDS,
// in front of an upstream that injects faults at random (SoakUpstream) while clients drop
// connections at random (SoakClient). Passes when every request ended in a success or a
// well-formed Anthropic error, the gateway's RSS at the end is within 10 % of what it was
// after the warm-up, and it holds no more descriptors than then. bench/soak builds and
// starts it.
//
// Usage: sb-soak [SECONDS] [STREAMS]   (default 600 s, 200 streams)
#include "benchstats.h"
#include "gatewayprocess.h"
#include "soakclient.h"
#include "soakupstream.h"

#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

#include <csignal>
#include <memory>
#include <thread>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

/// The gateway's open descriptors, and how many of them are sockets.
struct Descriptors
{
    int total = 0;
    int sockets = 0;
};

Descriptors descriptorsOf(qint64 pid)
{
    Descriptors d;
    const QString dir = u"/proc/%1/fd"_s.arg(pid);
    for (const QString &entry : QDir(dir).entryList(QDir::System | QDir::NoDotAndDotDot)) {
        char target[256];
        const QByteArray path = QFile::encodeName(dir + u'/' + entry);
        const ssize_t n = ::readlink(path.constData(), target, sizeof target);
        ++d.total;
        d.sockets += n > 0 && QByteArrayView(target, n).startsWith("socket:");
    }
    return d;
}

/// Stops the clients between requests, waits until none is in flight, and gives the
/// gateway time to close what they and the upstream closed.
void quiesce(std::atomic<bool> &pause, const std::atomic<int> &inFlight)
{
    pause = true;
    while (inFlight.load() > 0)
        std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(3s); // the upstream closes connections idle for 1 s
}

bool configure(GatewayProcess &gateway, quint16 upstreamPort)
{
    const QString base = u"http://127.0.0.1:%1"_s.arg(upstreamPort);
    const QList<QStringList> commands = {
        {u"accounts"_s, u"add"_s, u"--name"_s, u"second"_s, u"--base-url"_s, base},
        {u"accounts"_s, u"add"_s, u"--name"_s, u"openai"_s, u"--provider"_s, u"openai"_s,
         u"--base-url"_s, base + u"/v1"_s, u"--map"_s, u"*=gpt-soak"_s},
        {u"settings"_s, u"set"_s, u"routing.strategy"_s, u"round_robin"_s},
        // Stalls (4 s) outlast the upstream timeout; rests end soon, so that accounts come
        // back within the run.
        {u"settings"_s, u"set"_s, u"gateway.upstream_timeout_seconds"_s, u"2"_s},
        {u"settings"_s, u"set"_s, u"cooldown.overloaded_seconds"_s, u"1"_s},
        {u"settings"_s, u"set"_s, u"cooldown.rate_limit_seconds"_s, u"1"_s},
        {u"settings"_s, u"set"_s, u"cooldown.circuit_seconds"_s, u"2"_s},
    };
    QByteArray output;
    for (const QStringList &command : commands) {
        const bool needsKey = command.value(1) == u"add"_s;
        if (!gateway.runCommand(command, needsKey ? "soak-upstream-key\n" : "", output))
            return false;
    }
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const int seconds = args.value(0, u"600"_s).toInt();
    const int streams = args.value(1, u"200"_s).toInt();
    if (seconds < 20 || streams < 1 || args.size() > 2) {
        out() << "usage: sb-soak [SECONDS >= 20] [STREAMS]\n";
        return 2;
    }
    const int warmUp = std::max(10, seconds / 10);

    SoakUpstream upstream({});
    GatewayProcess gateway(QStringLiteral(SB_SOAK_SWITCHBOARD), {});
    if (!upstream.start() || !gateway.setUp(upstream.port())
        || !configure(gateway, upstream.port()) || !gateway.start(30000)) {
        out() << "sb-soak: cannot set up: " << gateway.error() << '\n';
        return 1;
    }
    const qint64 pid = gateway.pid();
    const Descriptors atStart = descriptorsOf(pid);
    out() << "sb-soak: gateway pid " << pid << " on port " << gateway.port() << ", " << streams
          << " clients for " << seconds << " s (warm-up " << warmUp << " s), "
          << Bench::loadAverage() << " load\n"
          << Qt::flush;

    SoakTally tally;
    std::atomic<bool> pause {false}, stop {false};
    std::atomic<int> inFlight {0};
    std::vector<std::unique_ptr<SoakClient>> clients;
    std::vector<std::thread> threads;
    for (int i = 0; i < streams; ++i) {
        clients.push_back(std::make_unique<SoakClient>(gateway.port(), gateway.accessKey(), tally,
                                                       pause, stop, inFlight));
        threads.emplace_back([client = clients.back().get()] { client->run(); });
    }

    std::this_thread::sleep_for(std::chrono::seconds(warmUp));
    quiesce(pause, inFlight);
    const Bench::MemoryUse afterWarmUp = Bench::memoryOf(pid);
    const Descriptors fdsAfterWarmUp = descriptorsOf(pid);
    const quint64 warmUpRequests = tally.total();
    pause = false;

    const auto loadEnd = std::chrono::steady_clock::now() + std::chrono::seconds(seconds - warmUp);
    while (std::chrono::steady_clock::now() < loadEnd) {
        std::this_thread::sleep_for(10s);
        const Bench::MemoryUse now = Bench::memoryOf(pid);
        out() << "  " << tally.total() << " requests, " << tally.bad() << " bad, RSS "
              << now.rssKb / 1024 << " MiB, " << descriptorsOf(pid).total << " fds, "
              << inFlight.load() << " in flight\n"
              << Qt::flush;
    }
    quiesce(pause, inFlight);
    const Bench::MemoryUse atEnd = Bench::memoryOf(pid);
    const Descriptors fdsAtEnd = descriptorsOf(pid);
    stop = true;
    for (std::thread &thread : threads)
        thread.join();
    gateway.stop(10000);
    upstream.stop();

    out() << "\nrequests: " << tally.total() << " (" << warmUpRequests << " in the warm-up)\n";
    const auto counts = tally.counts();
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        out() << "  " << qSetFieldWidth(8) << it.value() << qSetFieldWidth(0) << "  "
              << it.key() << '\n';
    out() << "upstream faults injected:\n";
    for (int f = 0; f < SoakUpstream::faultCount; ++f) {
        const auto fault = SoakUpstream::Fault(f);
        out() << "  " << qSetFieldWidth(8) << upstream.served(fault) << qSetFieldWidth(0) << "  "
              << SoakUpstream::name(fault) << '\n';
    }
    const double growth = 100.0 * double(atEnd.rssKb - afterWarmUp.rssKb) / double(afterWarmUp.rssKb);
    out() << "RSS: " << afterWarmUp.rssKb << " KiB after the warm-up, " << atEnd.rssKb
          << " KiB at the end (" << Qt::forcesign << QString::number(growth, 'f', 1)
          << Qt::noforcesign << " %), peak " << atEnd.hwmKb << " KiB\n";
    out() << "fds: " << atStart.total << " at start, " << fdsAfterWarmUp.total
          << " after the warm-up, " << fdsAtEnd.total << " at the end (" << fdsAtEnd.sockets
          << " sockets)\n";

    bool passed = true;
    if (tally.bad() > 0) {
        out() << "FAIL: " << tally.bad() << " requests without a success or a well-formed error\n";
        passed = false;
    }
    if (growth > 10.0) {
        out() << "FAIL: RSS grew by more than 10 % after the warm-up\n";
        passed = false;
    }
    if (fdsAtEnd.total > fdsAfterWarmUp.total) {
        out() << "FAIL: the gateway holds more descriptors than after the warm-up\n";
        passed = false;
    }
    if (tally.counts().value("ok") == 0) {
        out() << "FAIL: no request succeeded\n";
        passed = false;
    }
    if (!passed)
        out() << "gateway's standard error (end):\n" << gateway.errorOutput() << '\n';
    out() << (passed ? "PASS\n" : "") << Qt::flush;
    return passed ? 0 : 1;
}
