// SPDX-License-Identifier: GPL-3.0-or-later
// What SecretMask hides: the account's own key in any shape, and whatever looks like a key.
#include "core/secretmask.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSecretMask : public QObject
{
    Q_OBJECT

private slots:
    void masksKeys_data();
    void masksKeys();
    void valueKeepsTheLastFourCharacters();
};

void TestSecretMask::masksKeys_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("masked");

    QTest::newRow("own key of any shape")
        << u"invalid key 3f9a.Zk81xQpLm0 for this organisation"_s << u"3f9a.Zk81xQpLm0"_s
        << u"invalid key …pLm0 for this organisation"_s;
    QTest::newRow("anthropic key")
        << u"Incorrect API key provided: sk-ant-api03-AbCdEfGhIjKlMnOp."_s << QString()
        << u"Incorrect API key provided: …MnOp."_s;
    QTest::newRow("openrouter key in json")
        << uR"({"error":{"message":"User not found for sk-or-v1-0123456789abcdef"}})"_s << QString()
        << uR"({"error":{"message":"User not found for …cdef"}})"_s;
    QTest::newRow("access key") << u"key sbk_abcdefghijklmnop revoked"_s << QString()
                                << u"key …mnop revoked"_s;
    QTest::newRow("google key") << u"API key AIzaSyA1234567890abcdefghijklmn invalid"_s << QString()
                                << u"API key …klmn invalid"_s;
    QTest::newRow("bearer token") << u"Authorization: Bearer abc.def-ghi_jkl"_s << QString()
                                  << u"Authorization: Bearer …_jkl"_s;
    QTest::newRow("nothing secret") << u"overloaded, try again (req_011CV)"_s << QString()
                                    << u"overloaded, try again (req_011CV)"_s;
    QTest::newRow("short own key is not hunted")
        << u"key abc is wrong"_s << u"abc"_s << u"key abc is wrong"_s;
}

void TestSecretMask::masksKeys()
{
    QFETCH(QString, text);
    QFETCH(QString, secret);
    QFETCH(QString, masked);
    QCOMPARE(SecretMask::text(text, secret), masked);
}

void TestSecretMask::valueKeepsTheLastFourCharacters()
{
    QCOMPARE(SecretMask::value(u"sk-ant-123456789"_s), u"…6789"_s);
    QCOMPARE(SecretMask::value(u"abcd"_s), u"…"_s);
    QCOMPARE(SecretMask::value(QString()), u"…"_s);
}

QTEST_GUILESS_MAIN(TestSecretMask)
#include "tst_secretmask.moc"
