// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct CommandContext;

/// `switchboard keys create|list|revoke`: the local access keys clients use.
class KeysCommand final
{
    Q_DECLARE_TR_FUNCTIONS(KeysCommand)

public:
    static bool run(const QString &action, CommandContext &ctx);

private:
    static void create(CommandContext &ctx);
    static void list(CommandContext &ctx);
    static void revoke(CommandContext &ctx);
};
