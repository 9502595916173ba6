// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateway/openai/openaierror.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestOpenAIError : public QObject
{
    Q_OBJECT

private slots:
    void openAIErrorsMapToAnthropicStatusAndType_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("mappedStatus");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("messagePart");

        const QByteArray openai = R"({"error":{"message":"MSG","type":"T","code":"C"}})";
        auto body = [&](const char *msg, const char *type, const char *code) {
            return QByteArray(openai)
                .replace("MSG", msg)
                .replace("\"T\"", type)
                .replace("\"C\"", code);
        };
        QTest::newRow("400") << 400
                             << body("Invalid 'tools[0]'", "\"invalid_request_error\"", "null")
                             << 400 << u"invalid_request_error"_s << u"Invalid 'tools[0]'"_s;
        QTest::newRow("401") << 401
                             << body("Incorrect API key", "\"invalid_request_error\"",
                                     "\"invalid_api_key\"")
                             << 401 << u"authentication_error"_s << u"Incorrect API key"_s;
        QTest::newRow("402 openrouter")
            << 402 << QByteArray(R"({"error":{"message":"Insufficient credits","code":402}})")
            << 402 << u"billing_error"_s << u"Insufficient credits"_s;
        QTest::newRow("403") << 403 << body("no access", "null", "null") << 403
                             << u"permission_error"_s << u"no access"_s;
        QTest::newRow("404") << 404 << body("model x does not exist", "null", "\"model_not_found\"")
                             << 404 << u"not_found_error"_s << u"does not exist"_s;
        QTest::newRow("413") << 413 << QByteArray("Request Entity Too Large") << 413
                             << u"request_too_large"_s << u"Request Entity Too Large"_s;
        QTest::newRow("429") << 429
                             << body("Rate limit reached", "\"requests\"",
                                     "\"rate_limit_exceeded\"")
                             << 429 << u"rate_limit_error"_s << u"Rate limit reached"_s;
        QTest::newRow("429 quota code")
            << 429
            << body("You exceeded your current quota", "\"insufficient_quota\"",
                    "\"insufficient_quota\"")
            << 402 << u"billing_error"_s << u"exceeded your current quota"_s;
        QTest::newRow("429 quota type only")
            << 429 << body("quota", "\"insufficient_quota\"", "null") << 402 << u"billing_error"_s
            << u"quota"_s;
        QTest::newRow("500") << 500 << body("boom", "\"server_error\"", "null") << 500
                             << u"api_error"_s << u"boom"_s;
        QTest::newRow("502 html") << 502
                                  << QByteArray(
                                         "<html><head><title>502 Bad Gateway</title></head></html>")
                                  << 502 << u"api_error"_s << u"502 Bad Gateway"_s;
        QTest::newRow("503") << 503 << QByteArray("Service Unavailable") << 529
                             << u"overloaded_error"_s << u"Service Unavailable"_s;
        QTest::newRow("504") << 504 << QByteArray() << 504 << u"timeout_error"_s
                             << u"without an error message"_s;
        QTest::newRow("529") << 529 << body("overloaded", "null", "null") << 529
                             << u"overloaded_error"_s << u"overloaded"_s;
        QTest::newRow("bare string") << 400 << QByteArray(R"({"error":"model is required"})") << 400
                                     << u"invalid_request_error"_s << u"model is required"_s;
        QTest::newRow("detail (vLLM/FastAPI)")
            << 422 << QByteArray(R"({"detail":"field required"})") << 422
            << u"invalid_request_error"_s << u"field required"_s;
        QTest::newRow("context overflow")
            << 400
            << body("This model's maximum context length is 8192 tokens",
                    "\"invalid_request_error\"", "\"context_length_exceeded\"")
            << 400 << u"invalid_request_error"_s << u"prompt is too long: This model's"_s;
        QTest::newRow("openrouter raw")
            << 400
            << QByteArray(
                   R"({"error":{"message":"Provider returned error","code":400,"metadata":{"raw":"bad tool schema"}}})")
            << 400 << u"invalid_request_error"_s << u"bad tool schema"_s;
    }

    void openAIErrorsMapToAnthropicStatusAndType()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, mappedStatus);
        QFETCH(QString, type);
        QFETCH(QString, messagePart);
        const OpenAIError::Mapped mapped = OpenAIError::toAnthropic(status, body);
        QCOMPARE(mapped.status, mappedStatus);
        QCOMPARE(mapped.type, type);
        QVERIFY2(mapped.message.contains(messagePart), qPrintable(mapped.message));
        if (!mapped.message.startsWith(u"prompt is too long"_s))
            QVERIFY2(mapped.message.contains(u"rovider"_s), qPrintable(mapped.message));
    }

    void longBodyIsShortened()
    {
        const OpenAIError::Mapped mapped = OpenAIError::toAnthropic(500, QByteArray(5000, 'x'));
        QVERIFY(mapped.message.size() < 400);
    }

    void streamErrors()
    {
        QCOMPARE(OpenAIError::fromStreamError(
                     QJsonObject {{u"message"_s, u"slow down"_s}, {u"code"_s, 429}})
                     .type,
                 u"rate_limit_error"_s);
        QCOMPARE(OpenAIError::fromStreamError(
                     QJsonObject {{u"message"_s, u"x"_s}, {u"type"_s, u"server_error"_s}})
                     .type,
                 u"api_error"_s);
        const OpenAIError::Mapped overloaded = OpenAIError::fromStreamError(
            QJsonObject {{u"message"_s, u"busy"_s}, {u"code"_s, u"503"_s}});
        QCOMPARE(overloaded.type, u"overloaded_error"_s);
        QVERIFY(overloaded.message.contains(u"busy"_s));
        QCOMPARE(OpenAIError::fromStreamError(u"plain"_s).type, u"api_error"_s);
    }

    void anthropicBodyHasTheErrorShape()
    {
        const QByteArray bytes = OpenAIError::anthropicBody({429, u"rate_limit_error"_s, u"m"_s});
        const QJsonObject o = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(o.value(u"type"_s).toString(), u"error"_s);
        QCOMPARE(o.value(u"error"_s)[u"type"_s].toString(), u"rate_limit_error"_s);
        QCOMPARE(o.value(u"error"_s)[u"message"_s].toString(), u"m"_s);
    }
};

QTEST_GUILESS_MAIN(TestOpenAIError)
#include "tst_openaierror.moc"
