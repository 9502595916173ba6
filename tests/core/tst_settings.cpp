// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/settings.h"
#include "support/testprinters.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSettings : public QObject
{
    Q_OBJECT

private slots:
    void definitionsAreConsistent();
    void defaults();
    void parseBool_data();
    void parseBool();
    void parseInt_data();
    void parseInt();
    void parseChoice_data();
    void parseChoice();
    void parseAddress_data();
    void parseAddress();
    void outOfRangeRefusedNeverClamped_data();
    void outOfRangeRefusedNeverClamped();
    void validateTypedValues_data();
    void validateTypedValues();
    void unknownKeyIsNotFound();
    void formatParsesBack();
    void changedKeys();
};

void TestSettings::definitionsAreConsistent()
{
    QSet<QString> keys;
    for (const SettingDefinition &d : Settings::definitions()) {
        QVERIFY2(!keys.contains(d.key), qPrintable(d.key));
        keys.insert(d.key);
        QCOMPARE(Settings::definition(d.key), &d);
        QVERIFY(d.description && *d.description);
        // Every default is a value the setting accepts, in the form it stores.
        const auto checked = Settings::validate(d.key, d.defaultValue);
        QVERIFY2(checked, qPrintable(d.key));
        QCOMPARE(*checked, d.defaultValue);
    }
    QCOMPARE(Settings::definition(u"no.such.key"_s), nullptr);
}

void TestSettings::defaults()
{
    const Settings s;
    QCOMPARE(s.listenAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(s.listenPort(), Settings::defaultPort);
    QCOMPARE(s.strategy(), u"priority"_s);
    QCOMPARE(s.validationIntervalMinutes(), 30);
    QCOMPARE(s.errorThreshold(), 3);
    QCOMPARE(s.rateLimitCooldownSeconds(), 60);
    QCOMPARE(s.overloadedCooldownSeconds(), 15);
    QCOMPARE(s.circuitCooldownSeconds(), 120);
    QCOMPARE(s.permissionCooldownSeconds(), 3600);
    QCOMPARE(s.stickyTtlMinutes(), 60);
    QCOMPARE(s.debugLogging(), false);
    QCOMPARE(s.language(), u"system"_s);
    QCOMPARE(s.startMinimized(), false);
    QVERIFY(s.changedKeys().isEmpty());
}

void TestSettings::parseBool_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("expected");

    for (const QString &t : { u"true"_s, u"TRUE"_s, u"1"_s, u"yes"_s, u"on"_s, u" True "_s })
        QTest::newRow(qPrintable(u"true: "_s + t)) << t << true << true;
    for (const QString &t : { u"false"_s, u"0"_s, u"no"_s, u"off"_s, u"Off"_s })
        QTest::newRow(qPrintable(u"false: "_s + t)) << t << true << false;
    for (const QString &t : { QString(), u"maybe"_s, u"2"_s, u"truee"_s })
        QTest::newRow(qPrintable(u"invalid: "_s + t)) << t << false << false;
}

void TestSettings::parseBool()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(bool, expected);
    const auto v = Settings::parse(SettingKeys::debugLogging, text);
    QCOMPARE(v.ok(), valid);
    if (valid) {
        QCOMPARE(v->typeId(), QMetaType::Bool);
        QCOMPARE(v->toBool(), expected);
    } else {
        QCOMPARE(v.error().kind, Error::Kind::Invalid);
        QVERIFY(v.error().message.contains(SettingKeys::debugLogging));
        QVERIFY(v.error().message.contains(u"true or false"));
    }
}

void TestSettings::parseInt_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("expected");

    QTest::newRow("plain") << u"8080"_s << true << 8080;
    QTest::newRow("spaces") << u" 8080 "_s << true << 8080;
    QTest::newRow("min") << u"1"_s << true << 1;
    QTest::newRow("max") << u"65535"_s << true << 65535;
    QTest::newRow("word") << u"eighty"_s << false << 0;
    QTest::newRow("fraction") << u"80.5"_s << false << 0;
    QTest::newRow("empty") << QString() << false << 0;
    QTest::newRow("trailing text") << u"80x"_s << false << 0;
}

void TestSettings::parseInt()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(int, expected);
    const auto v = Settings::parse(SettingKeys::listenPort, text);
    QCOMPARE(v.ok(), valid);
    if (valid) {
        QCOMPARE(v->typeId(), QMetaType::Int);
        QCOMPARE(v->toInt(), expected);
    } else {
        QCOMPARE(v.error().kind, Error::Kind::Invalid);
        QVERIFY(v.error().message.contains(SettingKeys::listenPort));
    }
}

void TestSettings::parseChoice_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    for (const QString &t : { u"priority"_s, u"round_robin"_s, u"least_used"_s, u"weighted"_s })
        QTest::newRow(qPrintable(t)) << t << true;
    QTest::newRow("unknown") << u"random"_s << false;
    QTest::newRow("case") << u"Priority"_s << false;
    QTest::newRow("empty") << QString() << false;
}

void TestSettings::parseChoice()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    const auto v = Settings::parse(SettingKeys::strategy, text);
    QCOMPARE(v.ok(), valid);
    if (valid) {
        QCOMPARE(v->toString(), text);
    } else {
        QCOMPARE(v.error().kind, Error::Kind::Invalid);
        // The message lists what is allowed.
        QVERIFY2(v.error().message.contains(u"round_robin"), qPrintable(v.error().message));
    }
}

void TestSettings::parseAddress_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // empty: refused

    QTest::newRow("loopback") << u"127.0.0.1"_s << u"127.0.0.1"_s;
    QTest::newRow("any") << u"0.0.0.0"_s << u"0.0.0.0"_s;
    QTest::newRow("ipv6 loopback") << u"::1"_s << u"::1"_s;
    QTest::newRow("ipv6 normalised") << u"0:0:0:0:0:0:0:1"_s << u"::1"_s;
    QTest::newRow("hostname") << u"localhost"_s << QString();
    QTest::newRow("bad octet") << u"256.0.0.1"_s << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestSettings::parseAddress()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const auto v = Settings::parse(SettingKeys::listenAddress, text);
    QCOMPARE(v.ok(), !expected.isEmpty());
    if (v) {
        QCOMPARE(v->toString(), expected);
    } else {
        QCOMPARE(v.error().kind, Error::Kind::Invalid);
        QVERIFY(v.error().message.contains(SettingKeys::listenAddress));
    }
}

void TestSettings::outOfRangeRefusedNeverClamped_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("range");

    QTest::newRow("port 0") << SettingKeys::listenPort << u"0"_s << u"between 1 and 65535"_s;
    QTest::newRow("port 65536") << SettingKeys::listenPort << u"65536"_s
                                << u"between 1 and 65535"_s;
    QTest::newRow("port huge") << SettingKeys::listenPort << u"99999999999"_s
                               << u"between 1 and 65535"_s;
    QTest::newRow("interval negative")
        << SettingKeys::validationInterval << u"-1"_s << u"between 0 and 1440"_s;
    QTest::newRow("threshold 0") << SettingKeys::errorThreshold << u"0"_s << u"between 1 and 100"_s;
    QTest::newRow("sticky too long")
        << SettingKeys::stickyTtl << u"1441"_s << u"between 0 and 1440"_s;
}

void TestSettings::outOfRangeRefusedNeverClamped()
{
    QFETCH(QString, key);
    QFETCH(QString, text);
    QFETCH(QString, range);

    const auto parsed = Settings::parse(key, text);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().kind, Error::Kind::Invalid);
    QVERIFY2(parsed.error().message.contains(range), qPrintable(parsed.error().message));
    QVERIFY2(parsed.error().message.contains(text), qPrintable(parsed.error().message));

    Settings s;
    const QVariant before = s.value(key);
    const Status set = s.set(key, text.toLongLong());
    QVERIFY(!set);
    QCOMPARE(set.error().kind, Error::Kind::Invalid);
    QCOMPARE(s.value(key), before);
    QVERIFY(s.changedKeys().isEmpty());
}

void TestSettings::validateTypedValues_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QVariant>("expected"); // invalid QVariant: refused

    QTest::newRow("int") << SettingKeys::listenPort << QVariant(8080) << QVariant(8080);
    QTest::newRow("long long") << SettingKeys::listenPort << QVariant(qlonglong(8080))
                               << QVariant(8080);
    QTest::newRow("whole double") << SettingKeys::listenPort << QVariant(8080.0) << QVariant(8080);
    QTest::newRow("fractional double") << SettingKeys::listenPort << QVariant(8080.5) << QVariant();
    QTest::newRow("int as string") << SettingKeys::listenPort << QVariant(u"8080"_s) << QVariant();
    QTest::newRow("int as bool") << SettingKeys::listenPort << QVariant(true) << QVariant();
    QTest::newRow("null int") << SettingKeys::listenPort << QVariant() << QVariant();
    QTest::newRow("bool") << SettingKeys::debugLogging << QVariant(true) << QVariant(true);
    QTest::newRow("bool as int") << SettingKeys::debugLogging << QVariant(1) << QVariant();
    QTest::newRow("bool as string")
        << SettingKeys::debugLogging << QVariant(u"true"_s) << QVariant();
    QTest::newRow("choice") << SettingKeys::language << QVariant(u"zh_CN"_s)
                            << QVariant(u"zh_CN"_s);
    QTest::newRow("choice not string") << SettingKeys::language << QVariant(1) << QVariant();
    QTest::newRow("address") << SettingKeys::listenAddress << QVariant(u"::1"_s)
                             << QVariant(u"::1"_s);
    QTest::newRow("address not string")
        << SettingKeys::listenAddress << QVariant(2130706433) << QVariant();
}

void TestSettings::validateTypedValues()
{
    QFETCH(QString, key);
    QFETCH(QVariant, value);
    QFETCH(QVariant, expected);
    const auto checked = Settings::validate(key, value);
    QCOMPARE(checked.ok(), expected.isValid());
    if (checked) {
        QCOMPARE(*checked, expected);
        QCOMPARE(checked->typeId(), expected.typeId());
    } else {
        QCOMPARE(checked.error().kind, Error::Kind::Invalid);
        QVERIFY(checked.error().message.contains(key));
    }
}

void TestSettings::unknownKeyIsNotFound()
{
    const QString key = u"gateway.prot"_s;
    const auto parsed = Settings::parse(key, u"80"_s);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().kind, Error::Kind::NotFound);
    QVERIFY(parsed.error().message.contains(key));

    const auto validated = Settings::validate(key, 80);
    QVERIFY(!validated);
    QCOMPARE(validated.error().kind, Error::Kind::NotFound);

    Settings s;
    const Status set = s.set(key, 80);
    QVERIFY(!set);
    QCOMPARE(set.error().kind, Error::Kind::NotFound);
    QVERIFY(s.changedKeys().isEmpty());
}

void TestSettings::formatParsesBack()
{
    for (const SettingDefinition &d : Settings::definitions()) {
        const QString text = Settings::format(d.defaultValue);
        const auto parsed = Settings::parse(d.key, text);
        QVERIFY2(parsed, qPrintable(d.key + u": "_s + text));
        QCOMPARE(*parsed, d.defaultValue);
    }
    QCOMPARE(Settings::format(true), u"true"_s);
    QCOMPARE(Settings::format(false), u"false"_s);
    QCOMPARE(Settings::format(42), u"42"_s);
}

void TestSettings::changedKeys()
{
    Settings s;
    QVERIFY(s.set(SettingKeys::strategy, u"weighted"_s));
    QVERIFY(s.set(SettingKeys::listenPort, 8080));
    QVERIFY(s.set(SettingKeys::debugLogging, false)); // same as the default
    // In definition order, not in the order they were set.
    QCOMPARE(s.changedKeys(), QStringList({ SettingKeys::listenPort, SettingKeys::strategy }));
    QCOMPARE(s.listenPort(), quint16(8080));
    QCOMPARE(s.strategy(), u"weighted"_s);

    QVERIFY(s.set(SettingKeys::listenPort, int(Settings::defaultPort)));
    QCOMPARE(s.changedKeys(), QStringList({ SettingKeys::strategy }));

    // A copy is independent.
    Settings copy = s;
    QVERIFY(copy.set(SettingKeys::strategy, u"priority"_s));
    QVERIFY(copy.changedKeys().isEmpty());
    QCOMPARE(s.strategy(), u"weighted"_s);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
