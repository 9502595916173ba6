// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct CommandContext;

/// `switchboard accounts …`: add, list, show, edit, remove, enable, disable.
class AccountsCommand final
{
    Q_DECLARE_TR_FUNCTIONS(AccountsCommand)

public:
    /// Runs `accounts ACTION`; false if the action is not one of this class's.
    static bool run(const QString &action, CommandContext &ctx);

private:
    static void add(CommandContext &ctx);
    static void list(CommandContext &ctx);
    static void show(CommandContext &ctx);
    static void edit(CommandContext &ctx);
    static void remove(CommandContext &ctx);
    static void setEnabled(CommandContext &ctx, bool enabled);
};
