// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMap>

#include <atomic>
#include <mutex>

/// What the soak's clients saw, shared by all of them.
class SoakTally final
{
public:
    /// Outcome kinds: "ok", "error NNN TYPE" (a well-formed error answer), "stream error
    /// TYPE" (a stream ended by an `error` event), "client abort", and "BAD …" for anything a
    /// client must never get (a broken or missing answer, a stream without message_stop, a
    /// hang).
    void add(const QByteArray &kind);
    QMap<QByteArray, quint64> counts() const;
    quint64 total() const;
    quint64 bad() const;

private:
    mutable std::mutex m_mutex;
    QMap<QByteArray, quint64> m_counts;
};

/// One client: sends `POST /v1/messages` (streaming 80 %) on a kept-alive connection, again
/// and again, and drops the connection at a random point in 8 % of them; checks each
/// answer: an Anthropic message or SSE stream (AnthropicStreamValidator), or an Anthropic
/// error body. Between requests it honours `pause` (closing its connection, so that the
/// gateway can be measured with nothing open).
class SoakClient final
{
public:
    SoakClient(quint16 port, QByteArray key, SoakTally &tally, const std::atomic<bool> &pause,
               const std::atomic<bool> &stop, std::atomic<int> &inFlight);
    ~SoakClient();
    Q_DISABLE_COPY_MOVE(SoakClient)

    void run();

private:
    /// One request; false when the connection can no longer be used.
    bool exchange(bool fresh);
    bool connectSocket();
    void closeSocket(bool reset);
    /// recv() into m_buffer; false on close, error or timeout.
    bool fill();
    bool readLine(QByteArray &line);

    quint16 m_port;
    QByteArray m_key;
    SoakTally &m_tally;
    const std::atomic<bool> &m_pause;
    const std::atomic<bool> &m_stop;
    std::atomic<int> &m_inFlight;
    int m_fd = -1;
    QByteArray m_buffer; ///< received, not yet parsed
    qint64 m_received = 0; ///< bytes of the current answer so far
    qint64 m_abortAfter = -1; ///< drop the connection once this many bytes arrived
    bool m_aborted = false; ///< this client dropped the connection on purpose
    bool m_timedOut = false; ///< the last recv() waited too long
    quint64 m_sequence = 0;
};
