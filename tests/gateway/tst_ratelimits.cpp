// SPDX-License-Identifier: GPL-3.0-or-later
// What upstream answers say of an account's rate limits, in the three dialects the gateway
// meets: Anthropic's, OpenAI's and OpenRouter's.
#include "gateway/ratelimits.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestRateLimits : public QObject
{
    Q_OBJECT

private slots:
    void anthropicHeaders();
    void openAIHeadersWithDurations();
    void openRouterHeadersWithEpochMilliseconds();
    void nothingUsableIsEmpty();
};

namespace {

const QDateTime now = QDateTime::fromString(u"2026-12-02T10:00:00Z"_s, Qt::ISODate);

} // namespace

void TestRateLimits::anthropicHeaders()
{
    const RateLimits limits
        = RateLimits::fromHeaders({{"Anthropic-RateLimit-Requests-Limit", "50"},
                                   {"anthropic-ratelimit-requests-remaining", "41"},
                                   {"anthropic-ratelimit-requests-reset", "2026-12-02T10:00:30Z"},
                                   {"anthropic-ratelimit-input-tokens-limit", "30000"},
                                   {"anthropic-ratelimit-input-tokens-remaining", "1200"},
                                   {"anthropic-ratelimit-output-tokens-limit", "8000"},
                                   {"anthropic-ratelimit-output-tokens-remaining", "7000"},
                                   {"anthropic-ratelimit-tokens-limit", "38000"},
                                   {"anthropic-ratelimit-tokens-remaining", "8200"},
                                   {"request-id", "req_1"}},
                                  now);
    QCOMPARE(limits.requests.limit, 50);
    QCOMPARE(limits.requests.remaining, 41);
    QCOMPARE(limits.requests.reset, now.addSecs(30));
    QCOMPARE(limits.inputTokens.remaining, 1200);
    QCOMPARE(limits.outputTokens.limit, 8000);
    QCOMPARE(limits.tokens.remaining, 8200);
    // Input tokens are the scarcest: 4 % left against 21 % and 87 %.
    QCOMPARE(limits.scarcestTokens(), limits.inputTokens);
    QCOMPARE(limits.seen, now);
    QVERIFY(!limits.isEmpty());
}

void TestRateLimits::openAIHeadersWithDurations()
{
    const RateLimits limits = RateLimits::fromHeaders({{"x-ratelimit-limit-requests", "500"},
                                                       {"x-ratelimit-remaining-requests", "499"},
                                                       {"x-ratelimit-reset-requests", "1m30.5s"},
                                                       {"x-ratelimit-limit-tokens", "30000"},
                                                       {"x-ratelimit-remaining-tokens", "29000"},
                                                       {"x-ratelimit-reset-tokens", "20ms"}},
                                                      now);
    QCOMPARE(limits.requests.remaining, 499);
    QCOMPARE(limits.requests.reset, now.addMSecs(90'500));
    QCOMPARE(limits.tokens.limit, 30000);
    QCOMPARE(limits.tokens.reset, now.addMSecs(20));
}

void TestRateLimits::openRouterHeadersWithEpochMilliseconds()
{
    const RateLimits limits = RateLimits::fromHeaders(
        {{"X-RateLimit-Limit", "20"},
         {"X-RateLimit-Remaining", "3"},
         {"X-RateLimit-Reset", QByteArray::number(now.addSecs(45).toMSecsSinceEpoch())}},
        now);
    QCOMPARE(limits.requests.limit, 20);
    QCOMPARE(limits.requests.remaining, 3);
    QCOMPARE(limits.requests.reset, now.addSecs(45));
    QVERIFY(!limits.tokens.isKnown());
}

void TestRateLimits::nothingUsableIsEmpty()
{
    QVERIFY(RateLimits::fromHeaders({}, now).isEmpty());
    const RateLimits garbage
        = RateLimits::fromHeaders({{"anthropic-ratelimit-requests-remaining", "lots"},
                                   {"anthropic-ratelimit-requests-limit", "-5"},
                                   {"anthropic-ratelimit-requests-reset", "soon"},
                                   {"anthropic-ratelimit-widgets-remaining", "3"},
                                   {"x-ratelimit-reset-requests", "5parsecs"}},
                                  now);
    QVERIFY(garbage.isEmpty());
    QVERIFY(!garbage.seen.isValid());
    QVERIFY(!garbage.requests.reset.isValid());
    // A reset no window could have, even where it would overflow: no reset, no crash.
    const RateLimits far
        = RateLimits::fromHeaders({{"x-ratelimit-limit-requests", "5"},
                                   {"x-ratelimit-remaining-requests", "4"},
                                   {"x-ratelimit-reset-requests", "99999999999999999999h"},
                                   {"x-ratelimit-limit-tokens", "5"},
                                   {"x-ratelimit-remaining-tokens", "4"},
                                   {"x-ratelimit-reset-tokens", "9000h"}},
                                  now);
    QVERIFY(far.requests.isKnown());
    QVERIFY(!far.requests.reset.isValid());
    QVERIFY(!far.tokens.reset.isValid());
    // Remaining without a limit is no headroom: nothing to compare it with.
    QVERIFY(RateLimits::fromHeaders({{"x-ratelimit-remaining-requests", "4"}}, now).isEmpty());
}

QTEST_GUILESS_MAIN(TestRateLimits)
#include "tst_ratelimits.moc"
