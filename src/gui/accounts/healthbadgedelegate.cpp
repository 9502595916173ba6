// SPDX-License-Identifier: GPL-3.0-or-later
#include "healthbadgedelegate.h"

#include "gui/accounts/accountstablemodel.h"
#include "gui/common/statuspalette.h"

#include <QApplication>
#include <QPainter>

namespace {

constexpr int hPadding = 8;
constexpr int vMargin = 3;
constexpr int hMargin = 4;

} // namespace

void HealthBadgeDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    // The style draws the selection background; the pill goes on top of it.
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    // From the view's palette: a light badge with dark text in a dark theme.
    const StatusPalette palette(opt.palette);
    const auto role = StatusPalette::Role(index.data(AccountsTableModel::StatusRole).toInt());
    const QFontMetrics fm(opt.font);
    const QRect cell = opt.rect.adjusted(hMargin, vMargin, -hMargin, -vMargin);
    // A pixel of slack: elidedText() rounds differently from horizontalAdvance().
    const int width = std::min(cell.width(), fm.horizontalAdvance(text) + 2 * hPadding + 2);
    const QRect pill(cell.left(), cell.top(), width, cell.height());

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(palette.color(role));
    const qreal radius = pill.height() / 2.0;
    painter->drawRoundedRect(QRectF(pill), radius, radius);
    painter->setPen(palette.textOnFill());
    painter->setFont(opt.font);
    painter->drawText(pill.adjusted(hPadding, 0, -hPadding, 0), Qt::AlignVCenter | Qt::AlignLeft,
                      fm.elidedText(text, Qt::ElideRight, pill.width() - 2 * hPadding));
    painter->restore();
}

QSize HealthBadgeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    const QFontMetrics fm(option.font);
    size.setWidth(fm.horizontalAdvance(index.data().toString()) + 2 * (hPadding + hMargin) + 2);
    size.setHeight(std::max(size.height(), fm.height() + 2 * vMargin + 4));
    return size;
}
