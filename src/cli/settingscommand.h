// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct CommandContext;

/// `switchboard settings list|get|set|reset`.
class SettingsCommand final
{
    Q_DECLARE_TR_FUNCTIONS(SettingsCommand)

public:
    static bool run(const QString &action, CommandContext &ctx);

private:
    static void execute(const QString &action, int positional, const QString &usage,
                        CommandContext &ctx);
};
