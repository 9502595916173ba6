// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct Invocation;

/// `switchboard settings list|get|set|reset`.
class SettingsCommand final
{
    Q_DECLARE_TR_FUNCTIONS(SettingsCommand)

public:
    static bool run(const QString &action, Invocation &ctx);

private:
    static void execute(const QString &action, int positional, const QString &usage,
                        Invocation &ctx);
};
