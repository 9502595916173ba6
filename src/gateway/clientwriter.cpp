// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientwriter.h"

#include "gateway/apierror.h"

using namespace Qt::StringLiterals;

ClientWriter::ClientWriter(QHttpServerResponder &&responder)
    : m_responder(std::make_unique<QHttpServerResponder>(std::move(responder)))
    , m_socket(m_responder->socket())
{ }

bool ClientWriter::isConnected() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void ClientWriter::writeHead(int status, const Headers &headers)
{
    m_started = true;
    m_responder->writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    for (const auto &[name, value] : headers)
        m_responder->writeHeader(name, value);
    for (const auto &[name, value] : std::as_const(m_common))
        m_responder->writeHeader(name, value);
}

void ClientWriter::send(int status, const Headers &headers, const QByteArray &body)
{
    if (m_started || !isConnected()) {
        m_finished = true;
        return;
    }
    Headers all = headers;
    all.append({"content-length"_ba, QByteArray::number(body.size())});
    writeHead(status, all);
    m_responder->writeBody(body);
    m_finished = true;
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
    if (m_started || !isConnected())
        return;
    Headers all = headers;
    all.append({"content-type"_ba, "text/event-stream; charset=utf-8"_ba});
    all.append({"cache-control"_ba, "no-cache"_ba});
    all.append({"transfer-encoding"_ba, "chunked"_ba});
    writeHead(200, all);
}

void ClientWriter::streamChunk(const QByteArray &data)
{
    if (!m_started || m_finished || data.isEmpty() || !isConnected())
        return;
    m_responder->writeBody(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void ClientWriter::endStream()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_started && isConnected())
        m_responder->writeBody(QByteArray("0\r\n\r\n"));
}
