// SPDX-License-Identifier: GPL-3.0-or-later
#include "benchreport.h"

#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

constexpr double addedLatencyTargetUs = 300;
constexpr double throughputTarget = 3000;
constexpr double eventDelayTargetUs = 500;
constexpr double idleRssTargetMb = 30;
constexpr double peakRssTargetMb = 60;

QString us(double value)
{
    return QString::number(value, 'f', 0) + u" µs"_s;
}

QString signedUs(double value)
{
    return (value >= 0 ? u"+"_s : QString()) + us(value);
}

QString mb(qint64 kb)
{
    return kb < 0 ? u"?"_s : QString::number(double(kb) / 1024.0, 'f', 1) + u" MB"_s;
}

QString verdict(bool measured, bool pass)
{
    return !measured ? u"n/a"_s : pass ? u"pass"_s : u"MISS"_s;
}

void row(QTextStream &out, const QString &metric, const QString &gateway, const QString &direct,
         const QString &difference, const QString &target, const QString &result)
{
    out << metric.leftJustified(34) << gateway.rightJustified(12) << direct.rightJustified(12)
        << difference.rightJustified(13) << u"  "_s << target.leftJustified(17) << result << '\n';
}

void detail(QTextStream &out, const QString &name, const std::vector<double> &samples,
            qint64 errors)
{
    if (samples.empty() && errors == 0)
        return; // a phase that did not run
    const Bench::Percentiles p = Bench::percentiles(samples);
    out << name.leftJustified(30) << QString::number(p.count).rightJustified(8)
        << us(p.p50).rightJustified(11) << us(p.p90).rightJustified(11)
        << us(p.p99).rightJustified(11) << us(p.max).rightJustified(11)
        << us(p.mean).rightJustified(11) << QString::number(errors).rightJustified(8) << '\n';
}

} // namespace

qint64 Report::errors() const
{
    return poolFailures + latency.errors + latencyLarge.errors + latencyLargeResponse.errors
        + loadDirect.errors + loadGateway.errors + streamDirect1.failures + streamGateway1.failures
        + streamDirectN.failures + streamGatewayN.failures;
}

void Report::print(QTextStream &out) const
{
    out << "\nSwitchboard gateway benchmark: " << cpus << " CPUs; load average " << loadStart
        << " at start, " << loadEnd << " at end\n";
    printDetails(out);
    printCpu(out);
    printTable(out);
    out.flush();
}

void Report::printDetails(QTextStream &out) const
{
    out << '\n'
        << u"samples"_s.leftJustified(30) << u"n"_s.rightJustified(8) << u"p50"_s.rightJustified(11)
        << u"p90"_s.rightJustified(11) << u"p99"_s.rightJustified(11) << u"max"_s.rightJustified(11)
        << u"mean"_s.rightJustified(11) << u"errors"_s.rightJustified(8) << '\n';
    detail(out, u"JSON 1 conn, direct"_s, latency.directUs, 0);
    detail(out, u"JSON 1 conn, gateway"_s, latency.gatewayUs, latency.errors);
    detail(out, u"JSON large body, direct"_s, latencyLarge.directUs, 0);
    detail(out, u"JSON large body, gateway"_s, latencyLarge.gatewayUs, latencyLarge.errors);
    detail(out, u"JSON large answer, direct"_s, latencyLargeResponse.directUs, 0);
    detail(out, u"JSON large answer, gateway"_s, latencyLargeResponse.gatewayUs,
           latencyLargeResponse.errors);
    const QString conns = QString::number(connections);
    detail(out, u"JSON %1 conns, direct"_s.arg(conns), loadDirect.latencyUs, loadDirect.errors);
    detail(out, u"JSON %1 conns, gateway"_s.arg(conns), loadGateway.latencyUs, loadGateway.errors);
    const QString n = QString::number(concurrentStreams);
    const std::pair<QString, const StreamResult *> streams[] = {
        {u"1 stream, direct"_s, &streamDirect1},
        {u"1 stream, gateway"_s, &streamGateway1},
        {u"%1 streams, direct"_s.arg(n), &streamDirectN},
        {u"%1 streams, gateway"_s.arg(n), &streamGatewayN},
    };
    for (const auto &[name, result] : streams) {
        detail(out, u"TTFB "_s + name, result->ttfbUs, result->failures);
        detail(out, u"event delay "_s + name, result->eventDelayUs, 0);
    }
    out << "mock requests served: " << mockRequests << "; RSS samples: " << rssSamples
        << "; gateway VmRSS idle " << mb(idle.rssKb) << ", VmRSS max sampled " << mb(peakSampledKb)
        << ", VmHWM " << mb(peak.hwmKb) << "; of which private (RssAnon) " << mb(idle.anonKb)
        << " idle, " << mb(peakAnonKb) << " at most; threads idle " << idle.threads << ", at most "
        << peakThreads << '\n';
}

void Report::printCpu(QTextStream &out) const
{
    // CPU time per unit of work is far less sensitive to a noisy machine than rates are.
    auto line
        = [&out](const QString &what, const Bench::CpuUse &cpu, qint64 units, const QString &unit) {
              if (units <= 0 || cpu.byThreadUs.isEmpty())
                  return;
              out << "gateway CPU per " << unit << ", " << what << ": "
                  << QString::number(cpu.totalUs() / double(units), 'f', 0) << " µs (";
              QStringList parts;
              for (auto it = cpu.byThreadUs.cbegin(); it != cpu.byThreadUs.cend(); ++it) {
                  if (it.value() > 0)
                      parts << u"%1 %2"_s.arg(it.key()).arg(it.value() / double(units), 0, 'f', 0);
              }
              out << parts.join(u", "_s) << ")\n";
          };
    line(u"JSON at %1 conns"_s.arg(connections), cpuLoad, loadGateway.requests, u"request"_s);
    line(u"%1 streams"_s.arg(concurrentStreams), cpuStreams,
         qint64(streamGatewayN.eventDelayUs.size()), u"event"_s);
    if (promptBytes > 0)
        out << "requests carry a system prompt of " << promptBytes << " bytes\n";
}

void Report::printTable(QTextStream &out) const
{
    out << '\n';
    row(out, u"metric"_s, u"gateway"_s, u"direct"_s, u"difference"_s, u"target"_s, u"result"_s);
    out << QString(100, u'-') << '\n';

    // One row comparing a percentile of the gateway's samples with the direct ones.
    auto added = [&](const QString &metric, const std::vector<double> &gateway,
                     const std::vector<double> &direct, double Bench::Percentiles::*which,
                     const QString &target, double limitUs) {
        if (gateway.empty() || direct.empty())
            return row(out, metric, u"-"_s, u"-"_s, u"-"_s, target, u"n/a"_s);
        const double g = Bench::percentiles(gateway).*which;
        const double d = Bench::percentiles(direct).*which;
        row(out, metric, us(g), us(d), signedUs(g - d), target,
            limitUs > 0 ? verdict(true, g - d <= limitUs) : u"info"_s);
    };
    using P = Bench::Percentiles;
    added(u"JSON latency p50, 1 conn"_s, latency.gatewayUs, latency.directUs, &P::p50,
          u"≤ 300 µs added"_s, addedLatencyTargetUs);
    added(u"JSON latency p99, 1 conn"_s, latency.gatewayUs, latency.directUs, &P::p99, u"-"_s, 0);
    if (largeBodyBytes > 0) {
        added(u"JSON latency p50, %1 KiB body"_s.arg(largeBodyBytes / 1024), latencyLarge.gatewayUs,
              latencyLarge.directUs, &P::p50, u"-"_s, 0);
        added(u"JSON latency p50, %1 KiB answer"_s.arg(largeBodyBytes / 1024),
              latencyLargeResponse.gatewayUs, latencyLargeResponse.directUs, &P::p50, u"-"_s, 0);
    }

    const double rpsGateway = loadGateway.perSecond();
    const double rpsDirect = loadDirect.perSecond();
    const QString rpsMetric = u"requests/s, %1 conns"_s.arg(connections);
    if (rpsGateway > 0 && rpsDirect > 0) {
        row(out, rpsMetric, QString::number(rpsGateway, 'f', 0), QString::number(rpsDirect, 'f', 0),
            u"× %1"_s.arg(rpsGateway / rpsDirect, 0, 'f', 3), u"≥ 3,000 req/s"_s,
            verdict(true, rpsGateway >= throughputTarget));
    } else {
        row(out, rpsMetric, u"-"_s, u"-"_s, u"-"_s, u"≥ 3,000 req/s"_s, u"n/a"_s);
    }

    const QString n = u"%1 streams"_s.arg(concurrentStreams);
    added(u"stream TTFB p50, 1 stream"_s, streamGateway1.ttfbUs, streamDirect1.ttfbUs, &P::p50,
          u"-"_s, 0);
    added(u"event delay p50, 1 stream"_s, streamGateway1.eventDelayUs, streamDirect1.eventDelayUs,
          &P::p50, u"-"_s, 0);
    added(u"event delay p99, 1 stream"_s, streamGateway1.eventDelayUs, streamDirect1.eventDelayUs,
          &P::p99, u"-"_s, 0);
    added(u"stream TTFB p50, "_s + n, streamGatewayN.ttfbUs, streamDirectN.ttfbUs, &P::p50, u"-"_s,
          0);
    added(u"event delay p50, "_s + n, streamGatewayN.eventDelayUs, streamDirectN.eventDelayUs,
          &P::p50, u"≤ 500 µs added"_s, eventDelayTargetUs);
    added(u"event delay p99, "_s + n, streamGatewayN.eventDelayUs, streamDirectN.eventDelayUs,
          &P::p99, u"-"_s, 0);

    row(out, u"gateway RSS idle"_s, mb(idle.rssKb), u"-"_s, u"-"_s, u"≤ 30 MB"_s,
        verdict(idle.rssKb >= 0, double(idle.rssKb) / 1024.0 <= idleRssTargetMb));
    const qint64 peakKb = std::max(peak.hwmKb, peakSampledKb);
    row(out, u"gateway RSS peak (VmHWM)"_s, mb(peakKb), u"-"_s, u"-"_s, u"≤ 60 MB"_s,
        verdict(peakKb >= 0, double(peakKb) / 1024.0 <= peakRssTargetMb));
    out << QString(100, u'-') << '\n';
    out << "errors (failed requests, broken streams): " << errors() << '\n';
    out << "load average: " << loadStart << " at start, " << loadEnd
        << " at end (the end counts this benchmark's own threads too)\n";
}
