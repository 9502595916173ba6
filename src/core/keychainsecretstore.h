// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/secretstore.h"

#include <QCoreApplication>

/// Secrets in the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)
/// through QtKeychain. Never falls back to plaintext: a missing backend is an error that
/// says what to do.
class KeychainSecretStore final : public SecretStore
{
    Q_DECLARE_TR_FUNCTIONS(KeychainSecretStore)

public:
    /// `service` groups the entries in the keychain ("Switchboard").
    explicit KeychainSecretStore(QString service = QStringLiteral("Switchboard"));

    QString description() const override;
    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QString &secret, Callback done) override;
    void remove(const QString &key, Callback done) override;

private:
    enum class Op { Read, Write, Remove };
    // Static: a pending retry must not depend on the store still existing.
    static void run(const QString &service, Op op, const QString &key, const QString &secret,
                    Callback done, bool retried);

    QString m_service;
};
