// SPDX-License-Identifier: GPL-3.0-or-later
#include "storagesecretstore.h"

#include "core/storageworker.h"

StorageSecretStore::StorageSecretStore(StorageWorker *worker)
    : m_worker(worker)
    , m_description(tr("the storage thread's secret store"))
{ }

void StorageSecretStore::read(const QString &key, Callback done)
{
    onStorage([key](SecretStore &store, Callback reply) { store.read(key, std::move(reply)); },
              std::move(done));
}

void StorageSecretStore::write(const QString &key, const QString &secret, Callback done)
{
    onStorage([key, secret](SecretStore &store,
                            Callback reply) { store.write(key, secret, std::move(reply)); },
              std::move(done));
}

void StorageSecretStore::remove(const QString &key, Callback done)
{
    onStorage([key](SecretStore &store, Callback reply) { store.remove(key, std::move(reply)); },
              std::move(done));
}

void StorageSecretStore::onStorage(std::function<void(SecretStore &, Callback)> job, Callback done)
{
    // Both hops are queued: the answer arrives later, as the SecretStore contract says.
    QPointer<QObject> context = &m_context;
    Callback reply = [context, done](const SecretResult &result) {
        QMetaObject::invokeMethod(context, [context, done, result] {
            if (context)
                done(result);
        });
    };
    const bool queued
        = m_worker && QMetaObject::invokeMethod(m_worker, [worker = m_worker, job, reply] {
              SecretStore *store = worker ? worker->secrets() : nullptr;
              if (!store) {
                  return reply(
                      {SecretResult::Status::Failed, {}, tr("The secret store is not open yet.")});
              }
              job(*store, reply);
          });
    if (!queued)
        finishLater(done,
                    {SecretResult::Status::Failed, {}, tr("The storage thread has stopped.")});
}
