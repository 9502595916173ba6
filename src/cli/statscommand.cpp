// SPDX-License-Identifier: GPL-3.0-or-later
#include "statscommand.h"

#include "cli/command.h"
#include "core/accountactions.h"
#include "core/appcontext.h"

#include <QRegularExpression>

#include <chrono>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

/// "90m", "24h", "7d", "all" → seconds; nullopt when malformed.
std::optional<std::chrono::seconds> parseSpan(const QString &text)
{
    if (text == u"all")
        return std::chrono::seconds(qint64(100) * 365 * 86400);
    static const QRegularExpression pattern(u"^(\\d+)([mhd])$"_s);
    const auto match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 n = match.captured(1).toLongLong();
    const QChar unit = match.captured(2).at(0);
    return std::chrono::seconds(n * (unit == u'm' ? 60 : unit == u'h' ? 3600 : 86400));
}

} // namespace

void StatsCommand::run(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption(
        {u"since"_s, tr("Time span: 90m, 24h, 7d or all (default 24h)."), u"SPAN"_s, u"24h"_s});
    parser.addOption({u"json"_s, tr("Print JSON.")});
    if (!ctx.parse(parser, 0, u"[--since 24h] [--json]"_s))
        return;
    const auto span = parseSpan(parser.value(u"since"_s));
    if (!span) {
        return ctx.fail(
            Error::invalid(tr("--since must look like 90m, 24h, 7d or all (got \"%1\").")
                               .arg(parser.value(u"since"_s))));
    }
    auto totals = ctx.app.actions().recentStats(*span);
    if (!totals)
        return ctx.fail(totals.error());

    if (parser.isSet(u"json"_s)) {
        return ctx.succeedJson(UsageStore::toJson(*totals));
    }
    if (totals->isEmpty()) {
        return ctx.succeed(tr("No requests in this period."));
    }
    QList<QStringList> rows;
    for (const UsageTotals &t : *totals) {
        rows << QStringList {t.accountId.isNull() ? tr("(no account)") : t.accountName,
                             QString::number(t.requests),
                             QString::number(t.errors),
                             QString::number(t.tokens.input),
                             QString::number(t.tokens.output),
                             QString::number(t.tokens.cacheRead),
                             QString::number(t.tokens.cacheWrite),
                             QString::number(t.p50LatencyMs),
                             QString::number(t.p95LatencyMs)};
    }
    ctx.out.table({tr("ACCOUNT"), tr("REQUESTS"), tr("ERRORS"), tr("IN"), tr("OUT"),
                   tr("CACHE READ"), tr("CACHE WRITE"), tr("P50 MS"), tr("P95 MS")},
                  rows);
    ctx.finish(ExitCode::ok);
}
