// SPDX-License-Identifier: GPL-3.0-or-later
// What a client gets when no account served its request, straight from the accounts, the
// router's denials and probes, and the failures so far (docs/protocol.md, "What fails over").
#include "gateway/router.h"
#include "gateway/unservedanswer.h"
#include "support/fakeclock.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

const QString sonnet = u"claude-sonnet-4-5"_s;
const CooldownPolicy cooldowns; // error threshold 3

Account account(const QString &name)
{
    Account a;
    a.id = QUuid::createUuid();
    a.name = name;
    a.health.state = HealthState::Valid;
    return a;
}

Account resting(const QString &name, const QDateTime &until, int errorCount = 0)
{
    Account a = account(name);
    a.health.cooldownUntil = until;
    a.health.errorCount = errorCount;
    return a;
}

AttemptFailure failure(const QString &account, int status, const QString &type, int weight,
                       const QString &reason)
{
    Verdict v;
    v.route = Verdict::Route::Failover;
    v.clientStatus = status;
    v.errorType = type;
    v.reason = v.errorMessage = reason;
    v.weight = weight;
    return {account, v};
}

} // namespace

class TestUnservedAnswer : public QObject
{
    Q_OBJECT

private slots:
    void noAccounts();
    void noAccountServesTheModel();
    void allRestingAfterRateLimits();
    void allRestingAfterErrors();
    void probeInFlightAsksToRetrySoon();
    void allRefusedTheModel();
    void allDisabledOrInvalid();
    void oneFailure();
    void mostTellingFailure();
    void retryAfterOnlyForRateLimitsAndOverloads();

private:
    UnservedAnswer explain(const QList<Account> &accounts,
                           const QList<AttemptFailure> &failures = {}) const
    {
        return UnservedAnswer::explain(accounts, m_router, sonnet, failures, cooldowns,
                                       m_clock.now());
    }

    FakeClock m_clock;
    Router m_router {m_clock};
};

void TestUnservedAnswer::noAccounts()
{
    const UnservedAnswer a = explain({});
    QCOMPARE(a.status, 503);
    QCOMPARE(a.errorType, u"api_error"_s);
    QVERIFY2(a.message.contains(u"add one"_s), qPrintable(a.message));
    QCOMPARE(a.retryAfterSeconds, 0);
}

void TestUnservedAnswer::noAccountServesTheModel()
{
    Account opusOnly = account(u"opus"_s);
    opusOnly.allowedModels = {u"claude-opus-*"_s};
    Account off = account(u"off"_s); // would serve every model, but is switched off
    off.enabled = false;
    const UnservedAnswer a = explain({opusOnly, off});
    QCOMPARE(a.status, 404);
    QCOMPARE(a.errorType, u"not_found_error"_s);
    QVERIFY2(a.message.contains(sonnet), qPrintable(a.message));
    QCOMPARE(a.retryAfterSeconds, 0);
}

void TestUnservedAnswer::allRestingAfterRateLimits()
{
    const QDateTime now = m_clock.now();
    const UnservedAnswer a
        = explain({resting(u"A"_s, now.addSecs(30)), resting(u"B"_s, now.addSecs(15))});
    QCOMPARE(a.status, 429);
    QCOMPARE(a.errorType, u"rate_limit_error"_s);
    QCOMPARE(a.retryAfterSeconds, 15); // the first one back
    QVERIFY2(a.message.contains(now.addSecs(15).toString(Qt::ISODate)), qPrintable(a.message));
}

void TestUnservedAnswer::allRestingAfterErrors()
{
    const QDateTime now = m_clock.now();
    // The first back rests because its circuit opened: upstream trouble, not a rate limit.
    UnservedAnswer a
        = explain({resting(u"A"_s, now.addSecs(120), 3), resting(u"B"_s, now.addMSecs(200'500))});
    QCOMPARE(a.status, 503);
    QCOMPARE(a.errorType, u"api_error"_s);
    QCOMPARE(a.retryAfterSeconds, 120);
    QVERIFY2(a.message.contains(now.addSecs(120).toString(Qt::ISODate)), qPrintable(a.message));

    // The soonest decides: a rate-limited account back first makes it a 429.
    a = explain({resting(u"A"_s, now.addSecs(120), 3), resting(u"B"_s, now.addMSecs(60'400))});
    QCOMPARE(a.status, 429);
    QCOMPARE(a.retryAfterSeconds, 60); // rounded to whole seconds
}

void TestUnservedAnswer::probeInFlightAsksToRetrySoon()
{
    const QDateTime now = m_clock.now();
    // Its rest is over and one request is probing it: the probe decides within its timeout.
    Account halfOpen = resting(u"A"_s, now.addSecs(-1), 3);
    QVERIFY(m_router.beginAttempt(halfOpen));
    QVERIFY(m_router.isProbing(halfOpen.id));
    const UnservedAnswer a = explain({halfOpen, resting(u"B"_s, now.addSecs(30))});
    QCOMPARE(a.status, 503);
    QCOMPARE(a.errorType, u"api_error"_s);
    QCOMPARE(a.retryAfterSeconds, 1);
    m_router.endAttempt(halfOpen.id);
}

void TestUnservedAnswer::allRefusedTheModel()
{
    const QDateTime now = m_clock.now();
    const Account a = account(u"A"_s), b = account(u"B"_s);
    m_router.denyModel(a.id, sonnet, now.addSecs(3600));
    m_router.denyModel(b.id, sonnet, now.addSecs(1800));
    const UnservedAnswer answer = explain({a, b});
    QCOMPARE(answer.status, 403);
    QCOMPARE(answer.errorType, u"permission_error"_s);
    QCOMPARE(answer.retryAfterSeconds, 1800);
    QVERIFY2(answer.message.contains(sonnet), qPrintable(answer.message));
    m_router.forget(a.id);
    m_router.forget(b.id);
}

void TestUnservedAnswer::allDisabledOrInvalid()
{
    Account invalid = account(u"A"_s);
    invalid.health.state = HealthState::Invalid;
    Account parked = account(u"B"_s); // out of credit: back only when the user acts
    parked.health.state = HealthState::Disabled;
    const UnservedAnswer a = explain({invalid, parked});
    QCOMPARE(a.status, 503);
    QCOMPARE(a.errorType, u"api_error"_s);
    QVERIFY2(a.message.contains(u"disabled"_s), qPrintable(a.message));
    QCOMPARE(a.retryAfterSeconds, 0);
}

void TestUnservedAnswer::oneFailure()
{
    const UnservedAnswer a
        = explain({account(u"A"_s)}, {failure(u"A"_s, 502, u"api_error"_s, 30, u"It broke."_s)});
    QCOMPARE(a.status, 502);
    QCOMPARE(a.errorType, u"api_error"_s);
    QCOMPARE(a.message, u"The upstream account failed. A: It broke."_s);
    QCOMPARE(a.retryAfterSeconds, 0);
}

void TestUnservedAnswer::mostTellingFailure()
{
    const QDateTime now = m_clock.now();
    const QList<AttemptFailure> failures {
        failure(u"A"_s, 502, u"api_error"_s, 30, u"Timed out."_s),
        failure(u"B"_s, 429, u"rate_limit_error"_s, 50, u"Rate limited."_s),
        failure(u"C"_s, 529, u"overloaded_error"_s, 40, u"Overloaded."_s),
    };
    const UnservedAnswer a = explain(
        {account(u"A"_s), resting(u"B"_s, now.addSecs(30)), resting(u"C"_s, now.addSecs(15))},
        failures);
    QCOMPARE(a.status, 429);
    QCOMPARE(a.errorType, u"rate_limit_error"_s);
    // Every account's reason, so the user sees why each failed.
    QCOMPARE(a.message,
             u"All 3 upstream attempts failed. A: Timed out.; B: Rate limited.; C: Overloaded."_s);
    QCOMPARE(a.retryAfterSeconds, 15); // the soonest recovery, whoever it is

    // Of equally telling failures, the first.
    const UnservedAnswer tie = explain({account(u"A"_s), account(u"B"_s)},
                                       {failure(u"A"_s, 502, u"api_error"_s, 30, u"a"_s),
                                        failure(u"B"_s, 503, u"overloaded_error"_s, 30, u"b"_s)});
    QCOMPARE(tie.status, 502);
}

void TestUnservedAnswer::retryAfterOnlyForRateLimitsAndOverloads()
{
    const QDateTime now = m_clock.now();
    const QList<Account> accounts {resting(u"A"_s, now.addSecs(20)), account(u"B"_s)};
    UnservedAnswer a = explain(accounts,
                               {failure(u"A"_s, 529, u"overloaded_error"_s, 40, u"o"_s),
                                failure(u"B"_s, 502, u"api_error"_s, 30, u"t"_s)});
    QCOMPARE(a.status, 529);
    QCOMPARE(a.retryAfterSeconds, 20);

    // Nothing to wait for when the most telling failure is not about resting.
    a = explain(accounts,
                {failure(u"A"_s, 403, u"permission_error"_s, 25, u"d"_s),
                 failure(u"B"_s, 502, u"api_error"_s, 30, u"t"_s)});
    QCOMPARE(a.status, 502);
    QCOMPARE(a.retryAfterSeconds, 0);
}

QTEST_GUILESS_MAIN(TestUnservedAnswer)
#include "tst_unservedanswer.moc"
