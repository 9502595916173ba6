// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>

class QLabel;
class QWidget;

/// Figures side by side in their container, each a framed tile with a muted title, a big
/// value and a muted note of up to two lines (every tile keeps room for two, so they line
/// up). Tiles are named by key ("requests"); their frames are named KEY + "Tile".
class TileRow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TileRow)

public:
    /// Fills `container` (and lives as long as it does) with a tile per key, in order.
    TileRow(QWidget *container, const QStringList &keys);

    void setTitle(const QString &tile, const QString &title);
    void set(const QString &tile, const QString &value, const QString &note);
    /// The value of a tile.
    QString text(const QString &tile) const;
    /// The line under a tile's value.
    QString note(const QString &tile) const;

private:
    struct Tile
    {
        QLabel *title;
        QLabel *value;
        QLabel *note;
    };

    QHash<QString, Tile> m_tiles;
};
