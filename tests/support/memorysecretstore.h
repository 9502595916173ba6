// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/secretstore.h"

#include <QHash>

#include <optional>

/// Secrets in memory, for unit tests. Answers asynchronously like the real stores, and can
/// be told to fail the next read, write or remove.
class MemorySecretStore final : public SecretStore
{
public:
    QString description() const override;
    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QString &secret, Callback done) override;
    void remove(const QString &key, Callback done) override;

    /// The next call of that kind fails with `status` and changes nothing.
    void failNextRead(SecretResult::Status status, const QString &message = defaultFailure());
    void failNextWrite(SecretResult::Status status, const QString &message = defaultFailure());
    void failNextRemove(SecretResult::Status status, const QString &message = defaultFailure());

    bool contains(const QString &key) const { return m_secrets.contains(key); }
    QString value(const QString &key) const { return m_secrets.value(key); }
    qsizetype count() const { return m_secrets.size(); }
    /// How many operations were started, failed ones included.
    int operationCount() const { return m_operations; }

    static QString defaultFailure();

private:
    static std::optional<SecretResult> take(std::optional<SecretResult> &failure);

    QHash<QString, QString> m_secrets;
    std::optional<SecretResult> m_readFailure;
    std::optional<SecretResult> m_writeFailure;
    std::optional<SecretResult> m_removeFailure;
    int m_operations = 0;
};
