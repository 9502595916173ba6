// SPDX-License-Identifier: GPL-3.0-or-later
#include "streampacer.h"

#include "gateway/upstreamreply.h"

#include <QTcpSocket>

StreamPacer::StreamPacer(QTcpSocket *client, QObject *parent)
    : QObject(parent)
    , m_client(client)
{
    if (client)
        connect(client, &QTcpSocket::bytesWritten, this, &StreamPacer::onBytesWritten);
}

void StreamPacer::setReply(UpstreamReply *reply)
{
    m_reply = reply;
    if (m_reply && m_paused)
        m_reply->setPaused(true);
}

void StreamPacer::check()
{
    if (!m_paused && m_client && m_client->bytesToWrite() > highWater)
        setPaused(true);
}

void StreamPacer::onBytesWritten()
{
    if (m_paused && m_client->bytesToWrite() < lowWater)
        setPaused(false);
}

void StreamPacer::setPaused(bool paused)
{
    m_paused = paused;
    if (m_reply)
        m_reply->setPaused(paused);
}
