// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateway.h"

#include "gatewaylogging.h"
#include "gatewayserver.h"

using namespace Qt::StringLiterals;

Gateway::Gateway(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(u"gateway"_s);
}

Gateway::~Gateway()
{
    shutdownThread();
}

void Gateway::start(const QHostAddress &address, quint16 port)
{
    if (m_running)
        return;
    m_running = true;
    if (!m_thread.isRunning()) {
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
    }
    const QList<Account> accounts = m_accounts;
    QMetaObject::invokeMethod(m_context, [this, address, port, accounts] {
        // Runs on the gateway thread: the server and its sockets are created here.
        auto *server = new GatewayServer(m_context);
        server->setAccounts(accounts);
        const Status listening = server->listen(address, port);
        if (!listening) {
            delete server;
            QMetaObject::invokeMethod(this, [this, message = listening.error().message] {
                m_running = false;
                Q_EMIT failed(message);
            });
            return;
        }
        m_server = server;
        const quint16 bound = server->serverPort();
        QMetaObject::invokeMethod(this, [this, address, bound] { Q_EMIT started(address, bound); });
    });
}

void Gateway::stop()
{
    if (!m_running)
        return;
    m_running = false;
    QMetaObject::invokeMethod(m_context, [this] {
        delete m_server;
        m_server = nullptr;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT stopped(); });
    });
}

void Gateway::setAccounts(const QList<Account> &accounts)
{
    m_accounts = accounts;
    if (!m_context)
        return;
    QMetaObject::invokeMethod(m_context, [this, accounts] {
        if (m_server)
            m_server->setAccounts(accounts);
    });
}

void Gateway::shutdownThread()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_context, [this] {
        delete m_server;
        m_server = nullptr;
    });
    m_thread.quit();
    m_thread.wait();
    m_running = false;
}
