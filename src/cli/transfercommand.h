// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct Invocation;

/// `switchboard accounts import FILE` and `accounts export FILE [--with-secrets]`.
class TransferCommand final
{
    Q_DECLARE_TR_FUNCTIONS(TransferCommand)

public:
    static void exportAccounts(Invocation &ctx);
    static void importAccounts(Invocation &ctx);
};
