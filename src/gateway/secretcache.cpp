// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretcache.h"

#include "core/secretstore.h"
#include "gateway/gatewaylogging.h"

#include <QPointer>

SecretCache::SecretCache(std::unique_ptr<SecretStore> store, QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
{ }

SecretCache::~SecretCache() = default;

void SecretCache::sync(const QList<Account> &accounts)
{
    QSet<QUuid> present;
    QList<Account> toLoad;
    for (const Account &a : accounts) {
        present.insert(a.id);
        // An edit may have replaced the key: read it again when the row changed.
        if (!m_loadedVersion.contains(a.id) || m_loadedVersion.value(a.id) != a.updatedAt)
            toLoad.append(a);
    }
    for (auto it = m_loadedVersion.begin(); it != m_loadedVersion.end();) {
        if (present.contains(it.key())) {
            ++it;
        } else {
            m_secrets.remove(it.key());
            m_problems.remove(it.key());
            it = m_loadedVersion.erase(it);
        }
    }
    if (toLoad.isEmpty()) {
        if (m_pending == 0)
            Q_EMIT ready();
        return;
    }
    const quint64 generation = ++m_generation;
    m_pending += int(toLoad.size());
    QPointer<SecretCache> self(this);
    for (const Account &a : toLoad) {
        m_loadedVersion.insert(a.id, a.updatedAt);
        m_store->read(a.secretKey(),
                      [self, id = a.id, name = a.name, generation](const SecretResult &r) {
                          if (!self)
                              return;
                          if (r.ok()) {
                              self->m_secrets.insert(id, r.secret);
                              self->m_problems.remove(id);
                          } else {
                              self->m_secrets.remove(id);
                              self->m_problems.insert(id, r.message);
                              qCWarning(lcGateway).noquote()
                                  << "No API key for account" << name << ":" << r.message;
                          }
                          if (--self->m_pending == 0 && generation <= self->m_generation)
                              Q_EMIT self->ready();
                      });
    }
}
