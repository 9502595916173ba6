// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QColor>
#include <QPalette>

#include <optional>

class QLabel;
class QWidget;

/// The window's status colours in one place: good, warning, error, info and muted, plus the
/// chart series. Each comes in a darker variant for light backgrounds and a lighter one for
/// dark backgrounds; which one is picked from the lightness of the palette's window colour,
/// so texts, badges and charts stay legible in light and dark themes alike. Muted is mixed
/// from the palette's own text and window colours, so it follows any theme.
class StatusPalette
{
public:
    enum class Role {
        Good, ///< valid, running, saved
        Warning, ///< needs attention soon: parked, 4xx, debug logging on
        Error, ///< refused, failed, invalid
        Info, ///< passing by itself: cooling down
        Muted, ///< not checked, switched off, hints and secondary text
    };

    /// The colours for `palette`; a default QPalette is the application's.
    explicit StatusPalette(const QPalette &palette = QPalette());
    /// The colours for a dark background in any theme (the tray icon's tile).
    static StatusPalette forDarkBackground();

    bool isDark() const { return m_dark; }
    /// Text or lines in `role` on the window's background.
    QColor color(Role role) const;
    /// Text that reads on a badge filled with color().
    QColor textOnFill() const;

    /// The n-th colour of a chart's series (wrapping), so accounts keep theirs.
    QColor series(int index) const;
    /// The total line drawn over stacked series.
    QColor seriesTotal() const;

    /// Colours the widget's text in `role`, or gives it its parent's text colour back.
    static void paintText(QWidget *widget, std::optional<Role> role);
    /// Shows `text` in `role` on the label, which is hidden while the text is empty.
    static void showMessage(QLabel *label, const QString &text, std::optional<Role> role);

private:
    StatusPalette(const QColor &text, const QColor &window);

    QColor m_text;
    QColor m_window;
    bool m_dark = false;
};
