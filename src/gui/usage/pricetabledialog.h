// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/usage/pricetable.h"

#include <QDialog>

#include <memory>

namespace Ui {
class PriceTableDialog;
}

/// Edits the price table: rows of model pattern and dollars per million tokens. Every edit
/// applies at once (pricesEdited), so the usage page's cost follows while the user types.
class PriceTableDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PriceTableDialog)

public:
    explicit PriceTableDialog(const PriceTable &prices, QWidget *parent = nullptr);
    ~PriceTableDialog() override;

    PriceTable prices() const;
    /// Appends an empty row and starts editing its pattern.
    void addRow();
    void removeSelectedRows();
    void restoreDefaults();

Q_SIGNALS:
    void pricesEdited(const PriceTable &prices);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setRows(const QList<ModelPrice> &rows);
    void retranslate();
    void onEdited();

    std::unique_ptr<Ui::PriceTableDialog> ui;
    bool m_filling = false;
};
