// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestframer.h"

#include <cctype>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype maxChunkLine = 1024;

// RFC 9110 token characters: method and field names.
bool isToken(QByteArrayView text)
{
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || extra.find(c) != std::string_view::npos;
    });
}

bool hasControl(QByteArrayView text)
{
    return std::any_of(text.begin(), text.end(),
                       [](char c) { return uchar(c) < 0x20 && c != '\t'; });
}

bool isDigits(QByteArrayView text)
{
    return !text.isEmpty() && text.size() <= 18
        && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

RequestRefusal refusedWith(int status, const QString &message)
{
    return {status, message};
}

RequestRefusal badRequest(const QString &message)
{
    return refusedWith(400, message);
}

} // namespace

QByteArray RequestHead::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

RequestFramer::RequestFramer()
    : RequestFramer(Limits {})
{ }

RequestFramer::RequestFramer(Limits limits)
    : m_limits(limits)
{ }

std::variant<RequestHead, RequestRefusal> RequestFramer::parseHead(QByteArrayView bytes,
                                                                   int maxHeaders)
{
    QList<QByteArrayView> lines;
    for (qsizetype start = 0; start < bytes.size();) {
        qsizetype end = bytes.indexOf('\n', start);
        if (end < 0)
            end = bytes.size();
        QByteArrayView line = bytes.sliced(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        lines.append(line);
        start = end + 1;
    }
    while (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return badRequest(tr("The request has no request line."));

    RequestHead head;
    const QByteArrayView requestLine = lines.first();
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace || hasControl(requestLine))
        return badRequest(tr("The request line is malformed: it must read METHOD /path HTTP/1.1."));
    head.method = requestLine.first(firstSpace).toByteArray();
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    if (!isToken(head.method) || target.isEmpty() || target.contains(' ')
        || !(target.startsWith('/') || target == "*"))
        return badRequest(tr("The request line is malformed: it must read METHOD /path HTTP/1.1."));
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.'
        || !isDigits(version.sliced(5, 1)) || !isDigits(version.sliced(7, 1)))
        return badRequest(tr("The request line is malformed: it must read METHOD /path HTTP/1.1."));
    if (version[5] != '1') {
        return refusedWith(505,
                           tr("%1 is not supported: Switchboard speaks HTTP/1.1.")
                               .arg(QString::fromLatin1(version)));
    }
    head.target = target.toByteArray();
    head.minorVersion = version[7] - '0';

    if (lines.size() - 1 > maxHeaders) {
        return refusedWith(431, tr("The request has more than %1 header fields.").arg(maxHeaders));
    }
    int hosts = 0;
    bool keepAlive = false, close = false, sawTransferEncoding = false;
    auto once = [](QByteArray &field, QByteArrayView value) {
        if (!field.isNull())
            return false;
        field = value.toByteArray();
        return true;
    };
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArrayView line = lines[i];
        if (line.startsWith(' ') || line.startsWith('\t'))
            return badRequest(tr("The request uses folded header lines, which HTTP/1.1 forbids."));
        const qsizetype colon = line.indexOf(':');
        const QByteArrayView name = colon > 0 ? line.first(colon) : QByteArrayView();
        if (!isToken(name) || hasControl(line))
            return badRequest(tr("A request header line is malformed."));
        const QByteArray lower = name.toByteArray().toLower();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (lower == "content-length") {
            if (head.contentLength >= 0)
                return badRequest(tr("The request has more than one Content-Length."));
            if (!isDigits(value))
                return badRequest(tr("The request's Content-Length is not a number."));
            head.contentLength = value.toLongLong();
        } else if (lower == "transfer-encoding") {
            if (sawTransferEncoding)
                return badRequest(tr("The request has more than one Transfer-Encoding."));
            sawTransferEncoding = true;
            if (value.compare("chunked", Qt::CaseInsensitive) != 0) {
                return refusedWith(
                    501,
                    tr("Transfer-Encoding \"%1\" is not supported; send chunked or a "
                       "Content-Length.")
                        .arg(QString::fromLatin1(value)));
            }
            head.chunked = true;
        } else if (lower == "host") {
            ++hosts;
            head.host = value.toByteArray();
        } else if (lower == "connection") {
            for (const QByteArray &token : value.toByteArray().toLower().split(',')) {
                close = close || token.trimmed() == "close";
                keepAlive = keepAlive || token.trimmed() == "keep-alive";
            }
        } else if (lower == "expect") {
            if (value.compare("100-continue", Qt::CaseInsensitive) != 0) {
                return refusedWith(
                    417, tr("Expect: %1 is not supported.").arg(QString::fromLatin1(value)));
            }
            head.expectContinue = true;
        } else if ((lower == "origin" && !once(head.origin, value))
                   || (lower == "x-api-key" && !once(head.apiKey, value))
                   || (lower == "authorization" && !once(head.authorization, value))) {
            return badRequest(
                tr("The request has more than one %1 header.").arg(QString::fromLatin1(name)));
        }
    }
    if (hosts > 1)
        return badRequest(tr("The request has more than one Host header."));
    if (head.chunked && head.contentLength >= 0)
        return badRequest(tr("The request has both Content-Length and Transfer-Encoding."));
    head.closeAfter = close || (head.minorVersion == 0 && !keepAlive);
    return head;
}

RequestFramer::Step RequestFramer::refuse(qsizetype used, int status, const QString &message)
{
    m_state = State::Refused;
    m_refusal = {status, message};
    m_buffer.clear();
    return {used, Event::Refused};
}

QString RequestFramer::tooLarge() const
{
    return tr("The request body is larger than %1 MiB.").arg(m_limits.maxBodyBytes / (1024 * 1024));
}

RequestFramer::Step RequestFramer::feed(QByteArrayView bytes)
{
    switch (m_state) {
    case State::Head:
        return feedHead(bytes);
    case State::Body: {
        const qint64 take = std::min<qint64>(m_remaining, bytes.size());
        m_remaining -= take;
        m_bodyBytes += take;
        return m_remaining == 0 ? endRequest(take) : Step {take, Event::None};
    }
    case State::ChunkData: {
        const qint64 take = std::min<qint64>(m_remaining, bytes.size());
        m_remaining -= take;
        if (m_remaining == 0) {
            m_state = State::ChunkDataEnd;
            m_remaining = 2;
        }
        return {take, Event::None};
    }
    case State::ChunkDataEnd: {
        // The CRLF after a chunk's data.
        qsizetype used = 0;
        while (used < bytes.size() && m_remaining > 0) {
            const char expected = m_remaining == 2 ? '\r' : '\n';
            if (bytes[used] != expected)
                return refuse(used, 400,
                              tr("A chunk of the request body is not followed by CRLF."));
            ++used;
            --m_remaining;
        }
        if (m_remaining == 0)
            m_state = State::ChunkSize;
        return {used, Event::None};
    }
    case State::ChunkSize:
    case State::Trailers:
        return feedChunkLine(bytes);
    case State::Refused:
        return {bytes.size(), Event::Refused};
    }
    return {bytes.size(), Event::None};
}

RequestFramer::Step RequestFramer::feedHead(QByteArrayView bytes)
{
    qsizetype used = 0;
    if (m_buffer.isEmpty()) {
        // Servers tolerate a few empty lines before a request (RFC 9112, 2.2), not a flood.
        while (used < bytes.size() && (bytes[used] == '\r' || bytes[used] == '\n')) {
            if (bytes[used] == '\n' && ++m_emptyLines > m_limits.maxEmptyLinesBefore) {
                return refuse(used, 400, tr("The request starts with too many empty lines."));
            }
            ++used;
        }
        if (used == bytes.size())
            return {used, Event::None};
    }
    // The head ends with an empty line after LF or CRLF, as QHttpServer reads it. Each byte
    // is copied and searched once: the end may straddle two reads, so the search starts two
    // bytes before the old end.
    const qsizetype old = m_buffer.size();
    const qsizetype room = m_limits.maxHeadBytes + 3 - old;
    const QByteArrayView take = bytes.sliced(used).first(std::min(bytes.size() - used, room));
    m_buffer.append(take);
    const qsizetype from = std::max<qsizetype>(0, old - 2);
    const qsizetype lflf = m_buffer.indexOf("\n\n", from);
    const qsizetype lfcrlf = m_buffer.indexOf("\n\r\n", from);
    qsizetype end = -1;
    if (lflf >= 0)
        end = lflf + 2;
    if (lfcrlf >= 0 && (end < 0 || lfcrlf + 3 < end))
        end = lfcrlf + 3;
    if (end < 0 || end > m_limits.maxHeadBytes) {
        if (m_buffer.size() > m_limits.maxHeadBytes) {
            return refuse(used + take.size(), 431,
                          tr("The request headers are larger than %1 KiB.")
                              .arg(m_limits.maxHeadBytes / 1024));
        }
        return {used + take.size(), Event::None};
    }
    used += end - old;
    auto parsed = parseHead(QByteArrayView(m_buffer).first(end), m_limits.maxHeaders);
    m_buffer.clear();
    m_emptyLines = 0;
    if (auto *refused = std::get_if<RequestRefusal>(&parsed))
        return refuse(used, refused->status, refused->message);
    m_head = std::move(std::get<RequestHead>(parsed));
    m_bodyBytes = 0;
    if (m_head.contentLength > m_limits.maxBodyBytes)
        return refuse(used, 413, tooLarge());
    if (m_head.chunked) {
        m_state = State::ChunkSize;
        return {used, Event::Head};
    }
    if (m_head.contentLength > 0) {
        m_state = State::Body;
        m_remaining = m_head.contentLength;
        return {used, Event::Head};
    }
    return {used, Event::Head, true};
}

RequestFramer::Step RequestFramer::feedChunkLine(QByteArrayView bytes)
{
    const qsizetype newline = bytes.indexOf('\n');
    const qsizetype take = newline < 0 ? bytes.size() : newline + 1;
    m_buffer.append(bytes.first(take));
    const QString malformed = tr("A chunk header of the request body is malformed.");
    if (m_buffer.size() > maxChunkLine)
        return refuse(take, 400, malformed);
    if (newline < 0)
        return {take, Event::None};
    if (!m_buffer.endsWith("\r\n"))
        return refuse(take, 400, malformed);
    const QByteArray line = m_buffer.chopped(2);
    m_buffer.clear();
    if (m_state == State::Trailers) {
        // QHttpServer reads no trailers: it would take them for the next request.
        if (!line.isEmpty()) {
            return refuse(take, 400,
                          tr("Trailers after a chunked request body are not supported."));
        }
        return endRequest(take);
    }
    const qsizetype extension = line.indexOf(';');
    const QByteArray size = extension < 0 ? line : line.left(extension);
    const bool hex = !size.isEmpty() && size.size() <= 15
        && std::all_of(size.cbegin(), size.cend(), [](char c) { return std::isxdigit(uchar(c)); });
    if (!hex)
        return refuse(take, 400, malformed);
    const qint64 chunk = size.toLongLong(nullptr, 16);
    m_bodyBytes += chunk;
    if (m_bodyBytes > m_limits.maxBodyBytes)
        return refuse(take, 413, tooLarge());
    m_remaining = chunk;
    m_state = chunk == 0 ? State::Trailers : State::ChunkData;
    return {take, Event::None};
}

RequestFramer::Step RequestFramer::endRequest(qsizetype used)
{
    m_state = State::Head;
    m_remaining = 0;
    return {used, Event::End, true};
}
