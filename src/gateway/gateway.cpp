// SPDX-License-Identifier: GPL-3.0-or-later
#include "gateway.h"

#include "core/secretstore.h"
#include "gateway/gatewaylogging.h"
#include "gateway/gatewayserver.h"

#include <QPointer>

using namespace Qt::StringLiterals;

Gateway::Gateway(const Clock &clock, SecretStoreFactory secrets, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_secretStoreFactory(std::move(secrets))
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
    QMetaObject::invokeMethod(
        m_context,
        [this, address, port, accounts = m_accounts, settings = m_settings, keys = m_keys,
         pinned = m_pinned, storage = m_storage] {
            // Runs on the gateway thread: the server, its sockets and managers are created here.
            auto *server = new GatewayServer(m_clock, m_secretStoreFactory(), m_context);
            server->setSettings(settings);
            server->setAccessKeys(keys);
            server->setAccounts(accounts);
            server->setPinned(pinned);
            server->setStorage(storage);
            const Status listening = server->listen(address, port);
            if (!listening) {
                delete server;
                QMetaObject::invokeMethod(this, [this, message = listening.error().message] {
                    m_running = false;
                    Q_EMIT failed(message);
                });
                return;
            }
            connect(server, &GatewayServer::healthChanged, this, &Gateway::healthChanged);
            connect(server, &GatewayServer::rateLimitsChanged, this, &Gateway::rateLimitsChanged);
            connect(server, &GatewayServer::clientsRefused, this, &Gateway::clientsRefused);
            connect(server, &GatewayServer::accountInvalidated, this, &Gateway::accountInvalidated);
            connect(server, &GatewayServer::requestFinished, this, &Gateway::requestFinished);
            connect(server, &GatewayServer::validated, this, &Gateway::validated);
            connect(server, &GatewayServer::debugEntry, this, &Gateway::debugEntry);
            m_server = server;
            const quint16 bound = server->serverPort();
            QMetaObject::invokeMethod(this,
                                      [this, address, bound] { Q_EMIT started(address, bound); });
        });
}

void Gateway::stop()
{
    if (!m_running)
        return;
    m_running = false;
    abandonTests();
    QMetaObject::invokeMethod(m_context, [this] {
        delete m_server;
        m_server = nullptr;
        QMetaObject::invokeMethod(this, [this] { Q_EMIT stopped(); });
    });
}

void Gateway::onServer(std::function<void(GatewayServer &)> work)
{
    if (!m_context)
        return;
    QMetaObject::invokeMethod(m_context, [this, work = std::move(work)] {
        if (m_server)
            work(*m_server);
    });
}

void Gateway::setAccounts(const QList<Account> &accounts)
{
    m_accounts = accounts;
    onServer([accounts](GatewayServer &server) { server.setAccounts(accounts); });
}

void Gateway::setSettings(const Settings &settings)
{
    m_settings = settings;
    onServer([settings](GatewayServer &server) { server.setSettings(settings); });
}

void Gateway::setAccessKeys(const QList<AccessKey> &keys)
{
    m_keys = keys;
    onServer([keys](GatewayServer &server) { server.setAccessKeys(keys); });
}

void Gateway::setPinned(const QUuid &id)
{
    m_pinned = id;
    onServer([id](GatewayServer &server) { server.setPinned(id); });
}

void Gateway::validateAccount(const QUuid &id)
{
    onServer([id](GatewayServer &server) { server.validateAccount(id); });
}

void Gateway::validateAll()
{
    onServer([](GatewayServer &server) { server.validateAll(); });
}

void Gateway::test(const Account &account, const QString &secret,
                   std::function<void(const ValidationResult &)> done)
{
    if (!m_running || !m_context)
        return done(stoppedResult(account.id));
    // Kept here until answered: a server stopped meanwhile never answers, stop() does.
    const quint64 token = ++m_lastTest;
    m_pendingTests.insert(token, {account.id, std::move(done)});
    QPointer<Gateway> self = this;
    auto reply = [self, token](const ValidationResult &result) {
        QMetaObject::invokeMethod(self, [self, token, result] {
            if (self)
                self->answerTest(token, result);
        });
    };
    QMetaObject::invokeMethod(m_context, [this, account, secret, reply] {
        if (!m_server)
            return reply(stoppedResult(account.id));
        m_server->test(account, secret, reply);
    });
}

ValidationResult Gateway::stoppedResult(const QUuid &accountId)
{
    ValidationResult result;
    result.accountId = accountId;
    result.message = tr("The local gateway is stopped: start it to test accounts.");
    return result;
}

void Gateway::answerTest(quint64 token, const ValidationResult &result)
{
    if (const auto pending = m_pendingTests.take(token); pending.done)
        pending.done(result);
}

void Gateway::abandonTests()
{
    const auto pending = std::exchange(m_pendingTests, {});
    for (const PendingTest &test : pending)
        test.done(stoppedResult(test.accountId));
}

void Gateway::setStorage(StorageRunner storage)
{
    m_storage = storage;
    onServer([storage](GatewayServer &server) { server.setStorage(storage); });
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
