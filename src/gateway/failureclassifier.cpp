// SPDX-License-Identifier: GPL-3.0-or-later
#include "failureclassifier.h"

#include "core/settings.h"
#include "gateway/upstreammessage.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

// How telling each kind of failure is when every account failed: the client gets the
// highest. Rate limits win because the client can act on their retry-after.
enum Weight {
    ClientMistake = 60,
    RateLimit = 50,
    Overload = 40,
    Transient = 30,
    Denied = 25,
    Credit = 15,
    BadKey = 10
};

QJsonObject errorObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object().value(u"error").toObject();
}

} // namespace

CooldownPolicy CooldownPolicy::from(const Settings &s)
{
    return {s.rateLimitCooldownSeconds(), s.overloadedCooldownSeconds(),
            s.permissionCooldownSeconds(), s.circuitCooldownSeconds(), s.errorThreshold()};
}

QString FailureClassifier::upstreamMessage(const UpstreamOutcome &outcome)
{
    return UpstreamMessage::describe(outcome.status, outcome.body);
}

QDateTime FailureClassifier::startOfNextMonth(const QDateTime &now)
{
    const QDate today = now.toUTC().date();
    return QDateTime(QDate(today.year(), today.month(), 1).addMonths(1), QTime(0, 0), Qt::UTC);
}

std::optional<QDateTime> FailureClassifier::retryAt(const UpstreamOutcome &outcome,
                                                    const QDateTime &now)
{
    const QByteArray retryAfter = outcome.header("retry-after").trimmed();
    if (!retryAfter.isEmpty()) {
        bool ok = false;
        const double seconds = retryAfter.toDouble(&ok);
        // A week at most: an absurd value must not park an account for ever (or overflow).
        if (ok && seconds >= 0)
            return now.addMSecs(qint64(std::min(seconds, 7 * 86400.0) * 1000));
        // An HTTP date always ends in "GMT", which Qt's RFC 2822 parser does not accept.
        QString text = QString::fromLatin1(retryAfter);
        if (text.endsWith(u" GMT", Qt::CaseInsensitive))
            text = text.chopped(4) + u" +0000";
        const QDateTime date = QDateTime::fromString(text, Qt::RFC2822Date);
        if (date.isValid())
            return date.toUTC();
    }
    // An exhausted limit's reset time is the one that matters; without one, the latest reset.
    std::optional<QDateTime> exhausted, latest;
    for (const auto &[name, value] : outcome.headers) {
        if (!name.startsWith("anthropic-ratelimit-") || !name.endsWith("-reset"))
            continue;
        const QDateTime reset
            = QDateTime::fromString(QString::fromLatin1(value), Qt::ISODateWithMs);
        if (!reset.isValid() || reset <= now)
            continue;
        const QByteArray remaining = outcome.header(name.chopped(6) + "-remaining");
        if (remaining.trimmed() == "0" && (!exhausted || reset > *exhausted))
            exhausted = reset.toUTC();
        if (!latest || reset > *latest)
            latest = reset.toUTC();
    }
    return exhausted ? exhausted : latest;
}

Verdict FailureClassifier::classify(const UpstreamOutcome &outcome, const CooldownPolicy &policy,
                                    const QDateTime &now)
{
    using E = Verdict::Effect;
    if (outcome.transport != UpstreamOutcome::Transport::Ok) {
        QString reason;
        switch (outcome.transport) {
        case UpstreamOutcome::Transport::Timeout:
            reason = tr("The upstream did not answer in time.");
            break;
        case UpstreamOutcome::Transport::Refused:
            reason = tr("The upstream refused the connection.");
            break;
        case UpstreamOutcome::Transport::Reset:
            reason = tr("The upstream closed the connection before answering.");
            break;
        case UpstreamOutcome::Transport::Unusable:
            reason = tr("The upstream's answer cannot be relayed: %1").arg(outcome.networkError);
            break;
        default:
            reason = tr("The upstream could not be reached: %1").arg(outcome.networkError);
            break;
        }
        return Verdict::failover(E::CountError, reason, 502, u"api_error"_s, Transient);
    }

    const int status = outcome.status;
    if (status == 200) {
        Verdict v;
        v.effect = E::Success;
        return v;
    }
    if (status < 400) {
        // The API answers 200 or an error: a 204, a redirect or a lone 1xx is something in
        // the way (a captive portal, a misconfigured proxy, a wrong base URL).
        return Verdict::failover(
            E::CountError,
            tr("The upstream answered HTTP %1, which is not an answer of the API "
               "(check the base URL, and any proxy in between).")
                .arg(status),
            502, u"api_error"_s, Transient);
    }
    const QJsonObject error = errorObject(outcome.body);
    const QString message = upstreamMessage(outcome);
    const bool spendLimit = error.value(u"details").toObject().value(u"error_code").toString()
            == u"enforced_spend_limit_reached"
        || message.contains(u"spend limit", Qt::CaseInsensitive);

    if (spendLimit && (status == 429 || status == 400)) {
        const QDateTime until = startOfNextMonth(now);
        return Verdict::failover(E::Park,
                                 tr("The monthly spend limit is reached (%1); parked until %2.")
                                     .arg(message, until.toString(Qt::ISODate)),
                                 503, u"api_error"_s, Credit, until);
    }
    if (status == 402
        || (status == 400 && message.contains(u"credit balance", Qt::CaseInsensitive))) {
        return Verdict::failover(E::Park, tr("The account is out of credit (%1).").arg(message),
                                 503, u"api_error"_s, Credit);
    }
    if (status == 401) {
        return Verdict::failover(E::Invalid, tr("The API key was rejected (%1).").arg(message), 502,
                                 u"api_error"_s, BadKey);
    }
    if (status == 403) {
        return Verdict::failover(E::ModelDenied, tr("Access denied (%1).").arg(message), 403,
                                 u"permission_error"_s, Denied,
                                 now.addSecs(policy.permissionSeconds));
    }
    if (status == 429) {
        const QDateTime until
            = retryAt(outcome, now).value_or(now.addSecs(policy.rateLimitSeconds));
        return Verdict::failover(E::Cooldown, tr("Rate limited (%1).").arg(message), 429,
                                 u"rate_limit_error"_s, RateLimit, until);
    }
    if (status == 529) {
        const QDateTime until
            = retryAt(outcome, now).value_or(now.addSecs(policy.overloadedSeconds));
        return Verdict::failover(E::Cooldown, tr("The upstream is overloaded (%1).").arg(message),
                                 529, u"overloaded_error"_s, Overload, until);
    }
    if (status >= 500 || status == 408) {
        return Verdict::failover(
            E::CountError, tr("The upstream failed with HTTP %1 (%2).").arg(status).arg(message),
            502, u"api_error"_s, Transient);
    }
    // 400, 404, 413 and the rest of 4xx: the request itself is wrong; relay it as it came.
    Verdict v;
    v.route = Verdict::Route::ReturnToClient;
    v.clientStatus = status;
    v.errorType = error.value(u"type").toString(u"invalid_request_error"_s);
    v.errorMessage = message;
    v.weight = ClientMistake;
    return v;
}
