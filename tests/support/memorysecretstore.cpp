// SPDX-License-Identifier: GPL-3.0-or-later
#include "memorysecretstore.h"

using namespace Qt::StringLiterals;

QString MemorySecretStore::description() const
{
    return u"memory"_s;
}

QString MemorySecretStore::defaultFailure()
{
    return u"injected failure"_s;
}

std::optional<SecretResult> MemorySecretStore::take(std::optional<SecretResult> &failure)
{
    return std::exchange(failure, std::nullopt);
}

void MemorySecretStore::failNextRead(SecretResult::Status status, const QString &message)
{
    m_readFailure = SecretResult { status, {}, message };
}

void MemorySecretStore::failNextWrite(SecretResult::Status status, const QString &message)
{
    m_writeFailure = SecretResult { status, {}, message };
}

void MemorySecretStore::failNextRemove(SecretResult::Status status, const QString &message)
{
    m_removeFailure = SecretResult { status, {}, message };
}

void MemorySecretStore::read(const QString &key, Callback done)
{
    ++m_operations;
    if (auto failure = take(m_readFailure))
        return finishLater(std::move(done), *failure);
    if (!m_secrets.contains(key))
        return finishLater(std::move(done), { SecretResult::Status::NotFound, {}, u"no secret"_s });
    finishLater(std::move(done), { SecretResult::Status::Ok, m_secrets.value(key), {} });
}

void MemorySecretStore::write(const QString &key, const QString &secret, Callback done)
{
    ++m_operations;
    if (auto failure = take(m_writeFailure))
        return finishLater(std::move(done), *failure);
    m_secrets.insert(key, secret);
    finishLater(std::move(done), {});
}

void MemorySecretStore::remove(const QString &key, Callback done)
{
    ++m_operations;
    if (auto failure = take(m_removeFailure))
        return finishLater(std::move(done), *failure);
    if (!m_secrets.remove(key))
        return finishLater(std::move(done), { SecretResult::Status::NotFound, {}, u"no secret"_s });
    finishLater(std::move(done), {});
}
