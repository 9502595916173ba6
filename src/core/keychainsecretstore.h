// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/secretstore.h"

#include <QCoreApplication>

class Clock;

/// Secrets in the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager)
/// through QtKeychain. Never falls back to plaintext: a missing backend is an error that
/// says what to do.
class KeychainSecretStore final : public SecretStore
{
    Q_DECLARE_TR_FUNCTIONS(KeychainSecretStore)

public:
    /// `service` groups the entries in the keychain ("Switchboard"); the retry after a
    /// keyring that is not up yet waits on `clock`, which must outlive every job.
    explicit KeychainSecretStore(const Clock &clock,
                                 QString service = QStringLiteral("Switchboard"));

    QString description() const override;
    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QString &secret, Callback done) override;
    void remove(const QString &key, Callback done) override;

private:
    enum class Op { Read, Write, Remove };
    /// Where a job runs; copied into each job, so a pending retry does not need the store.
    struct Target
    {
        const Clock *clock;
        QString service;
    };
    static void run(const Target &target, Op op, const QString &key, const QString &secret,
                    Callback done, bool retried);

    Target m_target;
};
