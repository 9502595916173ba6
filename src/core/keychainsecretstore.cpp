// SPDX-License-Identifier: GPL-3.0-or-later
#include "keychainsecretstore.h"

#include "core/clocktimer.h"
#include "core/logging.h"

#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

// A keyring daemon that is just starting can answer "no backend" once; one retry
// after this delay covers that without hiding a real absence.
constexpr std::chrono::milliseconds retryDelay = 300ms;

} // namespace

KeychainSecretStore::KeychainSecretStore(const Clock &clock, QString service)
    : m_target {&clock, std::move(service)}
{ }

QString KeychainSecretStore::description() const
{
    return tr("system keychain");
}

void KeychainSecretStore::read(const QString &key, Callback done)
{
    run(m_target, Op::Read, key, {}, std::move(done), false);
}

void KeychainSecretStore::write(const QString &key, const QString &secret, Callback done)
{
    run(m_target, Op::Write, key, secret, std::move(done), false);
}

void KeychainSecretStore::remove(const QString &key, Callback done)
{
    // libsecret reports success for deleting a missing entry: look it up first, so that
    // NotFound means the same here as in every other SecretStore.
    auto removeIfFound
        = [target = m_target, key, done = std::move(done)](const SecretResult &found) {
              if (!found.ok())
                  return done(found);
              run(target, Op::Remove, key, {}, done, false);
          };
    run(m_target, Op::Read, key, {}, std::move(removeIfFound), false);
}

void KeychainSecretStore::run(const Target &target, Op op, const QString &key,
                              const QString &secret, Callback done, bool retried)
{
    QKeychain::Job *job = nullptr;
    switch (op) {
    case Op::Read:
        job = new QKeychain::ReadPasswordJob(target.service);
        break;
    case Op::Write: {
        auto *write = new QKeychain::WritePasswordJob(target.service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case Op::Remove:
        job = new QKeychain::DeletePasswordJob(target.service);
        break;
    }
    job->setKey(key);
    job->setAutoDelete(false); // deleted below, after a possible retry used it as context
    QObject::connect(
        job, &QKeychain::Job::finished, job,
        [target, op, key, secret, done, retried](QKeychain::Job *finished) {
            SecretResult result;
            switch (finished->error()) {
            case QKeychain::NoError:
                if (op == Op::Read)
                    result.secret = static_cast<QKeychain::ReadPasswordJob *>(finished)->textData();
                break;
            case QKeychain::EntryNotFound:
                result.status = SecretResult::Status::NotFound;
                result.message = tr("The keychain has no secret for this account.");
                break;
            case QKeychain::NoBackendAvailable:
            case QKeychain::OtherError:
                if (!retried) {
                    qCDebug(lcKeychain)
                        << "Keychain unavailable, retrying once:" << finished->errorString();
                    ClockTimer::singleShot(*target.clock, retryDelay, finished,
                                           [target, op, key, secret, done, finished] {
                                               run(target, op, key, secret, done, true);
                                               finished->deleteLater();
                                           });
                    return;
                }
                result.status = finished->error() == QKeychain::NoBackendAvailable
                    ? SecretResult::Status::NoBackend
                    : SecretResult::Status::Failed;
                result.message
                    = tr("The system keychain is not available (%1). Start your desktop's "
                         "keyring (for example gnome-keyring or KWallet) and try again, or "
                         "run with --secrets-file PATH to keep secrets in a private file.")
                          .arg(finished->errorString());
                break;
            case QKeychain::AccessDenied:
            case QKeychain::AccessDeniedByUser:
                result.status = SecretResult::Status::AccessDenied;
                result.message = tr("Access to the system keychain was denied (%1). Unlock the "
                                    "keyring and try again.")
                                     .arg(finished->errorString());
                break;
            default:
                result.status = SecretResult::Status::Failed;
                result.message = tr("The system keychain failed: %1").arg(finished->errorString());
                break;
            }
            if (!result.ok() && result.status != SecretResult::Status::NotFound)
                qCWarning(lcKeychain) << "Keychain operation failed:" << finished->errorString();
            finished->deleteLater();
            done(result);
        });
    job->start();
}
