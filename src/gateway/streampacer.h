// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>

class QTcpSocket;
class UpstreamReply;

/// Backpressure for a relayed stream: while the client's socket holds more than `highWater`
/// bytes it has not sent (a client that reads slowly, or has stopped), the upstream reply is
/// paused, and reads on once that is below `lowWater`. A client that stops reading then
/// costs its socket buffer and the upstream's read buffer (UpstreamReply::readBufferBytes),
/// not the whole stream: every byte the relay reads from the upstream is written at once.
class StreamPacer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamPacer)

public:
    static constexpr qint64 highWater = 1024 * 1024;
    static constexpr qint64 lowWater = 256 * 1024;

    explicit StreamPacer(QTcpSocket *client, QObject *parent = nullptr);

    /// The reply of the attempt that runs now.
    void setReply(UpstreamReply *reply);
    /// After each write to the client: pauses the reply if the client fell behind.
    void check();
    /// The reply waits for the client.
    bool isPaused() const { return m_paused; }

private:
    void onBytesWritten();
    void setPaused(bool paused);

    QPointer<QTcpSocket> m_client;
    QPointer<UpstreamReply> m_reply;
    bool m_paused = false;
};
