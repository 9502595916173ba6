// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>

class QComboBox;

/// Fills a combo box with the provider presets, grouped under "Anthropic format" and
/// "OpenAI-compatible" headers that cannot be chosen; item data is the preset id.
class AccountPresetCombo
{
    Q_DECLARE_TR_FUNCTIONS(AccountPresetCombo)

public:
    /// (Re)fills without emitting signals and selects `currentId` (again).
    static void fill(QComboBox *combo, const QString &currentId);
};
