// SPDX-License-Identifier: GPL-3.0-or-later
#include "logformat.h"

#include <QCoreApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("LogFormat", text, nullptr, n);
}

} // namespace

namespace LogFormat {

QString attempts(const UsageRecord &r)
{
    if (r.path.isEmpty())
        return QString::number(r.attempts);
    if (r.attempts > 1)
        return u"%1: %2"_s.arg(r.attempts).arg(r.path);
    return r.path;
}

QString status(const UsageRecord &r)
{
    if (r.status == 499)
        return tr("499 client closed");
    if (!r.errorType.isEmpty())
        return u"%1 %2"_s.arg(r.status).arg(r.errorType);
    return QString::number(r.status);
}

std::optional<StatusPalette::Role> statusRole(int status)
{
    if (status >= 500 || status == 499)
        return StatusPalette::Role::Error;
    if (status >= 400)
        return StatusPalette::Role::Warning;
    if (status >= 200 && status < 300)
        return StatusPalette::Role::Good;
    return std::nullopt;
}

QString duration(int ms)
{
    if (ms < 0)
        return u"—"_s;
    if (ms < 1000)
        return tr("%1 ms").arg(ms);
    return tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', ms < 10000 ? 2 : 1));
}

QString time(const QDateTime &time, const QDateTime &now)
{
    const QLocale locale;
    const QDateTime local = time.toLocalTime();
    const QString clock = locale.toString(local.time(), u"HH:mm:ss"_s);
    if (local.date() == now.toLocalTime().date())
        return clock;
    return locale.toString(local.date(), QLocale::ShortFormat) + u' ' + clock;
}

QString tokens(const UsageRecord &r)
{
    const QLocale locale;
    const qint64 cache = r.tokens.cache();
    if (cache > 0) {
        return tr("%1 in · %2 out · %3 cache")
            .arg(locale.toString(r.tokens.input), locale.toString(r.tokens.output),
                 locale.toString(cache));
    }
    return tr("%1 in · %2 out")
        .arg(locale.toString(r.tokens.input), locale.toString(r.tokens.output));
}

QString model(const UsageRecord &r)
{
    if (!r.upstreamModel.isEmpty() && r.upstreamModel != r.model)
        return u"%1 → %2"_s.arg(r.model, r.upstreamModel);
    return r.model;
}

QString account(const UsageRecord &r)
{
    if (!r.refusedClient.isEmpty())
        return tr("Not admitted");
    if (r.accountId.isNull())
        return tr("No account");
    return r.accountName;
}

QString detailsHtml(const UsageRecord &r, const QString &clientName)
{
    const QLocale locale;
    const QString time = locale.toString(r.time.toLocalTime(), u"yyyy-MM-dd HH:mm:ss.zzz"_s);
    using Rows = QList<std::pair<QString, QString>>;
    // Refused before any account was tried: who, and what the client was told.
    const Rows rows = !r.refusedClient.isEmpty() ? Rows {
        {tr("Time"), time},
        {tr("Refused"), r.refusedClient},
        {tr("Status"), status(r)},
        {tr("Told the client"), r.note},
    } : Rows {
        {tr("Time"), time},
        {tr("Client key"), clientName},
        {tr("Model"), r.model},
        {tr("Upstream model"), r.upstreamModel.isEmpty() ? r.model : r.upstreamModel},
        {tr("Account"), account(r)},
        {tr("Status"), status(r)},
        {tr("Attempts"), QString::number(r.attempts)},
        {tr("Failover path"), r.path.isEmpty() ? u"—"_s : r.path},
        {tr("Changed by the gateway"), r.note.isEmpty() ? u"—"_s : r.note},
        {tr("Streaming"), r.stream ? tr("yes") : tr("no")},
        {tr("Latency"), duration(r.latencyMs)},
        {tr("First token"), duration(r.firstTokenMs)},
        {tr("Input tokens"), locale.toString(r.tokens.input)},
        {tr("Output tokens"), locale.toString(r.tokens.output)},
        {tr("Cache read tokens"), locale.toString(r.tokens.cacheRead)},
        {tr("Cache write tokens"), locale.toString(r.tokens.cacheWrite)},
    };
    QString html = u"<table cellspacing=\"0\" cellpadding=\"2\">"_s;
    for (const auto &[name, value] : rows) {
        html += u"<tr><td style=\"color:palette(mid); padding-right:12px\">%1</td>"
                "<td>%2</td></tr>"_s.arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    }
    return html + u"</table>"_s;
}

} // namespace LogFormat
