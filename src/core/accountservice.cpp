// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountservice.h"

#include "core/accountrules.h"
#include "core/accountstore.h"
#include "core/clock.h"
#include "core/logging.h"
#include "core/secretstore.h"

AccountService::AccountService(AccountStore &store, SecretStore &secrets, const Clock &clock)
    : m_store(store)
    , m_secrets(secrets)
    , m_clock(clock)
{ }

Status AccountService::checkSecret(const QString &secret)
{
    if (secret.trimmed().isEmpty())
        return Error::invalid(tr("The API key is empty."));
    if (std::any_of(secret.begin(), secret.end(),
                    [](QChar c) { return c.isSpace() || c.category() == QChar::Other_Control; }))
        return Error::invalid(tr("The API key must not contain spaces or line breaks."));
    return {};
}

void AccountService::create(Account draft, const QString &secret, AccountDone done)
{
    if (Status s = checkSecret(secret); !s)
        return done(s.error());
    if (draft.id.isNull())
        draft.id = QUuid::createUuid();
    draft.createdAt = draft.updatedAt = m_clock.now();
    draft.health = {};
    if (Status s = AccountRules::check(draft); !s)
        return done(s.error());
    // Refuse a duplicate name before touching the keychain.
    if (auto existing = m_store.resolve(draft.name); existing && existing->name == draft.name)
        return done(Error::conflict(tr("An account named \"%1\" already exists.").arg(draft.name)));

    m_secrets.write(draft.secretKey(), secret, [this, draft, done](const SecretResult &written) {
        if (!written.ok())
            return done(Error::secret(written.message));
        if (Status inserted = m_store.insert(draft); !inserted) {
            m_secrets.remove(draft.secretKey(), [draft, done, inserted](const SecretResult &r) {
                if (!r.ok())
                    qCWarning(lcAccounts) << "Could not remove the secret of" << draft.name
                                          << "after a failed insert:" << r.message;
                done(inserted.error());
            });
            return;
        }
        done(draft);
    });
}

void AccountService::update(Account account, std::optional<QString> newSecret, AccountDone done)
{
    if (newSecret) {
        if (Status s = checkSecret(*newSecret); !s)
            return done(s.error());
    }
    auto previous = m_store.find(account.id);
    if (!previous)
        return done(previous.error());
    account.createdAt = previous->createdAt;
    account.updatedAt = m_clock.now();
    if (Status s = AccountRules::check(account); !s)
        return done(s.error());
    if (Status s = m_store.update(account); !s)
        return done(s.error());
    if (!newSecret)
        return done(account);

    const Account old = *previous;
    m_secrets.write(account.secretKey(), *newSecret,
                    [this, account, old, done](const SecretResult &written) {
                        if (written.ok())
                            return done(account);
                        if (Status restored = m_store.update(old); !restored)
                            qCWarning(lcAccounts) << "Could not restore" << old.name << ":"
                                                  << restored.error().message;
                        done(Error::secret(written.message));
                    });
}

void AccountService::remove(const QUuid &id, StatusDone done)
{
    auto account = m_store.find(id);
    if (!account)
        return done(account.error());
    if (Status s = m_store.remove(id); !s)
        return done(s);
    const Account removed = *account;
    m_secrets.remove(removed.secretKey(), [this, removed, done](const SecretResult &r) {
        if (r.ok() || r.status == SecretResult::Status::NotFound)
            return done({});
        if (Status restored = m_store.insert(removed); !restored)
            qCWarning(lcAccounts) << "Could not restore" << removed.name << ":"
                                  << restored.error().message;
        done(Error::secret(r.message));
    });
}

void AccountService::readSecret(const Account &account, std::function<void(Result<QString>)> done)
{
    m_secrets.read(account.secretKey(), [done](const SecretResult &r) {
        if (!r.ok())
            return done(Error::secret(r.message));
        done(r.secret);
    });
}
