// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientwriter.h"

#include "gateway/apierror.h"
#include "gateway/connectionguard.h"

using namespace Qt::StringLiterals;

ClientWriter::ClientWriter(QHttpServerResponder &&responder)
    : m_responder(std::make_unique<QHttpServerResponder>(std::move(responder)))
    , m_socket(m_responder->socket())
    , m_guard(ConnectionGuard::of(m_socket))
{
    if (m_guard)
        m_turn = m_guard->dispatched();
}

ClientWriter::~ClientWriter()
{
    // A handler that lost its answer must not leave the client (and every answer after this
    // one on the connection) waiting.
    if (!m_started)
        sendError(500, u"api_error"_s, tr("The gateway ended this request without an answer."));
    else
        endStream();
}

bool ClientWriter::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

QByteArray ClientWriter::reasonPhrase(int status)
{
    static constexpr std::pair<int, const char *> phrases[] = {
        {100, "Continue"},
        {200, "OK"},
        {204, "No Content"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {402, "Payment Required"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {408, "Request Timeout"},
        {409, "Conflict"},
        {413, "Payload Too Large"},
        {417, "Expectation Failed"},
        {429, "Too Many Requests"},
        {431, "Request Header Fields Too Large"},
        {500, "Internal Server Error"},
        {501, "Not Implemented"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
        {504, "Gateway Timeout"},
        {505, "HTTP Version Not Supported"},
        {529, "Overloaded"},
    };
    for (const auto &[code, phrase] : phrases) {
        if (code == status)
            return phrase;
    }
    return {};
}

QByteArray ClientWriter::head(int status, const Headers &headers)
{
    QByteArray out;
    out.reserve(256);
    out += "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    return out;
}

void ClientWriter::write(const QByteArray &bytes)
{
    if (!isConnected())
        return;
    if (m_guard)
        m_guard->write(m_turn, bytes);
    else
        m_socket->write(bytes);
}

void ClientWriter::finish()
{
    if (std::exchange(m_finished, true))
        return;
    if (m_guard)
        m_guard->finish(m_turn);
}

void ClientWriter::send(int status, const Headers &headers, const QByteArray &body)
{
    if (m_started)
        return finish();
    m_started = true;
    Headers all = headers + m_common;
    all.append({"content-length"_ba, QByteArray::number(body.size())});
    write(head(status, all) + (m_headOnly ? QByteArray() : body));
    finish();
}

void ClientWriter::sendError(int status, const QString &type, const QString &message,
                             const Headers &headers)
{
    Headers all = headers;
    all.append({"content-type"_ba, "application/json"_ba});
    send(status, all, ApiError::body(type, message));
}

void ClientWriter::beginStream(const Headers &headers)
{
    if (m_started)
        return;
    m_started = true;
    Headers all = headers + m_common;
    all.append({"content-type"_ba, "text/event-stream; charset=utf-8"_ba});
    all.append({"cache-control"_ba, "no-cache"_ba});
    all.append({"transfer-encoding"_ba, "chunked"_ba});
    write(head(200, all));
}

void ClientWriter::streamChunk(const QByteArray &data)
{
    if (!m_started || m_finished || data.isEmpty())
        return;
    write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void ClientWriter::endStream()
{
    if (m_finished)
        return;
    if (m_started)
        write("0\r\n\r\n"_ba);
    finish();
}
