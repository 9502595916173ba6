// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "account.h"
#include "result.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

class QHttpServer;
class QTcpServer;

/// The HTTP side of the gateway. Lives on the gateway thread and is created there.
class GatewayServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayServer)

public:
    explicit GatewayServer(QObject *parent = nullptr);
    ~GatewayServer() override;

    /// Binds and starts serving; a busy port is an error naming the port.
    Status listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;

    /// Replaces the account snapshot the server answers from.
    void setAccounts(const QList<Account> &accounts);

private:
    void addRoutes();

    std::unique_ptr<QHttpServer> m_http;
    QTcpServer *m_tcp = nullptr; // owned by m_http after bind()
    QList<Account> m_accounts;
};
