// SPDX-License-Identifier: GPL-3.0-or-later
// When accounts are validated, and what a validation does to their health: a scripted
// upstream over real sockets, a fake clock for timestamps.
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

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

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
    void missingKeyIsReported();
    void disabledAccountsAreLeftAlone();

private:
    Account account(const QString &name, bool enabled = true) const;
    void start(const QList<Account> &accounts);

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
    m_scheduler = std::make_unique<ValidationScheduler>(*m_validator, *m_health, *m_cache, m_clock);
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
    QVERIFY(validated.wait(10000));
    const auto result = validated.first().first().value<ValidationResult>();
    QVERIFY(result.ok);
    QCOMPARE(m_upstream->lastRequest().method, "GET"_ba);
    QCOMPARE(m_upstream->lastRequest().path, u"/v1/models"_s);
    QCOMPARE(m_upstream->lastRequest().header("x-api-key"), "sk-ant-work"_ba);
    const AccountHealth h = m_health->find(a.id)->health;
    QCOMPARE(h.state, HealthState::Valid);
    QCOMPARE(h.lastValidated, m_clock.now());
    QVERIFY(h.validationLatencyMs >= 0);
    QVERIFY(!h.validationMessage.isEmpty());

    // Known accounts are not validated again when the list is sent again.
    m_upstream->clearRequests();
    m_scheduler->accountsChanged();
    QTest::qWait(200);
    QCOMPARE(m_upstream->requestCount(), 0);
}

void TestValidationScheduler::failedValidationChangesHealthLikeARequest()
{
    m_upstream->setHandler([](const RecordedRequest &) { return ScriptedReply::unauthorized(); });
    QSignalSpy invalidated(m_health.get(), &HealthBook::accountInvalidated);
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"bad"_s);
    start({a});
    QVERIFY(validated.wait(10000));
    QCOMPARE(validated.first().first().value<ValidationResult>().ok, false);
    QCOMPARE(m_health->find(a.id)->health.state, HealthState::Invalid);
    QCOMPARE(invalidated.size(), 1);

    m_upstream->setHandler([](const RecordedRequest &) { return ScriptedReply::rateLimited(30); });
    const Account b = account(u"busy"_s);
    start({b});
    QVERIFY(QTest::qWaitFor([&] { return m_health->find(b.id)->health.cooldownUntil.isValid(); },
                            10000));
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
    QVERIFY(validated.wait(10000));
    QVERIFY(validated.first().first().value<ValidationResult>().ok);
    QCOMPARE(m_upstream->lastRequest().path, u"/v1/messages/count_tokens"_s);
    QVERIFY(!m_upstream->lastRequest().json().contains(u"max_tokens")); // costs no tokens
}

void TestValidationScheduler::restEndTriggersValidation()
{
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"resting"_s);
    start({a});
    QVERIFY(validated.wait(10000));
    m_upstream->clearRequests();

    AccountHealth resting = m_health->find(a.id)->health;
    resting.cooldownUntil = m_clock.now().addMSecs(300);
    m_health->setHealth(a.id, resting); // as a 429 would; the scheduler hears healthChanged
    m_scheduler->healthChanged(a.id, resting);
    QVERIFY(QTest::qWaitFor([&] { return m_upstream->requestCount() > 0; }, 10000));
    QCOMPARE(m_upstream->lastRequest().path, u"/v1/models"_s);
}

void TestValidationScheduler::missingKeyIsReported()
{
    QSignalSpy validated(m_scheduler.get(), &ValidationScheduler::validated);
    const Account a = account(u"nokey"_s);
    m_health->setAccounts({a}); // no secret stored for it
    m_cache->sync(m_health->accounts());
    m_scheduler->accountsChanged();
    QVERIFY(validated.wait(10000));
    const auto result = validated.first().first().value<ValidationResult>();
    QVERIFY(!result.ok);
    QVERIFY(result.message.contains(u"could not be read"_s));
    QCOMPARE(m_upstream->requestCount(), 0);
}

void TestValidationScheduler::disabledAccountsAreLeftAlone()
{
    start({account(u"off"_s, false)});
    m_scheduler->validateAll();
    QTest::qWait(300);
    QCOMPARE(m_upstream->requestCount(), 0);
}

QTEST_GUILESS_MAIN(TestValidationScheduler)
#include "tst_validationscheduler.moc"
