// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct Invocation;

/// `switchboard keys create|list|revoke`: the local access keys clients use.
class KeysCommand final
{
    Q_DECLARE_TR_FUNCTIONS(KeysCommand)

public:
    static bool run(const QString &action, Invocation &ctx);

private:
    static void create(Invocation &ctx);
    static void list(Invocation &ctx);
    static void revoke(Invocation &ctx);
};
