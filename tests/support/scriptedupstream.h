// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/scriptedreply.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QUrl>

#include <atomic>
#include <functional>
#include <limits>

class QTcpServer;
class ScriptedUpstreamConnection;

/// One request as the scripted upstream read it.
struct RecordedRequest
{
    QByteArray method;
    /// The request target as sent, query string included ("/v1/messages?beta=true").
    QString path;
    /// Names lowercased; repeated headers joined with ", ".
    QHash<QByteArray, QByteArray> headers;
    /// Decoded when it came chunked.
    QByteArray body;
    /// Which connection carried it, counted from 1 in accept order: equal numbers mean the
    /// client reused a keep-alive connection.
    int connection = 0;

    QJsonObject json() const;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

/// A fake Anthropic API on 127.0.0.1 for gateway tests. Speaks HTTP/1.1 by hand over
/// QTcpServer so it can break connections in ways a real server library would not: see
/// ScriptedReply for the answers and faults.
///
/// Answers come from the queue (enqueue(), in order), then from the handler, then a default:
/// a message (or, for "stream": true, an SSE stream) echoing the request's model with the
/// text "Hello from upstream".
///
/// Thread safety: requests(), enqueue(), setHandler() and the other accessors may be called
/// from any thread. listen() and close() must run in the object's thread; to serve from
/// another thread, move the object there first and destroy it there:
///
///     auto *upstream = new ScriptedUpstream;
///     upstream->moveToThread(&thread);
///     thread.start();
///     bool ok = false;
///     QMetaObject::invokeMethod(upstream, &ScriptedUpstream::listen,
///                               Qt::BlockingQueuedConnection, &ok);
///     ...
///     QMetaObject::invokeMethod(upstream, &QObject::deleteLater);
///     thread.quit();
///     thread.wait();
///
/// The handler runs in the object's thread.
class ScriptedUpstream final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScriptedUpstream)

public:
    using Reply = ScriptedReply;
    using Usage = ScriptedUsage;
    using Handler = std::function<ScriptedReply(const RecordedRequest &)>;

    explicit ScriptedUpstream(QObject *parent = nullptr);
    ~ScriptedUpstream() override;

    /// Listens on 127.0.0.1 on a free port.
    Q_INVOKABLE bool listen();
    /// Stops listening and drops every connection: later connections are refused.
    Q_INVOKABLE void close();
    quint16 port() const { return m_port; }
    /// http://127.0.0.1:PORT, without a trailing slash or /v1.
    QUrl baseUrl() const;

    void enqueue(const ScriptedReply &reply, int times = 1);
    /// Answers every request once the queue is empty; an empty function removes it.
    void setHandler(Handler handler);
    /// Plays the real API's rules on signed thinking (ScriptedThinking) for the key each
    /// request carries: refuses thinking blocks another key signed, and answers a request
    /// with thinking on thinking first, signed for its key. Off by default.
    void setThinkingRules(bool on) { m_thinkingRules = on; }
    /// Queued replies not used yet.
    int pendingReplies() const;
    void clearReplies();
    /// Lets every paced stream (ScriptedReply::withPacedEvents()), playing or still to come,
    /// send its events up to the first `count`; without a count, all of them. Any thread.
    void allowEvents(int count = std::numeric_limits<int>::max());

    QList<RecordedRequest> requests() const;
    int requestCount() const;
    /// The most recent request; an empty one if there was none.
    RecordedRequest lastRequest() const;
    void clearRequests();
    /// Connections accepted since listen().
    int connectionCount() const { return m_connections; }

    /// A loopback port nothing listens on, for "connection refused".
    static quint16 closedPort();

Q_SIGNALS:
    /// Emitted in the object's thread once a request has been read, before it is answered.
    void requestReceived(int index);

private:
    friend class ScriptedUpstreamConnection;

    void acceptConnections();
    QList<ScriptedUpstreamConnection *> connections() const;
    int record(RecordedRequest request);
    ScriptedReply nextReply(const RecordedRequest &request);

    QTcpServer *m_server = nullptr;
    std::atomic<quint16> m_port = 0;
    std::atomic<int> m_connections = 0;
    std::atomic<int> m_allowedEvents = 0;
    std::atomic<bool> m_thinkingRules = false;

    mutable QMutex m_mutex;
    QList<RecordedRequest> m_requests;
    QList<ScriptedReply> m_queue;
    Handler m_handler;
};
