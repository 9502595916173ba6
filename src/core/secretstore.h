// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>

/// The outcome of a secret operation.
struct SecretResult
{
    enum class Status {
        Ok,
        NotFound, ///< no secret under that key (reading or deleting)
        NoBackend, ///< no keychain service is reachable
        AccessDenied, ///< the user refused, or the keyring stayed locked
        Failed, ///< anything else
    };

    Status status = Status::Ok;
    QString secret; ///< set by a successful read
    QString message; ///< person-readable, for everything but Ok

    bool ok() const { return status == Status::Ok; }
};

/// Where account secrets live. All operations are asynchronous: the callback runs later
/// on the calling thread's event loop, never before the call returns.
class SecretStore
{
public:
    using Callback = std::function<void(const SecretResult &)>;

    virtual ~SecretStore() = default;

    /// "system keychain", "file …": shown to the user.
    virtual QString description() const = 0;
    virtual void read(const QString &key, Callback done) = 0;
    virtual void write(const QString &key, const QString &secret, Callback done) = 0;
    virtual void remove(const QString &key, Callback done) = 0;

protected:
    /// Runs `done(result)` from the event loop of the thread that created the store:
    /// for stores that have their answer at once.
    void finishLater(Callback done, SecretResult result);

private:
    QObject m_context;
};
