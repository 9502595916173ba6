// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QStringList>

/// The pure part of adding many accounts at once: which pasted lines are keys, and which
/// names the new accounts get.
class AccountBatch
{
    Q_DECLARE_TR_FUNCTIONS(AccountBatch)

public:
    struct Keys
    {
        QStringList keys; ///< in pasted order, each once
        int duplicates = 0;
        QStringList problems; ///< "Line 3: The API key must not contain spaces…"
    };

    /// One key per line; blank lines and repeated keys are skipped, lines that cannot be a
    /// key are reported.
    static Keys parseKeys(const QString &text);
    /// `count` names "prefix-N", numbered on after the highest N already taken.
    static QStringList names(const QString &prefix, int count, const QStringList &existing);
    /// The name prefix a preset suggests ("openrouter", "deepseek").
    static QString defaultPrefix(const QString &presetId);
};
