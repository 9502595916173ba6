// SPDX-License-Identifier: GPL-3.0-or-later
// When accounts are validated, and what a validation does to their health: a scripted
// upstream over real sockets, and a fake clock for timestamps and every timer (the periodic
// check, rest ends, the check's own timeout).
#include "gateway/healthbook.h"
#include "gateway/secretcache.h"
#include "gateway/upstreampool.h"
#include "gateway/upstreamvalidator.h"
#include "gateway/validationscheduler.h"
#include "support/fakeclock.h"
#include "support/memorysecretstore.h"
#include "support/scriptedupstream.h"
#include "support/secretops.h"
#include "support/testprinters.h"
#include "support/testtimeout.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestValidationScheduler final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void periodicDelayIsJittered();
    void newAccountsAreValidated();
    void failedValidationChangesHealthLikeARequest();
    void providerWithoutModelListFallsBackToCountTokens();
    void restEndTriggersValidation();
    void restEndingWeeksAwayIsStillChecked();
    void periodicCheckValidatesEveryEnabledAccount();
    void checkWithoutAnswerTimesOutAfterThirtySeconds();
    void missingKeyIsReported();
    void disabledAccountsAreLeftAlone();

private:
    Account account(const QString &name, bool enabled = true) const;
    void start(const QList<Account> &accounts);
    /// Puts the account to rest until `until`, as a 429 would; the scheduler hears of it.
    void rest(const QUuid &id, const QDateTime &until);

    FakeClock m_clock;
    std::unique_ptr<ScriptedUpstream> m_upstream;
    MemorySecretStore *m_secrets = nullptr; // owned by m_cache
    std::unique_ptr<UpstreamPool> m_pool;
    std::unique_ptr<HealthBook> m_health;
    std::unique_ptr<SecretCache> m_cache;
    std::unique_ptr<UpstreamValidator> m_validator;
    std::unique_ptr<ValidationScheduler> m_scheduler;
};

void TestValidationScheduler::init()
{
    m_clock.setNow(FakeClock::defaultStart());
    m_upstream = std::make_unique<ScriptedUpstream>();
    QVERIFY(m_upstream->listen());
    auto secrets = std::make_unique<MemorySecretStore>();
    m_secrets = secrets.get();
    m_pool = std::make_unique<UpstreamPool>();
    m_health = std::make_unique<HealthBook>(m_clock);
    m_cache = std::make_unique<SecretCache>(std::move(secrets));
    m_validator = std::make_unique<UpstreamValidator>(*m_pool, m_clock);
    // No jitter drawn: the periodic check comes after 90 % of the interval.
    m_scheduler = std::make_unique<ValidationScheduler>(*m_validator, *m_health, *m_cache, m_clock,
                                                        [] { return 0u; });
}

void TestValidationScheduler::cleanup()
{
    m_scheduler.reset();
    m_validator.reset();
    m_cache.reset();
    m_health.reset();
    m_pool.reset();
    m_upstream.reset();
}

Account TestValidationScheduler::account(const QString &name, bool enabled) const
{
    Account a;
    a.id = QUuid::createUuid();
    a.name = name;
    a.baseUrl = m_upstream->baseUrl();
    a.enabled = enabled;
    a.updatedAt = m_clock.now();
    return a;
}

void TestValidationScheduler::start(const QList<Account> &accounts)
{
    for (const Account &a : accounts)
        QVERIFY(SecretOps::write(*m_secrets, a.secretKey(), u"sk-ant-"_s + a.name).ok());
    m_health->setAccounts(accounts);
    m_cache->sync(m_health->accounts());
    m_scheduler->accountsChanged();
}

void TestValidationScheduler::rest(const QUuid &id, const QDateTime &until)
{
    AccountHealth resting = m_health->find(id)->health;
    resting.cooldownUntil = until;
    m_health->setHealth(id, resting);
    m_scheduler->healthChanged(id, resting);
}

void TestValidationScheduler::periodicDelayIsJittered()
{
    QCOMPARE(ValidationScheduler::periodicDelayMs(30, 0), 27 * 60 * 1000);
    QCOMPARE(ValidationScheduler::periodicDelayMs(30, 2 * 3 * 60 * 1000), 33 * 60 * 1000);
    QCOMPARE(ValidationScheduler::periodicDelayMs(30, 3 * 60 * 1000), 30 * 60 * 1000);
    for (quint32 r : {1u, 12345u, 0xffffffffu}) {
        const qint64 delay = ValidationScheduler::periodicDelayMs(10, r);
        QVERIFY(delay >= 9 * 60 * 1000 && delay <= 11 * 60 * 1000);
    }
}

void TestValidationScheduler::newAccountsAreValidated()
{
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"work"_s);
    start({a});
    QVERIFY(validated.wait(testTimeout()));
    const auto result = validated.first().first().value<ValidationResult>();
    QVERIFY(result.ok);
    QCOMPARE(m_upstream->lastRequest().method, "GET"_ba);
    QCOMPARE(m_upstream->lastRequest().path, u"/v1/models"_s);
    QCOMPARE(m_upstream->lastRequest().header("x-api-key"), "sk-ant-work"_ba);
    const AccountHealth h = m_health->find(a.id)->health;
    QCOMPARE(h.state, HealthState::Valid);
    QCOMPARE(h.lastValidated, m_clock.now());
    QVERIFY(!h.validationMessage.isEmpty());

    // Known accounts are not validated again when the list is sent again (a check would be
    // queued or running at once).
    m_scheduler->accountsChanged();
    QCOMPARE(m_scheduler->pending(), 0);
}

void TestValidationScheduler::failedValidationChangesHealthLikeARequest()
{
    m_upstream->setHandler([](const RecordedRequest &) { return ScriptedReply::unauthorized(); });
    QSignalSpy invalidated(m_health.get(), &HealthBook::accountInvalidated);
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"bad"_s);
    start({a});
    QVERIFY(validated.wait(testTimeout()));
    QCOMPARE(validated.first().first().value<ValidationResult>().ok, false);
    QCOMPARE(m_health->find(a.id)->health.state, HealthState::Invalid);
    QCOMPARE(invalidated.size(), 1);

    m_upstream->setHandler([](const RecordedRequest &) { return ScriptedReply::rateLimited(30); });
    const Account b = account(u"busy"_s);
    start({b});
    QVERIFY(QTest::qWaitFor([&] { return m_health->find(b.id)->health.cooldownUntil.isValid(); },
                            testTimeout()));
    QCOMPARE(m_health->find(b.id)->health.cooldownUntil, m_clock.now().addSecs(30));
}

void TestValidationScheduler::providerWithoutModelListFallsBackToCountTokens()
{
    m_upstream->setHandler([](const RecordedRequest &r) {
        return r.path.startsWith(u"/v1/models"_s)
            ? ScriptedReply::notFound()
            : ScriptedReply::json(200, {{u"input_tokens"_s, 3}});
    });
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    start({account(u"compat"_s)});
    QVERIFY(validated.wait(testTimeout()));
    QVERIFY(validated.first().first().value<ValidationResult>().ok);
    QCOMPARE(m_upstream->lastRequest().path, u"/v1/messages/count_tokens"_s);
    QVERIFY(!m_upstream->lastRequest().json().contains(u"max_tokens")); // costs no tokens
}

void TestValidationScheduler::restEndTriggersValidation()
{
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"resting"_s);
    start({a});
    QVERIFY(validated.wait(testTimeout()));
    m_upstream->clearRequests();

    rest(a.id, m_clock.now().addSecs(30));
    m_clock.advance(30s - 1ms);
    QCOMPARE(m_scheduler->pending(), 0);
    m_clock.advance(1ms);
    QCOMPARE(m_scheduler->pending(), 1);
    QVERIFY(validated.wait(testTimeout()));
    QCOMPARE(m_upstream->lastRequest().path, u"/v1/models"_s);

    // A rest ended by other news (a success, a user edit) is not checked at its old end.
    rest(a.id, m_clock.now().addSecs(30));
    rest(a.id, {});
    m_clock.advance(1h);
    QCOMPARE(m_scheduler->pending(), 0);
}

void TestValidationScheduler::restEndingWeeksAwayIsStillChecked()
{
    // A spend limit rests an account until next month: far beyond one QTimer's range.
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"limited"_s);
    start({a});
    QVERIFY(validated.wait(testTimeout()));

    const QDateTime until = m_clock.now().addDays(40);
    rest(a.id, until);
    m_clock.setNow(until.addMSecs(-1));
    QCOMPARE(m_scheduler->pending(), 0);
    m_clock.advance(1ms);
    QCOMPARE(m_scheduler->pending(), 1);
    QVERIFY(validated.wait(testTimeout()));
}

void TestValidationScheduler::periodicCheckValidatesEveryEnabledAccount()
{
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    start({account(u"one"_s), account(u"two"_s), account(u"off"_s, false)});
    QVERIFY(QTest::qWaitFor([&] { return validated.size() == 2; }, testTimeout()));
    m_upstream->clearRequests();

    m_scheduler->setInterval(10); // 9 minutes without jitter
    for (int round = 1; round <= 2; ++round) {
        m_clock.advance(9min - 1ms);
        QCOMPARE(m_scheduler->pending(), 0);
        m_clock.advance(1ms);
        QCOMPARE(m_scheduler->pending(), 2);
        QVERIFY(QTest::qWaitFor([&] { return validated.size() == 2 + 2 * round; }, testTimeout()));
    }
    QCOMPARE(m_upstream->requestCount(), 4);

    m_scheduler->setInterval(0); // off
    m_clock.advance(24h);
    QCOMPARE(m_scheduler->pending(), 0);
}

void TestValidationScheduler::checkWithoutAnswerTimesOutAfterThirtySeconds()
{
    m_upstream->setHandler([](const RecordedRequest &) { return ScriptedReply::timeout(); });
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"silent"_s);
    start({a});
    QVERIFY(QTest::qWaitFor([&] { return m_upstream->requestCount() == 1; }, testTimeout()));

    m_clock.advance(30s - 1ms);
    QCOMPARE(validated.size(), 0);
    m_clock.advance(1ms);
    QCOMPARE(validated.size(), 1);
    const auto result = validated.first().first().value<ValidationResult>();
    QVERIFY(!result.ok);
    QVERIFY2(result.message.contains(u"in time"_s), qPrintable(result.message));
    QCOMPARE(m_health->find(a.id)->health.errorCount, 1);
    QCOMPARE(m_scheduler->pending(), 0);
}

void TestValidationScheduler::missingKeyIsReported()
{
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"nokey"_s);
    m_health->setAccounts({a}); // no secret stored for it
    m_cache->sync(m_health->accounts());
    m_scheduler->accountsChanged();
    QVERIFY(validated.wait(testTimeout()));
    const auto result = validated.first().first().value<ValidationResult>();
    QVERIFY(!result.ok);
    QVERIFY(result.message.contains(u"could not be read"_s));
    QCOMPARE(m_upstream->requestCount(), 0);
}

void TestValidationScheduler::disabledAccountsAreLeftAlone()
{
    start({account(u"off"_s, false)});
    m_scheduler->validateAll();
    QCOMPARE(m_scheduler->pending(), 0);
    QCOMPARE(m_upstream->requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestValidationScheduler)
#include "tst_validationscheduler.moc"
