// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct CommandContext;

/// `switchboard accounts import FILE` and `accounts export FILE [--with-secrets]`.
class TransferCommand final
{
    Q_DECLARE_TR_FUNCTIONS(TransferCommand)

public:
    static bool run(const QString &action, CommandContext &ctx);

private:
    static void exportAccounts(CommandContext &ctx);
    static void importAccounts(CommandContext &ctx);
};
