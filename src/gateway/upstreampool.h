// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/upstreamcall.h"

#include <QHash>
#include <QObject>
#include <QSet>

class QTcpSocket;
class UpstreamReply;

/// Keep-alive connections to upstream hosts, on the gateway thread. Every concurrent call
/// gets its own connection (no per-host cap, so parallel streams never queue); finished
/// ones go back to an idle list for the next call to the same host.
class UpstreamPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    explicit UpstreamPool(QObject *parent = nullptr);
    ~UpstreamPool() override;

    /// Starts the call. The reply belongs to the caller (delete it with deleteLater()).
    UpstreamReply *send(const UpstreamCall &call);

private:
    friend class UpstreamReply;
    /// An idle connection to the URL's host, or a new one already connecting.
    QTcpSocket *acquire(const QUrl &url, QByteArray &key, bool &reused);
    void release(const QByteArray &key, QTcpSocket *socket);

    QHash<QByteArray, QList<QTcpSocket *>> m_idle;
    QSet<UpstreamReply *> m_live; ///< replies still using this pool (told when it goes)
};
