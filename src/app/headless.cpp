// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless.h"

#include "appcontext.h"
#include "clock.h"
#include "gateway.h"
#include "secretstore.h"
#include "signalwatcher.h"
#include "storageworker.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
Q_LOGGING_CATEGORY(lcHeadless, "switchboard.headless", QtInfoMsg)
}

HeadlessServer::HeadlessServer(StartOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_storageThread.setObjectName(u"storage"_s);
}

HeadlessServer::~HeadlessServer()
{
    delete m_gateway; // stops the gateway thread first: no more health or usage arrives
    m_gateway = nullptr;
    m_storageThread.quit(); // the worker is deleted (and flushes) as the thread finishes
    m_storageThread.wait();
}

void HeadlessServer::fail(const QString &message)
{
    QTextStream(stderr) << "switchboard: " << message << '\n';
    Q_EMIT finished(1);
}

void HeadlessServer::start()
{
    const AppOptions appOptions = m_options.app;
    m_storage = new StorageWorker(appOptions, Clock::system());
    m_storage->moveToThread(&m_storageThread);
    connect(&m_storageThread, &QThread::finished, m_storage, &QObject::deleteLater);
    m_gateway = new Gateway(
        Clock::system(), [appOptions] { return AppContext::makeSecretStore(appOptions); }, this);

    auto *watcher = new SignalWatcher(this);
    connect(watcher, &SignalWatcher::terminationRequested, this, [this](int signalNumber) {
        QTextStream(stdout) << tr("Received signal %1, shutting down.").arg(signalNumber)
                            << Qt::endl;
        if (m_gateway->isRunning())
            m_gateway->stop();
        else
            Q_EMIT finished(0);
    });
    connect(m_gateway, &Gateway::started, this, [](const QHostAddress &address, quint16 port) {
        const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + address.toString() + u']'
            : address.toString();
        QTextStream(stdout) << tr("Switchboard is listening on http://%1:%2").arg(host).arg(port)
                            << Qt::endl;
    });
    connect(m_gateway, &Gateway::failed, this, &HeadlessServer::fail);
    connect(m_gateway, &Gateway::stopped, this, [this] { Q_EMIT finished(0); });
    connect(m_gateway, &Gateway::healthChanged, m_storage, &StorageWorker::saveHealth);
    connect(m_gateway, &Gateway::requestFinished, m_storage, &StorageWorker::recordUsage);
    connect(m_gateway, &Gateway::debugEntry, m_storage, &StorageWorker::writeDebugEntry);
    connect(m_gateway, &Gateway::requestFinished, this, &HeadlessServer::logRequest);
    connect(m_gateway, &Gateway::accountInvalidated, this,
            [](const QUuid &, const QString &name, const QString &reason) {
                qCWarning(lcHeadless).noquote() << "Account" << name << "was disabled:" << reason;
            });

    QPointer<StorageWorker> storage = m_storage;
    m_gateway->setAdminBackend([storage](const AdminCall &call, AdminReply reply) {
        QMetaObject::invokeMethod(storage, [storage, call, reply] {
            if (storage)
                storage->admin(call, reply);
        });
    });
    connect(m_storage, &StorageWorker::failed, this, &HeadlessServer::fail);
    connect(m_storage, &StorageWorker::loaded, this,
            [this](const QList<Account> &accounts, const QList<AccessKey> &keys,
                   const Settings &settings) {
                m_gateway->setSettings(settings);
                m_gateway->setAccessKeys(keys);
                m_gateway->setAccounts(accounts);
                if (m_gatewayStarted)
                    return;
                m_gatewayStarted = true;
                m_gateway->start(m_options.listenAddress.value_or(settings.listenAddress()),
                                 m_options.listenPort.value_or(settings.listenPort()));
            });
    m_storageThread.start();
    QMetaObject::invokeMethod(m_storage, &StorageWorker::open);
}

void HeadlessServer::logRequest(const UsageRecord &r)
{
    qCInfo(lcHeadless).noquote() << r.status << r.model << r.latencyMs << "ms"
                                 << (r.path.isEmpty() ? u"(no account)"_s : r.path);
}
