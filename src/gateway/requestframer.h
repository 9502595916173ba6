// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <variant>

/// Why a request is refused before anything else reads it: an HTTP status and a message
/// for the Anthropic-format error body.
struct RequestRefusal
{
    int status = 400;
    QString message;
};

/// The head of one request as the connection guard reads it, before QHttpServer does: the
/// request line, the headers admission needs, and how the body is framed.
struct RequestHead
{
    QByteArray method;
    QByteArray target; ///< as sent, query included
    int minorVersion = 1; ///< HTTP/1.x
    qint64 contentLength = -1; ///< -1: none given
    bool chunked = false;
    bool closeAfter = false; ///< Connection: close, or HTTP/1.0 without keep-alive
    bool expectContinue = false; ///< Expect: 100-continue
    QByteArray host;
    QByteArray origin;
    QByteArray apiKey; ///< x-api-key
    QByteArray authorization;

    /// The target without its query.
    QByteArray path() const;
    bool hasBody() const { return chunked || contentLength > 0; }
};

/// Splits a connection's bytes into requests, as the guard needs it: each head parsed and
/// checked (RFC 9112: one valid request line, well-formed header lines, at most one
/// Content-Length and never with Transfer-Encoding, one Host), then the body counted as it
/// passes (Content-Length or chunked). Linear in the bytes fed and bounded in what it keeps:
/// the current head, or one chunk-size line. Pure: no socket.
///
/// It must find every request where QHttpServer 6.4 will, or a request could hide inside
/// another: heads end where QHttpServer's do (an empty line after LF or CRLF), and what
/// QHttpServer would read differently is refused instead (chunk lines not ending in CRLF,
/// trailers, which it takes for the next request).
///
///     RequestFramer framer(limits);
///     while (!bytes.isEmpty()) {
///         const auto step = framer.feed(bytes);
///         bytes = bytes.sliced(step.used);
///         if (step.event == RequestFramer::Event::Head) …framer.head()…
///     }
class RequestFramer final
{
    Q_DECLARE_TR_FUNCTIONS(RequestFramer)

public:
    struct Limits
    {
        qsizetype maxHeadBytes = 64 * 1024;
        qint64 maxBodyBytes = 32 * 1024 * 1024;
        int maxHeaders = 100;
        int maxEmptyLinesBefore = 8; ///< CRLFs tolerated before a request line
    };

    enum class Event {
        None, ///< every byte was used, nothing completed
        Head, ///< a head is complete: head()
        End, ///< the request (head and body) is complete
        Refused, ///< refusal(); feed nothing more
    };

    struct Step
    {
        qsizetype used = 0;
        Event event = Event::None;
        bool complete = false; ///< the request is complete (also a Head without a body)
    };

    RequestFramer();
    explicit RequestFramer(Limits limits);

    /// Takes bytes up to the next event.
    Step feed(QByteArrayView bytes);

    const RequestHead &head() const { return m_head; }
    const RequestRefusal &refusal() const { return m_refusal; }
    /// Between requests (nothing of the next one read yet).
    bool isIdle() const
    {
        return m_state == State::Head && m_buffer.isEmpty() && m_emptyLines == 0;
    }
    /// Reading a head (some of it arrived).
    bool inHead() const { return m_state == State::Head && !isIdle(); }
    bool inBody() const { return m_state != State::Head && m_state != State::Refused; }
    /// Body bytes of the current request seen so far (chunk framing not counted).
    qint64 bodyBytes() const { return m_bodyBytes; }

    /// Parses one complete head (request line, header lines, the empty line).
    static std::variant<RequestHead, RequestRefusal> parseHead(QByteArrayView head,
                                                               int maxHeaders = 100);

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Refused };

    Step refuse(qsizetype used, int status, const QString &message);
    Step feedHead(QByteArrayView bytes);
    Step startBody(qsizetype used);
    Step feedChunkLine(QByteArrayView bytes);
    Step endRequest(qsizetype used);
    QString tooLarge() const;

    Limits m_limits;
    State m_state = State::Head;
    QByteArray m_buffer; ///< the head so far, or the current chunk-size / trailer line
    int m_emptyLines = 0;
    qint64 m_remaining = 0; ///< body or chunk bytes still expected
    qint64 m_bodyBytes = 0;
    RequestHead m_head;
    RequestRefusal m_refusal;
};
