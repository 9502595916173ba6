// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/modelmapping.h"
#include "support/testprinters.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestModelMapping : public QObject
{
    Q_OBJECT

private slots:
    void globMatch_data();
    void globMatch();
    void exactBeatsWildcard();
    void firstWildcardWins();
    void starAloneIsDefault();
    void questionMarkMatchesOneCharacter();
    void noMatchLeavesModelUnchanged();
    void matchingIsCaseSensitive();
    void parseRule_data();
    void parseRule();
    void parseRuleErrors_data();
    void parseRuleErrors();
};

void TestModelMapping::globMatch_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");

    QTest::newRow("exact") << u"claude-3"_s << u"claude-3"_s << true;
    QTest::newRow("exact differs") << u"claude-3"_s << u"claude-4"_s << false;
    QTest::newRow("star suffix") << u"claude-*"_s << u"claude-opus-4"_s << true;
    QTest::newRow("star matches empty") << u"claude-*"_s << u"claude-"_s << true;
    QTest::newRow("star prefix") << u"*-sonnet"_s << u"claude-3-5-sonnet"_s << true;
    QTest::newRow("star middle") << u"claude-*-sonnet"_s << u"claude-3-5-sonnet"_s << true;
    QTest::newRow("star middle no match") << u"claude-*-sonnet"_s << u"claude-3-opus"_s << false;
    QTest::newRow("two stars backtrack") << u"*a*b"_s << u"xaxxab"_s << true;
    QTest::newRow("two stars no match") << u"*a*b"_s << u"xaxxa"_s << false;
    QTest::newRow("star alone") << u"*"_s << u"anything"_s << true;
    QTest::newRow("star alone empty") << u"*"_s << QString() << true;
    QTest::newRow("question") << u"gpt-?"_s << u"gpt-4"_s << true;
    QTest::newRow("question needs one") << u"gpt-?"_s << u"gpt-"_s << false;
    QTest::newRow("question only one") << u"gpt-?"_s << u"gpt-4o"_s << false;
    QTest::newRow("text longer") << u"claude"_s << u"claude-3"_s << false;
    QTest::newRow("pattern longer") << u"claude-3"_s << u"claude"_s << false;
    QTest::newRow("case") << u"Claude-*"_s << u"claude-3"_s << false;
}

void TestModelMapping::globMatch()
{
    QFETCH(QString, pattern);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(::globMatch(pattern, text), matches);
}

void TestModelMapping::exactBeatsWildcard()
{
    // The wildcard is listed first and matches too: the exact rule must still win.
    const ModelMapping mapping(
        { { u"claude-*"_s, u"gpt-4o-mini"_s }, { u"claude-opus-4"_s, u"gpt-4o"_s } });
    QCOMPARE(mapping.map(u"claude-opus-4"_s), u"gpt-4o"_s);
    QCOMPARE(mapping.map(u"claude-haiku"_s), u"gpt-4o-mini"_s);
}

void TestModelMapping::firstWildcardWins()
{
    const ModelMapping mapping({ { u"claude-opus-*"_s, u"first"_s },
                                 { u"claude-*"_s, u"second"_s },
                                 { u"*"_s, u"third"_s } });
    QCOMPARE(mapping.map(u"claude-opus-4"_s), u"first"_s);
    QCOMPARE(mapping.map(u"claude-sonnet-4"_s), u"second"_s);
    QCOMPARE(mapping.map(u"other"_s), u"third"_s);

    const ModelMapping reversed(
        { { u"claude-*"_s, u"second"_s }, { u"claude-opus-*"_s, u"first"_s } });
    QCOMPARE(reversed.map(u"claude-opus-4"_s), u"second"_s);
}

void TestModelMapping::starAloneIsDefault()
{
    const ModelMapping mapping(
        { { u"*"_s, u"default-model"_s }, { u"claude-haiku"_s, u"small-model"_s } });
    QCOMPARE(mapping.map(u"claude-haiku"_s), u"small-model"_s);
    QCOMPARE(mapping.map(u"claude-opus-4"_s), u"default-model"_s);
    QCOMPARE(mapping.map(u"x"_s), u"default-model"_s);
}

void TestModelMapping::questionMarkMatchesOneCharacter()
{
    const ModelMapping mapping({ { u"claude-?"_s, u"one"_s } });
    QCOMPARE(mapping.map(u"claude-3"_s), u"one"_s);
    QCOMPARE(mapping.map(u"claude-35"_s), u"claude-35"_s);
    QCOMPARE(mapping.map(u"claude-"_s), u"claude-"_s);
}

void TestModelMapping::noMatchLeavesModelUnchanged()
{
    const ModelMapping mapping({ { u"claude-opus-*"_s, u"gpt-4o"_s }, { u"exact"_s, u"other"_s } });
    QCOMPARE(mapping.map(u"claude-sonnet-4"_s), u"claude-sonnet-4"_s);
    QCOMPARE(mapping.map(u"exactly"_s), u"exactly"_s);

    const ModelMapping empty;
    QVERIFY(empty.isEmpty());
    QCOMPARE(empty.map(u"claude-opus-4"_s), u"claude-opus-4"_s);
}

void TestModelMapping::matchingIsCaseSensitive()
{
    const ModelMapping mapping({ { u"Claude-Opus"_s, u"exact"_s }, { u"CLAUDE-*"_s, u"wild"_s } });
    QCOMPARE(mapping.map(u"claude-opus"_s), u"claude-opus"_s);
    QCOMPARE(mapping.map(u"Claude-Opus"_s), u"exact"_s);
    QCOMPARE(mapping.map(u"CLAUDE-x"_s), u"wild"_s);
}

void TestModelMapping::parseRule_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("target");

    QTest::newRow("plain") << u"claude-opus-*=gpt-4o"_s << u"claude-opus-*"_s << u"gpt-4o"_s;
    QTest::newRow("spaces trimmed") << u"  claude-x =  gpt-4o  "_s << u"claude-x"_s << u"gpt-4o"_s;
    QTest::newRow("first equals splits") << u"a=b=c"_s << u"a"_s << u"b=c"_s;
    QTest::newRow("default") << u"*=gpt-4o-mini"_s << u"*"_s << u"gpt-4o-mini"_s;
}

void TestModelMapping::parseRule()
{
    QFETCH(QString, text);
    QFETCH(QString, pattern);
    QFETCH(QString, target);
    const auto rule = ModelMapping::parseRule(text);
    QVERIFY2(rule, qPrintable(errorMessage(rule)));
    QCOMPARE(rule->pattern, pattern);
    QCOMPARE(rule->target, target);
}

void TestModelMapping::parseRuleErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << QString();
    QTest::newRow("no equals") << u"claude-opus"_s;
    QTest::newRow("no pattern") << u"=gpt-4o"_s;
    QTest::newRow("no target") << u"claude-opus="_s;
    QTest::newRow("blank sides") << u"  =  "_s;
}

void TestModelMapping::parseRuleErrors()
{
    QFETCH(QString, text);
    const auto rule = ModelMapping::parseRule(text);
    QVERIFY(!rule);
    QCOMPARE(rule.error().kind, Error::Kind::Invalid);
    QVERIFY2(rule.error().message.contains(u"PATTERN=MODEL"), qPrintable(rule.error().message));
    QVERIFY2(rule.error().message.contains(u'"' + text + u'"'), qPrintable(rule.error().message));
}

QTEST_GUILESS_MAIN(TestModelMapping)
#include "tst_modelmapping.moc"
