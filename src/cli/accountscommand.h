// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct Invocation;

/// `switchboard accounts …`: add, list, show, edit, remove, enable, disable (validate,
/// import and export have classes of their own).
class AccountsCommand final
{
    Q_DECLARE_TR_FUNCTIONS(AccountsCommand)

public:
    /// Runs `accounts ACTION`; false if the action is not one of this class's.
    static bool run(const QString &action, Invocation &ctx);

private:
    static void add(Invocation &ctx);
    static void list(Invocation &ctx);
    static void show(Invocation &ctx);
    static void edit(Invocation &ctx);
    static void remove(Invocation &ctx);
    static void setEnabled(Invocation &ctx, bool enabled);
};
