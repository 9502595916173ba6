// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/settings.h"
#include "gateway/failureclassifier.h"
#include "support/testprinters.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(UpstreamOutcome)
Q_DECLARE_METATYPE(Verdict::Route)
Q_DECLARE_METATYPE(Verdict::Effect)

namespace {

const char *name(Verdict::Route route)
{
    switch (route) {
    case Verdict::Route::Done:
        return "Done";
    case Verdict::Route::ReturnToClient:
        return "ReturnToClient";
    case Verdict::Route::Failover:
        return "Failover";
    }
    return "?";
}

const char *name(Verdict::Effect effect)
{
    switch (effect) {
    case Verdict::Effect::None:
        return "None";
    case Verdict::Effect::Success:
        return "Success";
    case Verdict::Effect::Invalid:
        return "Invalid";
    case Verdict::Effect::Park:
        return "Park";
    case Verdict::Effect::Cooldown:
        return "Cooldown";
    case Verdict::Effect::ModelDenied:
        return "ModelDenied";
    case Verdict::Effect::CountError:
        return "CountError";
    }
    return "?";
}

using Headers = QList<QPair<QByteArray, QByteArray>>;

UpstreamOutcome http(int status, const QByteArray &body = {}, const Headers &headers = {})
{
    UpstreamOutcome outcome;
    outcome.status = status;
    outcome.body = body;
    outcome.headers = headers;
    return outcome;
}

UpstreamOutcome transport(UpstreamOutcome::Transport kind, const QString &networkError)
{
    UpstreamOutcome outcome;
    outcome.transport = kind;
    outcome.networkError = networkError;
    return outcome;
}

QByteArray anthropicError(const QString &type, const QString &message,
                          const QJsonObject &details = {})
{
    QJsonObject error {{u"type"_s, type}, {u"message"_s, message}};
    if (!details.isEmpty())
        error.insert(u"details"_s, details);
    return QJsonDocument(QJsonObject {{u"type"_s, u"error"_s},
                                      {u"error"_s, error},
                                      {u"request_id"_s, u"req_011CTest"_s}})
        .toJson(QJsonDocument::Compact);
}

QByteArray rfc3339(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODate).toLatin1();
}

QDateTime utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0)
{
    return QDateTime(QDate(year, month, day), QTime(hour, minute, second), QTimeZone::utc());
}

// Distinct values, so a swapped field shows.
CooldownPolicy testPolicy()
{
    CooldownPolicy policy;
    policy.rateLimitSeconds = 61;
    policy.overloadedSeconds = 17;
    policy.permissionSeconds = 3601;
    policy.circuitSeconds = 121;
    policy.errorThreshold = 4;
    return policy;
}

const QDateTime defaultNow = utc(2025, 3, 14, 12, 0, 0);

} // namespace

namespace QTest {

bool qCompare(Verdict::Route t1, Verdict::Route t2, const char *actual, const char *expected,
              const char *file, int line)
{
    return qCompare(name(t1), name(t2), actual, expected, file, line);
}

bool qCompare(Verdict::Effect t1, Verdict::Effect t2, const char *actual, const char *expected,
              const char *file, int line)
{
    return qCompare(name(t1), name(t2), actual, expected, file, line);
}

} // namespace QTest

class TestFailureClassifier : public QObject
{
    Q_OBJECT

private slots:
    void outcomeGivesRouteEffectAndClientAnswer_data();
    void outcomeGivesRouteEffectAndClientAnswer();
    void moreTellingFailuresWeighMore();
    void retryAfterWinsOverResetHeaders();
    void resetHeadersInThePastAreIgnored();
    void spendLimitsResetAtTheStartOfNextMonth_data();
    void spendLimitsResetAtTheStartOfNextMonth();
    void upstreamMessageIsTakenFromTheErrorBody_data();
    void upstreamMessageIsTakenFromTheErrorBody();
    void cooldownPolicyComesFromSettings();
};

void TestFailureClassifier::outcomeGivesRouteEffectAndClientAnswer_data()
{
    QTest::addColumn<UpstreamOutcome>("outcome");
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<Verdict::Route>("route");
    QTest::addColumn<Verdict::Effect>("effect");
    QTest::addColumn<QDateTime>("until"); // null: no time
    QTest::addColumn<int>("clientStatus");
    QTest::addColumn<QString>("errorType");
    QTest::addColumn<QString>("errorMessage"); // exact for ReturnToClient, else contained
    QTest::addColumn<int>("weight");

    using R = Verdict::Route;
    using E = Verdict::Effect;
    using T = UpstreamOutcome::Transport;
    const QDateTime now = defaultNow;
    const QDateTime none;

    QTest::newRow("200") << http(200) << now << R::Done << E::Success << none << 200 << QString()
                         << QString() << 0;
    for (int status : {100, 103, 201, 204, 301, 302, 304}) {
        QTest::addRow("%d is not an API answer", status)
            << http(status) << now << R::Failover << E::CountError << none << 502 << u"api_error"_s
            << u"HTTP %1, which is not an answer of the API"_s.arg(status) << 30;
    }
    QTest::newRow("400 invalid request")
        << http(400, anthropicError(u"invalid_request_error"_s, u"max_tokens: Field required"_s))
        << now << R::ReturnToClient << E::None << none << 400 << u"invalid_request_error"_s
        << u"max_tokens: Field required"_s << 60;
    QTest::newRow("400 credit balance")
        << http(400,
                anthropicError(u"invalid_request_error"_s,
                               u"Your credit balance is too low to access the Anthropic API. "
                               u"Please go to Plans & Billing to upgrade or purchase credits."_s))
        << now << R::Failover << E::Park << none << 503 << u"api_error"_s
        << u"Your credit balance is too low"_s << 15;
    QTest::newRow("400 spend limit")
        << http(400,
                anthropicError(u"invalid_request_error"_s, u"You have reached your limit."_s,
                               {{u"error_code"_s, u"enforced_spend_limit_reached"_s}}))
        << now << R::Failover << E::Park << utc(2025, 4, 1) << 503 << u"api_error"_s
        << u"You have reached your limit."_s << 15;
    QTest::newRow("401") << http(401,
                                 anthropicError(u"authentication_error"_s, u"invalid x-api-key"_s))
                         << now << R::Failover << E::Invalid << none << 502 << u"api_error"_s
                         << u"invalid x-api-key"_s << 10;
    QTest::newRow("402") << http(402, anthropicError(u"billing_error"_s, u"Payment required"_s))
                         << now << R::Failover << E::Park << none << 503 << u"api_error"_s
                         << u"Payment required"_s << 15;
    QTest::newRow("403") << http(
        403, anthropicError(u"permission_error"_s, u"Your API key does not have permission"_s))
                         << now << R::Failover << E::ModelDenied << now.addSecs(3601) << 403
                         << u"permission_error"_s << u"Your API key does not have permission"_s
                         << 25;
    QTest::newRow("404") << http(404, anthropicError(u"not_found_error"_s, u"model: claude-x"_s))
                         << now << R::ReturnToClient << E::None << none << 404
                         << u"not_found_error"_s << u"model: claude-x"_s << 60;
    QTest::newRow("413") << http(
        413, anthropicError(u"request_too_large"_s, u"Request exceeds the maximum size"_s))
                         << now << R::ReturnToClient << E::None << none << 413
                         << u"request_too_large"_s << u"Request exceeds the maximum size"_s << 60;

    const QByteArray rateLimited = anthropicError(u"rate_limit_error"_s, u"Slow down"_s);
    QTest::newRow("429 retry-after seconds")
        << http(429, rateLimited, {{"retry-after", "30"}}) << now << R::Failover << E::Cooldown
        << now.addSecs(30) << 429 << u"rate_limit_error"_s << u"Slow down"_s << 50;
    QTest::newRow("429 retry-after http date")
        << http(429, rateLimited, {{"retry-after", "Fri, 14 Mar 2025 12:02:05 GMT"}}) << now
        << R::Failover << E::Cooldown << utc(2025, 3, 14, 12, 2, 5) << 429 << u"rate_limit_error"_s
        << u"Slow down"_s << 50;
    QTest::newRow("429 exhausted requests, tokens reset earlier")
        << http(429, rateLimited,
                {{"anthropic-ratelimit-requests-limit", "50"},
                 {"anthropic-ratelimit-requests-remaining", "0"},
                 {"anthropic-ratelimit-requests-reset", rfc3339(now.addSecs(45))},
                 {"anthropic-ratelimit-tokens-limit", "40000"},
                 {"anthropic-ratelimit-tokens-remaining", "12000"},
                 {"anthropic-ratelimit-tokens-reset", rfc3339(now.addSecs(20))}})
        << now << R::Failover << E::Cooldown << now.addSecs(45) << 429 << u"rate_limit_error"_s
        << u"Slow down"_s << 50;
    QTest::newRow("429 exhausted requests, tokens reset later")
        << http(429, rateLimited,
                {{"anthropic-ratelimit-tokens-remaining", "12000"},
                 {"anthropic-ratelimit-tokens-reset", rfc3339(now.addSecs(50))},
                 {"anthropic-ratelimit-requests-remaining", "0"},
                 {"anthropic-ratelimit-requests-reset", rfc3339(now.addSecs(7))}})
        << now << R::Failover << E::Cooldown << now.addSecs(7) << 429 << u"rate_limit_error"_s
        << u"Slow down"_s << 50;
    QTest::newRow("429 exhausted input tokens, offset time")
        << http(429, rateLimited,
                {{"anthropic-ratelimit-input-tokens-remaining", "0"},
                 {"anthropic-ratelimit-input-tokens-reset", "2025-03-14T14:00:40+02:00"},
                 {"anthropic-ratelimit-requests-remaining", "10"},
                 {"anthropic-ratelimit-requests-reset", rfc3339(now.addSecs(90))}})
        << now << R::Failover << E::Cooldown << now.addSecs(40) << 429 << u"rate_limit_error"_s
        << u"Slow down"_s << 50;
    QTest::newRow("429 nothing") << http(429, rateLimited) << now << R::Failover << E::Cooldown
                                 << now.addSecs(61) << 429 << u"rate_limit_error"_s
                                 << u"Slow down"_s << 50;
    const QByteArray spendLimit = anthropicError(
        u"rate_limit_error"_s, u"You have reached your specified workspace limit."_s,
        {{u"error_code"_s, u"enforced_spend_limit_reached"_s}});
    QTest::newRow("429 spend limit")
        << http(429, spendLimit, {{"retry-after", "30"}}) << now << R::Failover << E::Park
        << utc(2025, 4, 1) << 503 << u"api_error"_s << u"workspace limit"_s << 15;
    QTest::newRow("429 spend limit in december")
        << http(429, spendLimit) << utc(2025, 12, 31, 23, 59, 59) << R::Failover << E::Park
        << utc(2026, 1, 1) << 503 << u"api_error"_s << u"workspace limit"_s << 15;

    for (const int status : {500, 502, 503, 504}) {
        QTest::addRow("%d", status)
            << http(status, anthropicError(u"api_error"_s, u"Internal server error"_s)) << now
            << R::Failover << E::CountError << none << 502 << u"api_error"_s
            << u"Internal server error"_s << 30;
    }
    QTest::newRow("502 proxy page")
        << http(502, "<html><body><h1>502 Bad Gateway</h1></body></html>") << now << R::Failover
        << E::CountError << none << 502 << u"api_error"_s << u"502 Bad Gateway"_s << 30;
    QTest::newRow("529") << http(529, anthropicError(u"overloaded_error"_s, u"Overloaded"_s)) << now
                         << R::Failover << E::Cooldown << now.addSecs(17) << 529
                         << u"overloaded_error"_s << u"Overloaded"_s << 40;

    QTest::newRow("timeout") << transport(T::Timeout, u"Operation timed out"_s) << now
                             << R::Failover << E::CountError << none << 502 << u"api_error"_s
                             << QString() << 30;
    QTest::newRow("refused") << transport(T::Refused, u"Connection refused"_s) << now << R::Failover
                             << E::CountError << none << 502 << u"api_error"_s << QString() << 30;
    QTest::newRow("reset") << transport(T::Reset, u"Remote host closed the connection"_s) << now
                           << R::Failover << E::CountError << none << 502 << u"api_error"_s
                           << QString() << 30;
    QTest::newRow("other") << transport(T::Other, u"Host api.example.invalid not found"_s) << now
                           << R::Failover << E::CountError << none << 502 << u"api_error"_s
                           << u"Host api.example.invalid not found"_s << 30;
}

void TestFailureClassifier::outcomeGivesRouteEffectAndClientAnswer()
{
    QFETCH(UpstreamOutcome, outcome);
    QFETCH(QDateTime, now);
    QFETCH(Verdict::Route, route);
    QFETCH(Verdict::Effect, effect);
    QFETCH(QDateTime, until);
    QFETCH(int, clientStatus);
    QFETCH(QString, errorType);
    QFETCH(QString, errorMessage);
    QFETCH(int, weight);

    const Verdict v = FailureClassifier::classify(outcome, testPolicy(), now);
    QCOMPARE(v.route, route);
    QCOMPARE(v.effect, effect);
    QCOMPARE(v.until.isValid(), until.isValid());
    if (until.isValid())
        QCOMPARE(v.until.toUTC(), until.toUTC());
    QCOMPARE(v.clientStatus, clientStatus);
    QCOMPARE(v.errorType, errorType);
    QCOMPARE(v.weight, weight);

    switch (route) {
    case Verdict::Route::Done:
        QVERIFY(v.errorMessage.isEmpty());
        break;
    case Verdict::Route::ReturnToClient:
        // Relayed as the upstream wrote it.
        QCOMPARE(v.errorMessage, errorMessage);
        break;
    case Verdict::Route::Failover:
        // A person reads these: never empty, and they carry the upstream's words.
        QVERIFY(!v.reason.isEmpty());
        QVERIFY(!v.errorMessage.isEmpty());
        QVERIFY2(v.reason.contains(errorMessage), qPrintable(v.reason));
        QVERIFY2(v.errorMessage.contains(errorMessage), qPrintable(v.errorMessage));
        break;
    }
}

void TestFailureClassifier::moreTellingFailuresWeighMore()
{
    const CooldownPolicy policy = testPolicy();
    const QDateTime now = defaultNow;
    auto weight = [&](const UpstreamOutcome &outcome) {
        return FailureClassifier::classify(outcome, policy, now).weight;
    };
    const int clientMistake = weight(http(400, anthropicError(u"invalid_request_error"_s, u"x"_s)));
    const int rateLimit = weight(http(429));
    const int overload = weight(http(529));
    const int transient = weight(http(500));
    const int denied = weight(http(403));
    const int credit = weight(http(402));
    const int badKey = weight(http(401));

    QCOMPARE_GT(clientMistake, rateLimit);
    QCOMPARE_GT(rateLimit, overload);
    QCOMPARE_GT(overload, transient);
    QCOMPARE_GT(transient, denied);
    QCOMPARE_GT(denied, credit);
    QCOMPARE_GT(credit, badKey);
    QCOMPARE_GT(badKey, weight(http(200)));

    // Every transport failure weighs like any other transient failure.
    QCOMPARE(weight(transport(UpstreamOutcome::Transport::Timeout, {})), transient);
    QCOMPARE(weight(http(503)), transient);
    // The spend limit weighs like running out of credit, not like a rate limit.
    QCOMPARE(weight(http(429,
                         anthropicError(u"rate_limit_error"_s, u"x"_s,
                                        {{u"error_code"_s, u"enforced_spend_limit_reached"_s}}))),
             credit);
}

void TestFailureClassifier::retryAfterWinsOverResetHeaders()
{
    const QDateTime now = defaultNow;
    const UpstreamOutcome outcome
        = http(429, {},
               {{"anthropic-ratelimit-requests-remaining", "0"},
                {"anthropic-ratelimit-requests-reset", rfc3339(now.addSecs(45))},
                {"retry-after", "12"}});
    const std::optional<QDateTime> at = FailureClassifier::retryAt(outcome, now);
    QVERIFY(at.has_value());
    QCOMPARE(*at, now.addSecs(12));
    QCOMPARE(FailureClassifier::classify(outcome, testPolicy(), now).until, now.addSecs(12));

    QVERIFY(!FailureClassifier::retryAt(http(429), now).has_value());
}

void TestFailureClassifier::resetHeadersInThePastAreIgnored()
{
    const QDateTime now = defaultNow;
    const UpstreamOutcome outcome
        = http(429, {},
               {{"anthropic-ratelimit-requests-remaining", "0"},
                {"anthropic-ratelimit-requests-reset", rfc3339(now.addSecs(-5))}});
    QVERIFY(!FailureClassifier::retryAt(outcome, now).has_value());
    QCOMPARE(FailureClassifier::classify(outcome, testPolicy(), now).until, now.addSecs(61));
}

void TestFailureClassifier::spendLimitsResetAtTheStartOfNextMonth_data()
{
    QTest::addColumn<QDateTime>("now");
    QTest::addColumn<QDateTime>("expected");

    QTest::newRow("mid month") << utc(2025, 3, 14, 12) << utc(2025, 4, 1);
    QTest::newRow("first instant of a month") << utc(2025, 4, 1) << utc(2025, 5, 1);
    QTest::newRow("last second of a month") << utc(2025, 4, 30, 23, 59, 59) << utc(2025, 5, 1);
    QTest::newRow("december to january") << utc(2025, 12, 15, 8) << utc(2026, 1, 1);
    QTest::newRow("february leap year") << utc(2024, 2, 29, 10) << utc(2024, 3, 1);
    // 2025-01-31 23:30 at UTC-05:00 is already February in UTC.
    QTest::newRow("offset time counts in utc")
        << QDateTime(QDate(2025, 1, 31), QTime(23, 30), QTimeZone(-5 * 3600)) << utc(2025, 3, 1);
    // 2026-01-01 00:30 at UTC+02:00 is still December in UTC.
    QTest::newRow("offset time before new year in utc")
        << QDateTime(QDate(2026, 1, 1), QTime(0, 30), QTimeZone(2 * 3600)) << utc(2026, 1, 1);
}

void TestFailureClassifier::spendLimitsResetAtTheStartOfNextMonth()
{
    QFETCH(QDateTime, now);
    QFETCH(QDateTime, expected);
    const QDateTime actual = FailureClassifier::startOfNextMonth(now);
    QCOMPARE(actual, expected);
    QCOMPARE(actual.timeSpec(), Qt::UTC);
}

void TestFailureClassifier::upstreamMessageIsTakenFromTheErrorBody_data()
{
    QTest::addColumn<UpstreamOutcome>("outcome");
    QTest::addColumn<QString>("expected");

    QTest::newRow("anthropic json")
        << http(429, anthropicError(u"rate_limit_error"_s, u"Number of requests has exceeded"_s))
        << u"Number of requests has exceeded"_s;
    QTest::newRow("openai json") << http(
        429,
        R"({"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,"code":"rate_limit_exceeded"}})")
                                 << u"Rate limit reached for gpt-4o"_s;
    QTest::newRow("plain text proxy page") << http(502, "502 Bad Gateway\r\n\r\n  nginx/1.25.3\r\n")
                                           << u"502 Bad Gateway nginx/1.25.3"_s;
    QTest::newRow("json without a message")
        << http(500, R"({"error":{"type":"api_error"}})") << uR"({"error":{"type":"api_error"}})"_s;
    QTest::newRow("json with an empty message")
        << http(500, R"({"error":{"message":""}})") << uR"({"error":{"message":""}})"_s;
    QTest::newRow("error as a string") << http(500, R"({"error":"boom"})") << u"boom"_s;
    QTest::newRow("long text is cut")
        << http(503, QByteArray(1000, 'x')) << QString(300, u'x') + u'…';
    QTest::newRow("echoed key is masked")
        << http(401, anthropicError(u"authentication_error"_s, u"bad key sk-ant-api03-AbCdEfGh"_s))
        << u"bad key …EfGh"_s;
    QTest::newRow("empty body") << http(502) << u"HTTP 502 with no details"_s;
    QTest::newRow("whitespace body") << http(504, " \n\t ") << u"HTTP 504 with no details"_s;
}

void TestFailureClassifier::upstreamMessageIsTakenFromTheErrorBody()
{
    QFETCH(UpstreamOutcome, outcome);
    QFETCH(QString, expected);
    QCOMPARE(FailureClassifier::upstreamMessage(outcome), expected);
}

void TestFailureClassifier::cooldownPolicyComesFromSettings()
{
    Settings settings;
    QVERIFY(settings.set(SettingKeys::rateLimitCooldown, 11).ok());
    QVERIFY(settings.set(SettingKeys::overloadedCooldown, 22).ok());
    QVERIFY(settings.set(SettingKeys::permissionCooldown, 33).ok());
    QVERIFY(settings.set(SettingKeys::circuitCooldown, 44).ok());
    QVERIFY(settings.set(SettingKeys::errorThreshold, 5).ok());

    const CooldownPolicy policy = CooldownPolicy::from(settings);
    QCOMPARE(policy.rateLimitSeconds, 11);
    QCOMPARE(policy.overloadedSeconds, 22);
    QCOMPARE(policy.permissionSeconds, 33);
    QCOMPARE(policy.circuitSeconds, 44);
    QCOMPARE(policy.errorThreshold, 5);
}

QTEST_GUILESS_MAIN(TestFailureClassifier)
#include "tst_failureclassifier.moc"
