// SPDX-License-Identifier: GPL-3.0-or-later
#include "tilerow.h"

#include "gui/common/statuspalette.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

TileRow::TileRow(QWidget *container, const QStringList &keys)
    : QObject(container)
{
    auto *layout = new QHBoxLayout(container);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const QString &key : keys) {
        auto *frame = new QFrame(container);
        frame->setObjectName(key + u"Tile"_s);
        frame->setFrameShape(QFrame::StyledPanel);
        auto *box = new QVBoxLayout(frame);
        box->setSpacing(2);
        Tile tile {new QLabel(frame), new QLabel(frame), new QLabel(frame)};
        QFont big = tile.value->font();
        big.setPointSizeF(big.pointSizeF() * 1.6);
        big.setBold(true);
        tile.value->setFont(big);
        tile.value->setObjectName(key + u"Value"_s);
        StatusPalette::paintText(tile.note, StatusPalette::Role::Muted);
        StatusPalette::paintText(tile.title, StatusPalette::Role::Muted);
        tile.note->setWordWrap(true);
        tile.note->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        tile.note->setMinimumHeight(2 * tile.note->fontMetrics().lineSpacing());
        box->addWidget(tile.title);
        box->addWidget(tile.value);
        box->addWidget(tile.note);
        layout->addWidget(frame, 1);
        m_tiles.insert(key, tile);
    }
}

void TileRow::setTitle(const QString &tile, const QString &title)
{
    if (const auto it = m_tiles.constFind(tile); it != m_tiles.cend())
        it->title->setText(title);
}

void TileRow::set(const QString &tile, const QString &value, const QString &note)
{
    if (const auto it = m_tiles.constFind(tile); it != m_tiles.cend()) {
        it->value->setText(value);
        it->note->setText(note);
    }
}

QString TileRow::text(const QString &tile) const
{
    const auto it = m_tiles.constFind(tile);
    return it == m_tiles.cend() ? QString() : it->value->text();
}

QString TileRow::note(const QString &tile) const
{
    const auto it = m_tiles.constFind(tile);
    return it == m_tiles.cend() ? QString() : it->note->text();
}
