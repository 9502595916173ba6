// SPDX-License-Identifier: GPL-3.0-or-later
#include "statuspalette.h"

#include <QApplication>
#include <QLabel>
#include <QWidget>

#include <array>

namespace {

struct Variants
{
    QColor light; ///< for light backgrounds: dark enough for text on white
    QColor dark; ///< for dark backgrounds: light enough for text on near-black
};

// Material Design shades: 700–800 on light backgrounds, 300–400 on dark ones; each keeps
// a contrast of about 4.5:1 or more against its background.
Variants variants(StatusPalette::Role role)
{
    switch (role) {
    case StatusPalette::Role::Good:
        return {QColor(0x2e, 0x7d, 0x32), QColor(0x66, 0xbb, 0x6a)};
    case StatusPalette::Role::Warning:
        return {QColor(0xa1, 0x5c, 0x00), QColor(0xff, 0xb7, 0x4d)};
    case StatusPalette::Role::Error:
        return {QColor(0xc6, 0x28, 0x28), QColor(0xff, 0x6b, 0x6b)};
    case StatusPalette::Role::Info:
    case StatusPalette::Role::Muted:
        break;
    }
    return {QColor(0x15, 0x65, 0xc0), QColor(0x64, 0xb5, 0xf6)};
}

/// 60 % of the text colour on the window colour: quieter than the text, and still
/// readable (a disabled label is too faint).
QColor mix(const QColor &text, const QColor &window)
{
    return QColor::fromRgbF(text.redF() * 0.6f + window.redF() * 0.4f,
                            text.greenF() * 0.6f + window.greenF() * 0.4f,
                            text.blueF() * 0.6f + window.blueF() * 0.4f);
}

// Tableau 10: distinct hues that also read for most colour-blind users.
const std::array<QColor, 8> seriesColors
    = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
       QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2),
       QColor(0x17, 0xbe, 0xcf), QColor(0xbc, 0xbd, 0x22)};

} // namespace

StatusPalette::StatusPalette(const QPalette &palette)
    : StatusPalette(palette.color(QPalette::WindowText), palette.color(QPalette::Window))
{ }

StatusPalette::StatusPalette(const QColor &text, const QColor &window)
    : m_text(text)
    , m_window(window)
    , m_dark(window.lightness() < 128)
{ }

StatusPalette StatusPalette::forDarkBackground()
{
    return StatusPalette(QColor(0xf0, 0xf0, 0xf0), QColor(0x20, 0x20, 0x20));
}

QColor StatusPalette::color(Role role) const
{
    if (role == Role::Muted)
        return mix(m_text, m_window);
    const Variants v = variants(role);
    return m_dark ? v.dark : v.light;
}

QColor StatusPalette::textOnFill() const
{
    return m_dark ? QColor(0x1e, 0x1e, 0x1e) : QColor(Qt::white);
}

QColor StatusPalette::series(int index) const
{
    const QColor base = seriesColors.at(std::size_t(index) % seriesColors.size());
    // The same hues, brighter: on a dark chart the darker ones (blue, brown) sink otherwise.
    return m_dark ? base.lighter(135) : base;
}

QColor StatusPalette::seriesTotal() const
{
    return m_dark ? QColor(0xe0, 0xe0, 0xe0) : QColor(0x42, 0x42, 0x42);
}

void StatusPalette::paintText(QWidget *widget, std::optional<Role> role)
{
    QPalette palette = widget->palette();
    const QPalette inherited = widget->parentWidget() ? widget->parentWidget()->palette()
                                                      : QApplication::palette(widget);
    for (QPalette::ColorRole text : {QPalette::WindowText, QPalette::Text}) {
        palette.setColor(text,
                         role ? StatusPalette(inherited).color(*role) : inherited.color(text));
    }
    widget->setPalette(palette);
}

void StatusPalette::showMessage(QLabel *label, const QString &text, std::optional<Role> role)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
    paintText(label, role);
}
