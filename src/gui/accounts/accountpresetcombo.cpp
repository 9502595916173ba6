// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountpresetcombo.h"

#include "core/providerpreset.h"

#include <QComboBox>
#include <QStandardItemModel>

#include <optional>

void AccountPresetCombo::fill(QComboBox *combo, const QString &currentId)
{
    auto *model = qobject_cast<QStandardItemModel *>(combo->model());
    const QSignalBlocker blocker(combo);
    combo->clear();
    std::optional<ProviderKind> group;
    for (const ProviderPreset &p : ProviderPreset::all()) {
        if (group != p.kind) {
            if (group)
                combo->insertSeparator(combo->count());
            group = p.kind;
            combo->addItem(p.kind == ProviderKind::Anthropic
                               ? tr("Anthropic format")
                               : tr("OpenAI-compatible (Chat Completions)"));
            // A group header: shown, never chosen.
            if (QStandardItem *header = model ? model->item(combo->count() - 1) : nullptr) {
                header->setFlags(Qt::NoItemFlags);
                QFont bold = header->font();
                bold.setBold(true);
                header->setFont(bold);
            }
        }
        combo->addItem(p.local ? tr("%1 (on this computer)").arg(p.displayName()) : p.displayName(),
                       p.id);
    }
    const int index = combo->findData(currentId);
    if (index >= 0)
        combo->setCurrentIndex(index);
}
