// SPDX-License-Identifier: GPL-3.0-or-later
//
// RequestFramer and the guard's head handling (admission from the head, the refusal's
// answer), without sockets. Input: one byte choosing how the rest is cut into reads, then
// the bytes a client sends on one connection.
//
// Invariants: the framer makes progress and never takes more than it is given; every head
// it lets through is well formed and within the limits; a fixed-length body ends after
// exactly Content-Length bytes; cut into reads of any size, the bytes give the same
// requests at the same offsets as fed at once (a request cannot hide behind a read
// boundary); a Host that admission accepts names no DNS name; every refusal is a
// well-formed Anthropic error.

#include "fuzzcheck.h"

#include "core/accesskeystore.h"
#include "gateway/admission.h"
#include "gateway/apierror.h"
#include "gateway/requestframer.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

using namespace Qt::StringLiterals;

FUZZ_QUIET_QT

namespace {

constexpr quint16 port = 17878;

/// Small limits, so that the fuzzer reaches them.
RequestFramer::Limits limits()
{
    RequestFramer::Limits l;
    l.maxHeadBytes = 2048;
    l.maxBodyBytes = 8192;
    l.maxHeaders = 16;
    l.maxEmptyLinesBefore = 4;
    return l;
}

const Admission::Config &admission()
{
    static const Admission::Config config = [] {
        Admission::Config c;
        c.port = port;
        c.allowedOrigins = {u"http://allowed.example"_s};
        c.keyHashes.insert(AccessKeyStore::hashKey(u"sbk_fuzz"), QUuid::createUuid());
        c.adminKeyHashes.insert(AccessKeyStore::hashKey(u"sbk_admin"), QUuid::createUuid());
        return c;
    }();
    return config;
}

void checkErrorBody(int status, const QString &message)
{
    FUZZ_CHECK(status >= 400 && status <= 599, "a refusal's status is not an error status");
    FUZZ_CHECK(!message.isEmpty(), "a refusal without a message");
    const QByteArray body = ApiError::body(ApiError::typeForStatus(status), message);
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(body, &error).object();
    FUZZ_CHECK(error.error == QJsonParseError::NoError, "a refusal's body is not JSON");
    FUZZ_CHECK(object.value(u"type"_s) == u"error"_s, "a refusal's body is not an error");
    const QJsonObject inner = object.value(u"error"_s).toObject();
    FUZZ_CHECK(!inner.value(u"type"_s).toString().isEmpty(), "a refusal without an error type");
    FUZZ_CHECK(inner.value(u"message"_s).toString() == message, "a refusal's message changed");
}

/// What the guard does with a head: admission, and the refusal it would send.
void admit(const RequestHead &head)
{
    const Admission::Decision d
        = Admission::decide({head.host, head.origin, head.apiKey, head.authorization},
                            admission(), Admission::needsFor(head.method, head.path()));
    if (!d.admitted)
        return checkErrorBody(d.status, d.message);
    // Admitted: the Host is `localhost` or an address literal, never a name that could
    // rebind (the port part aside).
    QByteArray name = head.host.trimmed().toLower();
    if (!name.startsWith('[') && name.lastIndexOf(':') >= 0)
        name.truncate(name.lastIndexOf(':'));
    const bool literal = std::all_of(name.cbegin(), name.cend(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '.' || c == ':'
            || c == '[' || c == ']';
    });
    FUZZ_CHECK(name == "localhost" || (!name.isEmpty() && literal),
               "admission let a DNS name through as Host");
}

struct Record
{
    RequestFramer::Event event;
    qsizetype offset; ///< where the event happened (the end of what it used)
    QByteArray method, target, host;
    qint64 contentLength;
    bool chunked, closeAfter, complete;
    qint64 bodyBytes;
    int status;
    bool operator==(const Record &) const = default;
};

std::vector<Record> frame(QByteArrayView input, qsizetype readSize)
{
    const RequestFramer::Limits l = limits();
    RequestFramer framer(l);
    std::vector<Record> records;
    qsizetype offset = 0;
    for (qsizetype start = 0; start < input.size(); start += readSize) {
        QByteArrayView read = input.sliced(start, std::min(readSize, input.size() - start));
        while (!read.isEmpty()) {
            const RequestFramer::Step step = framer.feed(read);
            FUZZ_CHECK(step.used >= 0 && step.used <= read.size(), "used more than it was given");
            FUZZ_CHECK(step.used > 0 || step.event == RequestFramer::Event::Refused,
                       "no progress");
            read = read.sliced(step.used);
            offset += step.used;
            const RequestHead &h = framer.head();
            switch (step.event) {
            case RequestFramer::Event::None:
                FUZZ_CHECK(read.isEmpty() || framer.inBody(), "stopped early without an event");
                continue;
            case RequestFramer::Event::Refused: {
                const RequestRefusal &r = framer.refusal();
                checkErrorBody(r.status, r.message);
                // Where a refusal is noticed may depend on the reads; that it comes may not.
                records.push_back({step.event, -1, {}, {}, {}, 0, false, false, false, 0, r.status});
                FUZZ_CHECK(framer.feed("x").event == RequestFramer::Event::Refused,
                           "a refused framer took more");
                return records;
            }
            case RequestFramer::Event::Head:
                FUZZ_CHECK(!h.method.isEmpty(), "a head without a method");
                FUZZ_CHECK(h.target.startsWith('/') || h.target == "*", "a head with a bad target");
                FUZZ_CHECK(h.contentLength <= l.maxBodyBytes, "Content-Length over the limit");
                FUZZ_CHECK(!(h.chunked && h.contentLength >= 0), "chunked and Content-Length");
                FUZZ_CHECK(h.minorVersion >= 0 && h.minorVersion <= 9, "a bad HTTP version");
                FUZZ_CHECK(step.complete == !h.hasBody(), "complete with a body to come");
                admit(h);
                break;
            case RequestFramer::Event::End:
                FUZZ_CHECK(step.complete, "an end that is not complete");
                FUZZ_CHECK(h.chunked || framer.bodyBytes() == h.contentLength,
                           "a body of the wrong length");
                FUZZ_CHECK(framer.bodyBytes() <= l.maxBodyBytes, "a body over the limit");
                break;
            }
            if (step.complete)
                FUZZ_CHECK(framer.isIdle(), "not idle after a complete request");
            records.push_back({step.event, offset, h.method, h.target, h.host, h.contentLength,
                               h.chunked, h.closeAfter, step.complete, framer.bodyBytes(), 0});
        }
    }
    return records;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const std::vector<Record> whole = frame(input, std::max<qsizetype>(1, input.size()));
    const qsizetype readSize = 1 + data[0] % 32;
    FUZZ_CHECK(frame(input, readSize) == whole, "reads of another size framed differently");
    return 0;
}
