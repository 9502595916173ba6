// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/settingsstore.h"
#include "support/fakeclock.h"
#include "support/testdatabase.h"
#include "support/testprinters.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSettingsStore : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void emptyDatabaseGivesDefaults();
    void saveLoadRoundTrip();
    void saveOverwrites();
    void invalidValueNotSaved();
    void unknownKeyIsNotFound();
    void reset();
    void survivesReopen();
    void invalidStoredValueIgnored();

private:
    Settings load();
    QString storedText(const QString &key);

    FakeClock m_clock;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<SettingsStore> m_store;
};

void TestSettingsStore::init()
{
    SWITCHBOARD_REQUIRE_TEST_DATABASE();
    m_clock.setNow(FakeClock::defaultStart());
    auto db = TestDatabase::create(m_clock);
    QVERIFY2(db, qPrintable(errorMessage(db)));
    m_db = std::move(db).value();
    m_store = std::make_unique<SettingsStore>(m_db->database(), m_clock);
}

void TestSettingsStore::cleanup()
{
    m_store.reset();
    m_db.reset();
}

Settings TestSettingsStore::load()
{
    auto settings = m_store->load();
    if (!settings) {
        QTest::qFail(qPrintable(settings.error().message), __FILE__, __LINE__);
        return {};
    }
    return *settings;
}

QString TestSettingsStore::storedText(const QString &key)
{
    QSqlQuery q(m_db->connection());
    q.prepare(u"SELECT setting_value FROM settings WHERE setting_key = ?"_s);
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return {};
    return q.value(0).toString();
}

void TestSettingsStore::emptyDatabaseGivesDefaults()
{
    const Settings s = load();
    QVERIFY(s.changedKeys().isEmpty());
    QCOMPARE(s.listenPort(), Settings::defaultPort);
    QCOMPARE(s.strategy(), u"priority"_s);
}

void TestSettingsStore::saveLoadRoundTrip()
{
    QVERIFY(m_store->save(SettingKeys::listenPort, 8080));
    QVERIFY(m_store->save(SettingKeys::strategy, u"least_used"_s));
    QVERIFY(m_store->save(SettingKeys::debugLogging, true));
    QVERIFY(m_store->save(SettingKeys::listenAddress, u"::1"_s));
    QVERIFY(m_store->save(SettingKeys::validationInterval, 0));

    const Settings s = load();
    QCOMPARE(s.listenPort(), quint16(8080));
    QCOMPARE(s.strategy(), u"least_used"_s);
    QCOMPARE(s.debugLogging(), true);
    QCOMPARE(s.listenAddress(), QHostAddress(QHostAddress::LocalHostIPv6));
    QCOMPARE(s.validationIntervalMinutes(), 0);
    QCOMPARE(
        s.changedKeys(),
        QStringList({ SettingKeys::listenAddress, SettingKeys::listenPort, SettingKeys::strategy,
                      SettingKeys::validationInterval, SettingKeys::debugLogging }));
    // Stored as the text `parse` accepts.
    QCOMPARE(storedText(SettingKeys::debugLogging), u"true"_s);
    QCOMPARE(storedText(SettingKeys::listenPort), u"8080"_s);
}

void TestSettingsStore::saveOverwrites()
{
    QVERIFY(m_store->save(SettingKeys::listenPort, 8080));
    m_clock.advanceSecs(5);
    QVERIFY(m_store->save(SettingKeys::listenPort, 9090));
    QCOMPARE(load().listenPort(), quint16(9090));

    QSqlQuery q(m_db->connection());
    QVERIFY(q.exec(u"SELECT COUNT(*), MAX(updated_at) FROM settings"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QCOMPARE(q.value(1).toLongLong(), m_clock.nowMs());
}

void TestSettingsStore::invalidValueNotSaved()
{
    QVERIFY(m_store->save(SettingKeys::listenPort, 8080));
    const Status s = m_store->save(SettingKeys::listenPort, 70000);
    QVERIFY(!s);
    QCOMPARE(s.error().kind, Error::Kind::Invalid);
    QVERIFY(s.error().message.contains(u"65535"));
    QCOMPARE(load().listenPort(), quint16(8080));

    QVERIFY(!m_store->save(SettingKeys::strategy, u"random"_s));
    QVERIFY(!m_store->save(SettingKeys::debugLogging, u"true"_s)); // text is not a bool
    QCOMPARE(load().changedKeys(), QStringList({ SettingKeys::listenPort }));
}

void TestSettingsStore::unknownKeyIsNotFound()
{
    const Status saved = m_store->save(u"no.such.setting"_s, 1);
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, Error::Kind::NotFound);
    const Status reset = m_store->reset(u"no.such.setting"_s);
    QVERIFY(!reset);
    QCOMPARE(reset.error().kind, Error::Kind::NotFound);
    QVERIFY(storedText(u"no.such.setting"_s).isEmpty());
}

void TestSettingsStore::reset()
{
    QVERIFY(m_store->save(SettingKeys::listenPort, 8080));
    QVERIFY(m_store->save(SettingKeys::strategy, u"weighted"_s));
    QVERIFY(m_store->reset(SettingKeys::listenPort));
    const Settings s = load();
    QCOMPARE(s.listenPort(), Settings::defaultPort);
    QCOMPARE(s.strategy(), u"weighted"_s);
    QVERIFY(storedText(SettingKeys::listenPort).isEmpty());
    // Resetting what was never set is fine.
    QVERIFY(m_store->reset(SettingKeys::language));
}

void TestSettingsStore::survivesReopen()
{
    QVERIFY(m_store->save(SettingKeys::stickyTtl, 5));
    m_store.reset();
    const Status reopened = m_db->reopen(m_clock);
    QVERIFY2(reopened, qPrintable(errorMessage(reopened)));
    m_store = std::make_unique<SettingsStore>(m_db->database(), m_clock);
    QCOMPARE(load().stickyTtlMinutes(), 5);
}

void TestSettingsStore::invalidStoredValueIgnored()
{
    // Values written by another version, or by hand: each is skipped with a warning.
    QVERIFY(m_store->save(SettingKeys::strategy, u"round_robin"_s));
    QSqlQuery q(m_db->connection());
    q.prepare(u"INSERT INTO settings (setting_key, setting_value, updated_at) VALUES (?, ?, 0)"_s);
    for (const auto &[key, text] : { std::pair { SettingKeys::listenPort, u"99999"_s },
                                     std::pair { SettingKeys::debugLogging, u"perhaps"_s },
                                     std::pair { u"removed.in.v2"_s, u"1"_s } }) {
        q.addBindValue(key);
        q.addBindValue(text);
        QVERIFY(q.exec());
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(u"Ignoring stored setting "_s + QRegularExpression::escape(key)));
    }

    const Settings s = load();
    QCOMPARE(s.listenPort(), Settings::defaultPort);
    QCOMPARE(s.debugLogging(), false);
    QCOMPARE(s.strategy(), u"round_robin"_s);
    QCOMPARE(s.changedKeys(), QStringList({ SettingKeys::strategy }));
}

QTEST_GUILESS_MAIN(TestSettingsStore)
#include "tst_settingsstore.moc"
