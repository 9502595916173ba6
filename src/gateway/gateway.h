// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "account.h"

#include <QHostAddress>
#include <QObject>
#include <QThread>

class GatewayServer;

/// Runs the GatewayServer on its own thread. Lives on the caller's thread (GUI or main)
/// and talks to the server only through queued calls and signals.
class Gateway final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Gateway)

public:
    explicit Gateway(QObject *parent = nullptr);
    ~Gateway() override;

    /// Starts the thread and the server; answers with started() or failed().
    void start(const QHostAddress &address, quint16 port);
    /// Stops serving; answers with stopped().
    void stop();
    bool isRunning() const { return m_running; }
    void setAccounts(const QList<Account> &accounts);

Q_SIGNALS:
    void started(const QHostAddress &address, quint16 port);
    void failed(const QString &message);
    void stopped();

private:
    void shutdownThread();

    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread; parent of the server
    GatewayServer *m_server = nullptr; // touched only on m_thread
    QList<Account> m_accounts;
    bool m_running = false;
};
