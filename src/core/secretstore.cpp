// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretstore.h"

void SecretStore::finishLater(Callback done, SecretResult result)
{
    QMetaObject::invokeMethod(
        &m_context, [done = std::move(done), result = std::move(result)] { done(result); },
        Qt::QueuedConnection);
}
