// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct Invocation;

/// `switchboard accounts validate NAME|ID|--all`: checks keys without spending tokens and
/// records the result in each account's health.
class ValidateCommand final
{
    Q_DECLARE_TR_FUNCTIONS(ValidateCommand)

public:
    static void run(Invocation &ctx);
};
