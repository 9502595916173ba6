// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

struct Invocation;

/// `switchboard stats [--since 24h] [--json]`: per-account totals and latency percentiles.
class StatsCommand final
{
    Q_DECLARE_TR_FUNCTIONS(StatsCommand)

public:
    static void run(Invocation &ctx);
};
