// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QCoreApplication>

/// Reads a secret from standard input: with a prompt and no echo on a terminal,
/// or the whole input when piped. Secrets never come from the command line.
class SecretInput final
{
    Q_DECLARE_TR_FUNCTIONS(SecretInput)

public:
    static Result<QString> read(const QString &prompt);
};
