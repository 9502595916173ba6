// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/secretstore.h"

#include <QCoreApplication>
#include <QHash>

/// Secrets in a JSON file readable by the owner only, for servers without a keychain.
/// Used only when the user asks for it (--secrets-file); the file is plaintext.
class FileSecretStore final : public SecretStore
{
    Q_DECLARE_TR_FUNCTIONS(FileSecretStore)

public:
    explicit FileSecretStore(QString path);

    QString description() const override;
    void read(const QString &key, Callback done) override;
    void write(const QString &key, const QString &secret, Callback done) override;
    void remove(const QString &key, Callback done) override;

private:
    /// Re-reads the file so several processes (GUI and CLI) see each other's changes.
    bool load(QHash<QString, QString> &secrets, QString &error) const;
    bool save(const QHash<QString, QString> &secrets, QString &error) const;
    SecretResult failure(const QString &error) const;

    QString m_path;
};
