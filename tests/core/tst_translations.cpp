// SPDX-License-Identifier: GPL-3.0-or-later
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

/// One <message> of a Qt Linguist .ts file, as far as this test cares.
struct TsMessage
{
    QString context;
    QString source;
    QString type; ///< the <translation> type attribute: empty, unfinished, vanished, obsolete
    QStringList forms; ///< the translation text, or one entry per <numerusform>
    bool numerus = false;
    qint64 line = 0;
};

struct TsFile
{
    QList<TsMessage> messages;
    QString error; ///< empty when the XML was read to the end
};

TsFile parseTs(const QByteArray &data)
{
    TsFile file;
    QXmlStreamReader xml(data);
    QString context;
    std::optional<TsMessage> message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const QStringView name = xml.name();
            if (name == u"context") {
                context.clear();
            } else if (name == u"name" && !message) {
                context = xml.readElementText();
            } else if (name == u"message") {
                message.emplace();
                message->context = context;
                message->numerus = xml.attributes().value("numerus"_L1) == u"yes";
                message->line = xml.lineNumber();
            } else if (message && name == u"source") {
                message->source = xml.readElementText();
            } else if (message && name == u"translation") {
                message->type = xml.attributes().value("type"_L1).toString();
                if (!message->numerus)
                    message->forms << xml.readElementText();
            } else if (message && name == u"numerusform") {
                message->forms << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == u"message" && message) {
            file.messages << *message;
            message.reset();
        }
    }
    if (xml.hasError()) {
        file.error = u"line %1, column %2: %3"_s.arg(xml.lineNumber())
                         .arg(xml.columnNumber())
                         .arg(xml.errorString());
    }
    return file;
}

/// The placeholders QString::arg() and tr(…, n) replace, sorted so that two lists compare
/// as multisets: %1 to %99, %n, and their localized forms %L1, %Ln.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression pattern(u"%L?(?:[1-9][0-9]?|n)"_s);
    QStringList found;
    for (const QRegularExpressionMatch &match : pattern.globalMatch(text))
        found << match.captured();
    found.sort();
    return found;
}

/// Why the message would show up untranslated or garbled at run time; empty when it is fine.
QString problemWith(const TsMessage &message)
{
    QStringList problems;
    if (message.type == u"unfinished")
        problems << u"marked unfinished"_s;
    if (message.forms.isEmpty())
        problems << u"no translation"_s;
    const QStringList expected = placeholders(message.source);
    for (qsizetype i = 0; i < message.forms.size(); ++i) {
        const QString form = message.numerus ? u"numerus form %1"_s.arg(i + 1) : u"translation"_s;
        if (message.forms[i].trimmed().isEmpty()) {
            problems << form + u" is empty"_s;
            continue;
        }
        const QStringList actual = placeholders(message.forms[i]);
        if (actual != expected) {
            problems << u"%1 has placeholders [%2], the source has [%3]"_s.arg(
                form, actual.join(u", "), expected.join(u", "));
        }
    }
    return problems.join(u"; ");
}

bool isRetired(const TsMessage &message)
{
    return message.type == u"vanished" || message.type == u"obsolete";
}

} // namespace

/// Keeps the Simplified Chinese translation complete: every message translated, finished and
/// with the same placeholders as its source. Set SWITCHBOARD_TEST_TS_FILE to check another file.
class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void fileIsReadable();
    void message_data();
    void message();
    void detectsBrokenMessages_data();
    void detectsBrokenMessages();

private:
    QString m_path;
    TsFile m_file;
};

void TestTranslations::initTestCase()
{
    m_path
        = qEnvironmentVariable("SWITCHBOARD_TEST_TS_FILE", QString::fromUtf8(SWITCHBOARD_TS_FILE));
    QFile file(m_path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(m_path + u": "_s + file.errorString()));
    m_file = parseTs(file.readAll());
    qInfo("Checking %s", qUtf8Printable(m_path));
}

void TestTranslations::fileIsReadable()
{
    QVERIFY2(m_file.error.isEmpty(), qPrintable(m_path + u": "_s + m_file.error));
    QVERIFY2(!m_file.messages.isEmpty(), qPrintable(m_path + u" has no messages"_s));
}

void TestTranslations::message_data()
{
    QTest::addColumn<int>("index");
    for (qsizetype i = 0; i < m_file.messages.size(); ++i) {
        const TsMessage &m = m_file.messages[i];
        if (isRetired(m))
            continue;
        // The line number keeps tags unique; the full source text is in the failure message.
        QTest::addRow("%s:%lld %s", qUtf8Printable(m.context), m.line,
                      qUtf8Printable(m.source.left(60).replace(u'\n', u' ')))
            << int(i);
    }
}

void TestTranslations::message()
{
    QFETCH(int, index);
    const TsMessage &m = m_file.messages[index];
    const QString problem = problemWith(m);
    QVERIFY2(problem.isEmpty(),
             qPrintable(u"context \"%1\", source \"%2\" (%3 line %4): %5"_s.arg(
                 m.context, m.source, m_path, QString::number(m.line), problem)));
}

void TestTranslations::detectsBrokenMessages_data()
{
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("problem"); // a part of problemWith(); empty: no problem

    QTest::newRow("finished") << R"(<message><source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation></message>)"_ba
                              << QString();
    QTest::newRow("reordered") << R"(<message><source>%1 of %2</source>
        <translation>%2 中的 %1</translation></message>)"_ba
                               << QString();
    QTest::newRow("unfinished") << R"(<message><source>Name</source>
        <translation type="unfinished">名称</translation></message>)"_ba
                                << u"marked unfinished"_s;
    QTest::newRow("empty") << R"(<message><source>Name</source>
        <translation></translation></message>)"_ba
                           << u"translation is empty"_s;
    QTest::newRow("blank") << R"(<message><source>Name</source>
        <translation>  </translation></message>)"_ba
                           << u"translation is empty"_s;
    QTest::newRow("missing") << R"(<message><source>Name</source></message>)"_ba
                             << u"no translation"_s;
    QTest::newRow("placeholder lost") << R"(<message><source>Cannot open %1: %2</source>
        <translation>无法打开 %1</translation></message>)"_ba
                                      << u"has placeholders [%1], the source has [%1, %2]"_s;
    QTest::newRow("placeholder doubled") << R"(<message><source>Open %1</source>
        <translation>打开 %1 %1</translation></message>)"_ba
                                         << u"placeholders [%1, %1]"_s;
    QTest::newRow("placeholder renumbered") << R"(<message><source>Open %1</source>
        <translation>打开 %2</translation></message>)"_ba
                                            << u"placeholders [%2]"_s;
    QTest::newRow("localized lost") << R"(<message><source>%L1 bytes</source>
        <translation>%1 字节</translation></message>)"_ba
                                    << u"the source has [%L1]"_s;
    QTest::newRow("two digits") << R"(<message><source>%10</source>
        <translation>%1</translation></message>)"_ba
                                << u"the source has [%10]"_s;
    QTest::newRow("numerus") << R"(<message numerus="yes"><source>%n account(s)</source>
        <translation><numerusform>%n 个账户</numerusform></translation></message>)"_ba
                             << QString();
    QTest::newRow("numerus without n") << R"(<message numerus="yes"><source>%n file(s)</source>
        <translation><numerusform>文件</numerusform></translation></message>)"_ba
                                       << u"numerus form 1 has placeholders []"_s;
    QTest::newRow("numerus empty") << R"(<message numerus="yes"><source>%n file(s)</source>
        <translation type="unfinished"><numerusform></numerusform></translation></message>)"_ba
                                   << u"marked unfinished; numerus form 1 is empty"_s;
}

void TestTranslations::detectsBrokenMessages()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, problem);

    const TsFile file = parseTs(R"(<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN"><context><name>Test</name>)"_ba
                                + message + "</context></TS>"_ba);
    QVERIFY2(file.error.isEmpty(), qPrintable(file.error));
    QCOMPARE(file.messages.size(), 1);
    QCOMPARE(file.messages.first().context, u"Test"_s);
    const QString found = problemWith(file.messages.first());
    if (problem.isEmpty())
        QVERIFY2(found.isEmpty(), qPrintable(found));
    else
        QVERIFY2(found.contains(problem), qPrintable(found));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
