// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/secretstore.h"
#include "support/waitfor.h"

/// Secret store calls that wait for their answer, for tests. No answer in time is a Failed
/// result, so a test can never mistake a lost callback for success.
namespace SecretOps {

inline SecretResult orTimeout(std::optional<SecretResult> result)
{
    if (result)
        return *result;
    return { SecretResult::Status::Failed,
             {},
             QStringLiteral("the secret store did not answer in time") };
}

inline SecretResult read(SecretStore &store, const QString &key)
{
    return orTimeout(waitForResult<SecretResult>([&](auto done) { store.read(key, done); }));
}

inline SecretResult write(SecretStore &store, const QString &key, const QString &secret)
{
    return orTimeout(
        waitForResult<SecretResult>([&](auto done) { store.write(key, secret, done); }));
}

inline SecretResult remove(SecretStore &store, const QString &key)
{
    return orTimeout(waitForResult<SecretResult>([&](auto done) { store.remove(key, done); }));
}

} // namespace SecretOps
