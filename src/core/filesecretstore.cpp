// SPDX-License-Identifier: GPL-3.0-or-later
#include "filesecretstore.h"

#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <QMutex>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {
constexpr QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
}

FileSecretStore::FileSecretStore(QString path)
    : m_path(std::move(path))
{
    // One warning per file and process, however many stores (gateway, storage) use it.
    static QMutex mutex;
    static QSet<QString> warned;
    const QMutexLocker lock(&mutex);
    if (!warned.contains(m_path)) {
        warned.insert(m_path);
        qCWarning(lcKeychain).noquote()
                << "Secrets are kept in the plaintext file" << m_path
                << "(readable by this user only) instead of the system keychain.";
    }
}

QString FileSecretStore::description() const
{
    return tr("secrets file %1").arg(m_path);
}

bool FileSecretStore::load(QHash<QString, QString> &secrets, QString &error) const
{
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        error = file.errorString();
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject() || !doc.object().value(u"secrets").isObject()) {
        error = tr("the file is not a Switchboard secrets file");
        return false;
    }
    const QJsonObject object = doc.object().value(u"secrets").toObject();
    for (auto it = object.begin(); it != object.end(); ++it)
        secrets.insert(it.key(), it.value().toString());
    return true;
}

bool FileSecretStore::save(const QHash<QString, QString> &secrets, QString &error) const
{
    const QFileInfo info(m_path);
    if (!info.absoluteDir().exists() && !info.absoluteDir().mkpath(u"."_s)) {
        error = tr("cannot create folder %1").arg(info.absolutePath());
        return false;
    }
    QJsonObject object;
    for (auto it = secrets.begin(); it != secrets.end(); ++it)
        object.insert(it.key(), it.value());
    QSaveFile file(m_path);
    // Restrict the temporary file before any secret is written to it.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(ownerOnly)) {
        error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(QJsonObject {{u"format"_s, u"switchboard-secrets"_s},
                                          {u"version"_s, 1},
                                          {u"secrets"_s, object}})
                   .toJson());
    if (!file.commit()) {
        error = file.errorString();
        return false;
    }
    return true;
}

SecretResult FileSecretStore::failure(const QString &error) const
{
    return {SecretResult::Status::Failed,
            {},
            tr("The secrets file %1 cannot be used: %2").arg(m_path, error)};
}

void FileSecretStore::read(const QString &key, Callback done)
{
    QHash<QString, QString> secrets;
    QString error;
    if (!load(secrets, error))
        return finishLater(std::move(done), failure(error));
    if (!secrets.contains(key)) {
        return finishLater(std::move(done),
                           {SecretResult::Status::NotFound,
                            {},
                            tr("The secrets file has no secret for this account.")});
    }
    finishLater(std::move(done), {SecretResult::Status::Ok, secrets.value(key), {}});
}

void FileSecretStore::write(const QString &key, const QString &secret, Callback done)
{
    QHash<QString, QString> secrets;
    QString error;
    if (!load(secrets, error))
        return finishLater(std::move(done), failure(error));
    secrets.insert(key, secret);
    if (!save(secrets, error))
        return finishLater(std::move(done), failure(error));
    finishLater(std::move(done), {});
}

void FileSecretStore::remove(const QString &key, Callback done)
{
    QHash<QString, QString> secrets;
    QString error;
    if (!load(secrets, error))
        return finishLater(std::move(done), failure(error));
    if (!secrets.remove(key)) {
        return finishLater(std::move(done),
                           {SecretResult::Status::NotFound,
                            {},
                            tr("The secrets file has no secret for this account.")});
    }
    if (!save(secrets, error))
        return finishLater(std::move(done), failure(error));
    finishLater(std::move(done), {});
}
