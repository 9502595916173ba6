// SPDX-License-Identifier: GPL-3.0-or-later
// RequestFramer, pure: where requests start and end in a connection's bytes, what their
// heads say, and every request a server must refuse before reading it (RFC 9112).
#include "gateway/requestframer.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// What feeding `bytes` (in pieces of `piece` bytes) produced.
struct Fed
{
    QList<RequestHead> heads;
    int complete = 0;
    std::optional<RequestRefusal> refusal;
    qsizetype used = 0;
};

Fed feedAll(RequestFramer &framer, QByteArrayView bytes, qsizetype piece = 0)
{
    Fed fed;
    qsizetype offset = 0;
    while (offset < bytes.size()) {
        QByteArrayView chunk = bytes.sliced(offset);
        if (piece > 0)
            chunk = chunk.first(std::min(piece, chunk.size()));
        while (!chunk.isEmpty()) {
            const RequestFramer::Step step = framer.feed(chunk);
            if (step.used == 0 && step.event == RequestFramer::Event::None)
                qFatal("the framer made no progress");
            chunk = chunk.sliced(step.used);
            offset += step.used;
            if (step.event == RequestFramer::Event::Head)
                fed.heads.append(framer.head());
            fed.complete += step.complete ? 1 : 0;
            if (step.event == RequestFramer::Event::Refused) {
                fed.refusal = framer.refusal();
                fed.used = offset;
                return fed;
            }
        }
    }
    fed.used = offset;
    return fed;
}

Fed feedAll(QByteArrayView bytes, qsizetype piece = 0)
{
    RequestFramer framer;
    return feedAll(framer, bytes, piece);
}

} // namespace

class TestRequestFramer : public QObject
{
    Q_OBJECT

private slots:
    void headOfAGetRequest();
    void bodyByContentLengthInAnyPieces();
    void chunkedBodyInAnyPieces();
    void pipelinedRequestsAreSeparated();
    void bareLineFeedsEndAHeadAsQHttpServerReadsThem();
    void connectionSemantics();
    void refusals_data();
    void refusals();
    void aFloodOfEmptyLinesIsRefusedAtOnce();
    void headersPastTheLimitAreRefused();
    void bodyPastTheLimitIsRefusedFromItsHead();
    void chunkedBodyPastTheLimitIsRefusedWhileItArrives();
    void refusedFramerTakesNothingMore();
};

void TestRequestFramer::headOfAGetRequest()
{
    RequestFramer framer;
    QVERIFY(framer.isIdle());
    const Fed fed = feedAll(framer,
                            "GET /v1/models?beta=true HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                            "x-api-key: sbk_key\r\nOrigin: http://a.example\r\n"
                            "Authorization: Bearer t\r\n\r\n");
    QVERIFY(!fed.refusal);
    QCOMPARE(fed.heads.size(), 1);
    QCOMPARE(fed.complete, 1);
    const RequestHead &h = fed.heads.first();
    QCOMPARE(h.method, "GET"_ba);
    QCOMPARE(h.target, "/v1/models?beta=true"_ba);
    QCOMPARE(h.path(), "/v1/models"_ba);
    QCOMPARE(h.minorVersion, 1);
    QCOMPARE(h.host, "127.0.0.1:8080"_ba);
    QCOMPARE(h.apiKey, "sbk_key"_ba);
    QCOMPARE(h.origin, "http://a.example"_ba);
    QCOMPARE(h.authorization, "Bearer t"_ba);
    QVERIFY(!h.hasBody());
    QVERIFY(!h.closeAfter);
    QVERIFY(framer.isIdle());
}

void TestRequestFramer::bodyByContentLengthInAnyPieces()
{
    const QByteArray request
        = "POST /v1/messages HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"_ba;
    for (qsizetype piece : {0, 1, 2, 7}) {
        RequestFramer framer;
        const Fed fed = feedAll(framer, request, piece);
        QVERIFY(!fed.refusal);
        QCOMPARE(fed.heads.size(), 1);
        QCOMPARE(fed.heads.first().contentLength, 11);
        QCOMPARE(fed.complete, 1);
        QCOMPARE(framer.bodyBytes(), 11);
        QVERIFY(framer.isIdle());
    }
}

void TestRequestFramer::chunkedBodyInAnyPieces()
{
    const QByteArray request = "POST /v1/messages HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked"
                               "\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"_ba;
    for (qsizetype piece : {0, 1, 3}) {
        RequestFramer framer;
        const Fed fed = feedAll(framer, request, piece);
        QVERIFY2(!fed.refusal, qPrintable(fed.refusal ? fed.refusal->message : QString()));
        QVERIFY(fed.heads.first().chunked);
        QCOMPARE(fed.complete, 1);
        QCOMPARE(framer.bodyBytes(), 11);
        QVERIFY(framer.isIdle());
    }
}

void TestRequestFramer::pipelinedRequestsAreSeparated()
{
    const Fed fed = feedAll("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                            "GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
                            "\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\n");
    QVERIFY(!fed.refusal);
    QCOMPARE(fed.heads.size(), 3);
    QCOMPARE(fed.complete, 3);
    QCOMPARE(fed.heads[1].target, "/b"_ba);
    QCOMPARE(fed.heads[2].target, "/c"_ba);
}

void TestRequestFramer::bareLineFeedsEndAHeadAsQHttpServerReadsThem()
{
    for (const QByteArray &request :
         {"GET / HTTP/1.1\nHost: h\n\n"_ba, "GET / HTTP/1.1\r\nHost: h\n\r\n"_ba,
          "GET / HTTP/1.1\n\n"_ba}) {
        const Fed fed = feedAll(request, 1);
        QVERIFY(!fed.refusal);
        QCOMPARE(fed.complete, 1);
        QCOMPARE(fed.used, request.size());
    }
}

void TestRequestFramer::connectionSemantics()
{
    auto head = [](const QByteArray &text) { return feedAll(text).heads.value(0); };
    QVERIFY(head("GET / HTTP/1.0\r\n\r\n"_ba).closeAfter);
    QVERIFY(!head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"_ba).closeAfter);
    QVERIFY(head("GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n"_ba).closeAfter);
    QVERIFY(!head("GET / HTTP/1.1\r\n\r\n"_ba).closeAfter);
    QVERIFY(head("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\n"_ba)
                .expectContinue);
}

void TestRequestFramer::refusals_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");

    QTest::newRow("repeated Content-Length")
        << "POST / HTTP/1.1\r\nContent-Length: 314572800\r\nContent-Length: 10\r\n\r\n"_ba << 400;
    QTest::newRow("equal Content-Lengths")
        << "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"_ba << 400;
    QTest::newRow("Content-Length list")
        << "POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc"_ba << 400;
    QTest::newRow("signed Content-Length")
        << "POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc"_ba << 400;
    QTest::newRow("Content-Length with Transfer-Encoding")
        << "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"_ba << 400;
    QTest::newRow("other transfer coding")
        << "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"_ba << 501;
    QTest::newRow("two Transfer-Encodings")
        << "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"_ba
        << 400;
    QTest::newRow("two Hosts") << "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"_ba << 400;
    QTest::newRow("two keys") << "GET / HTTP/1.1\r\nx-api-key: a\r\nX-Api-Key: b\r\n\r\n"_ba << 400;
    QTest::newRow("two Origins") << "GET / HTTP/1.1\r\nOrigin: a\r\nOrigin: b\r\n\r\n"_ba << 400;
    QTest::newRow("HTTP/9.9") << "GET / HTTP/9.9\r\n\r\n"_ba << 505;
    QTest::newRow("HTTP/2.0") << "GET / HTTP/2.0\r\n\r\n"_ba << 505;
    QTest::newRow("no version") << "GET /\r\n\r\n"_ba << 400;
    QTest::newRow("lower-case version") << "GET / http/1.1\r\n\r\n"_ba << 400;
    QTest::newRow("garbage line") << "\x16\x03\x01\x02\x00\x01\r\n\r\n"_ba << 400;
    QTest::newRow("two spaces") << "GET  / HTTP/1.1\r\n\r\n"_ba << 400;
    QTest::newRow("absolute target") << "GET http://a/ HTTP/1.1\r\n\r\n"_ba << 400;
    QTest::newRow("leading space") << " GET / HTTP/1.1\r\n\r\n"_ba << 400;
    QTest::newRow("folded header") << "GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"_ba << 400;
    QTest::newRow("space before colon") << "GET / HTTP/1.1\r\nHost : h\r\n\r\n"_ba << 400;
    QTest::newRow("no colon") << "GET / HTTP/1.1\r\nHost\r\n\r\n"_ba << 400;
    QTest::newRow("other expectation") << "GET / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n"_ba << 417;
    QTest::newRow("chunk size not hex")
        << "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"_ba << 400;
    QTest::newRow("chunk line with bare LF")
        << "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n"_ba << 400;
    QTest::newRow("chunk data without CRLF")
        << "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"_ba << 400;
    QTest::newRow("trailers")
        << "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nGET / HTTP/1.1\r\n\r\n"_ba
        << 400;
}

void TestRequestFramer::refusals()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    for (qsizetype piece : {0, 1}) {
        const Fed fed = feedAll(request, piece);
        QVERIFY(fed.refusal);
        QCOMPARE(fed.refusal->status, status);
        QVERIFY(!fed.refusal->message.isEmpty());
    }
}

void TestRequestFramer::aFloodOfEmptyLinesIsRefusedAtOnce()
{
    const QByteArray flood = QByteArray("\r\n\r\n").repeated(256 * 1024); // 1 MiB in one read
    RequestFramer framer;
    const Fed fed = feedAll(framer, flood);
    QVERIFY(fed.refusal);
    QCOMPARE(fed.refusal->status, 400);
    QVERIFY(fed.used < 64); // refused after a few lines, not after reading them all

    // A few empty lines before a request are fine (RFC 9112, 2.2).
    const Fed ok = feedAll("\r\n\r\n\nGET / HTTP/1.1\r\n\r\n");
    QVERIFY(!ok.refusal);
    QCOMPARE(ok.complete, 1);
}

void TestRequestFramer::headersPastTheLimitAreRefused()
{
    QByteArray many = "GET / HTTP/1.1\r\n"_ba;
    for (int i = 0; i < 101; ++i)
        many += "X-" + QByteArray::number(i) + ": v\r\n";
    QCOMPARE(feedAll(QByteArray(many + "\r\n")).refusal->status, 431);

    RequestFramer::Limits limits;
    limits.maxHeadBytes = 1024;
    RequestFramer framer(limits);
    const Fed big
        = feedAll(framer, QByteArray("GET / HTTP/1.1\r\nA: " + QByteArray(4096, 'x') + "\r\n\r\n"));
    QCOMPARE(big.refusal->status, 431);
    QVERIFY(big.used <= 1024 + 3); // no more than the limit was kept
}

void TestRequestFramer::bodyPastTheLimitIsRefusedFromItsHead()
{
    RequestFramer::Limits limits;
    limits.maxBodyBytes = 100;
    RequestFramer framer(limits);
    const QByteArray head = "POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n"_ba;
    const Fed fed = feedAll(framer, QByteArray(head + QByteArray(101, 'x')));
    QCOMPARE(fed.refusal->status, 413);
    QCOMPARE(fed.used, head.size()); // the body was never read
}

void TestRequestFramer::chunkedBodyPastTheLimitIsRefusedWhileItArrives()
{
    RequestFramer::Limits limits;
    limits.maxBodyBytes = 100;
    RequestFramer framer(limits);
    QByteArray request = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"_ba;
    for (int i = 0; i < 5; ++i)
        request += "1e\r\n" + QByteArray(30, 'x') + "\r\n";
    const Fed fed = feedAll(framer, request);
    QCOMPARE(fed.refusal->status, 413);
    QVERIFY(fed.used < request.size());
}

void TestRequestFramer::refusedFramerTakesNothingMore()
{
    RequestFramer framer;
    QCOMPARE(framer.feed("GET / HTTP/9.9\r\n\r\n").event, RequestFramer::Event::Refused);
    const RequestFramer::Step after = framer.feed("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(after.event, RequestFramer::Event::Refused);
    QVERIFY(!framer.isIdle());
}

QTEST_GUILESS_MAIN(TestRequestFramer)
#include "tst_requestframer.moc"
