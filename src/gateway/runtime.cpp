// SPDX-License-Identifier: GPL-3.0-or-later
#include "runtime.h"

#include "core/secretstore.h"
#include "core/storagesecretstore.h"
#include "core/storageworker.h"

#include <QPointer>

using namespace Qt::StringLiterals;

Runtime::Runtime(AppOptions options, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_storage(new StorageWorker(m_options, clock))
{
    m_storageThread.setObjectName(u"storage"_s);
    m_storage->moveToThread(&m_storageThread);
    connect(&m_storageThread, &QThread::finished, m_storage, &QObject::deleteLater);
    // The gateway reads keys through the storage thread: one thread drives the keychain.
    QPointer<StorageWorker> storage = m_storage;
    m_gateway = new Gateway(
        clock,
        [storage]() -> std::unique_ptr<SecretStore> {
            return std::make_unique<StorageSecretStore>(storage);
        },
        this);

    connect(m_gateway, &Gateway::healthChanged, m_storage, &StorageWorker::saveHealth);
    connect(m_gateway, &Gateway::requestFinished, m_storage, &StorageWorker::recordUsage);
    connect(m_gateway, &Gateway::debugEntry, m_storage, &StorageWorker::writeDebugEntry);
    m_gateway->setStorage(storageRunner());

    connect(m_storage, &StorageWorker::failed, this, &Runtime::failed);
    connect(m_storage, &StorageWorker::loaded, this,
            [this](const QList<Account> &accounts, const QList<AccessKey> &keys,
                   const Settings &settings) {
                m_gateway->setSettings(settings);
                m_gateway->setAccessKeys(keys);
                m_gateway->setAccounts(accounts);
                Q_EMIT loaded(accounts, keys, settings);
                if (m_started)
                    return;
                m_started = true;
                m_gateway->start(m_address.value_or(settings.listenAddress()),
                                 m_port.value_or(settings.listenPort()));
            });
}

Runtime::~Runtime()
{
    delete m_gateway; // stops the gateway thread first: no more health or usage arrives
    m_storageThread.quit(); // the worker is deleted, and flushes, as the thread finishes
    m_storageThread.wait();
}

void Runtime::start(std::optional<QHostAddress> address, std::optional<quint16> port)
{
    m_address = address;
    m_port = port;
    m_storageThread.start();
    QMetaObject::invokeMethod(m_storage, &StorageWorker::open);
}

void Runtime::stop()
{
    m_gateway->stop();
}

StorageRunner Runtime::storageRunner()
{
    // `this` outlives the storage thread: the destructor waits for it.
    return [this, storage = m_storage](StorageTask task) {
        QMetaObject::invokeMethod(storage, [this, storage, task = std::move(task)] {
            storage->run([this, storage, &task](AppContext &app) {
                task(app, [this, storage](Continuation next) {
                    // The reloaded configuration goes ahead of the continuation on the way
                    // both take (storage thread → this thread → the gateway's thread), so an
                    // answer never overtakes the change it reports: a client that deleted an
                    // account does not see it again in its next call.
                    storage->reload();
                    QMetaObject::invokeMethod(this, std::move(next));
                });
            });
        });
    };
}
