// SPDX-License-Identifier: GPL-3.0-or-later
// The tray icon shown for real: on an X server with a tray host (run by
// tests/gui/run-with-tray under Xvfb + trayer), never on the offscreen platform.
#include "gui/tray/trayicon.h"
#include "guifixture.h"
#include "support/testservices.h"

#include <QDir>
#include <QGuiApplication>
#include <QMenu>
#include <QProcess>
#include <QScreen>
#include <QSystemTrayIcon>
#include <QTest>

using namespace Qt::StringLiterals;

class TestTrayDisplay : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsInTheTray();
};

void TestTrayDisplay::initTestCase()
{
    const QString platform = QGuiApplication::platformName();
    if (platform != u"xcb"_s) {
        SWITCHBOARD_REQUIRE_SERVICE(
            u"an X display with a tray host (platform is %1; run tests/gui/run-with-tray)"_s.arg(
                platform));
    }
    // The tray host may still be starting: give it a moment to claim the selection.
    if (!QTest::qWaitFor([] { return QSystemTrayIcon::isSystemTrayAvailable(); }, 5000))
        SWITCHBOARD_REQUIRE_SERVICE(u"a system tray host on DISPLAY (start trayer)"_s);
}

void TestTrayDisplay::showsInTheTray()
{
    GuiFixture fixture;
    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    QVERIFY(fixture.start());
    TrayIcon tray(fixture.facade());
    tray.show();
    QSystemTrayIcon *icon = tray.systemTrayIcon();
    QTRY_VERIFY(icon->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!icon->geometry().isEmpty(), 5000);
    const QRect where = icon->geometry();
    QVERIFY2(where.width() >= 8 && where.height() >= 8,
             qPrintable(u"%1x%2"_s.arg(where.width()).arg(where.height())));
    QCOMPARE(icon->toolTip(), tray.toolTip());
    QTest::qWait(300); // let the tray host paint the icon

    // The screen, with the icon in the tray, as proof.
    const QPixmap screen = QGuiApplication::primaryScreen()->grabWindow(0);
    QVERIFY(!screen.isNull());
    QVERIFY(screen.save(QDir::current().filePath(u"traydisplay-screen.png"_s)));
    const QImage image = screen.toImage();
    // Find the icon on the screen by its glyph colour (geometry() is relative to the tray
    // host's socket window on X11, so it gives the size, not the place).
    const QColor glyph(0x2b, 0x3a, 0x55);
    int glyphPixels = 0;
    QRect found;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - glyph.red()) < 16 && qAbs(c.green() - glyph.green()) < 16
                && qAbs(c.blue() - glyph.blue()) < 16) {
                ++glyphPixels;
                found |= QRect(x, y, 1, 1);
            }
        }
    }
    const QString seen = u"%1 glyph pixels in %2,%3 %4x%5; icon %6x%7"_s.arg(glyphPixels)
                             .arg(found.x())
                             .arg(found.y())
                             .arg(found.width())
                             .arg(found.height())
                             .arg(where.width())
                             .arg(where.height());
    QVERIFY2(glyphPixels > where.width() * where.height() / 8, qPrintable(seen));
    QVERIFY2(found.width() <= where.width() + 2 && found.height() <= where.height() + 2,
             qPrintable(seen));
    qInfo("%s", qPrintable(seen));

    // The context menu, shown where a user would see it.
    tray.menu()->popup(found.bottomLeft());
    QTRY_VERIFY(tray.menu()->isVisible());
    QTest::qWait(200);
    QGuiApplication::primaryScreen()->grabWindow(0).save(
        QDir::current().filePath(u"traydisplay-menu.png"_s));
    tray.menu()->hide();
    tray.hide();
    QTRY_VERIFY(!icon->isVisible());
}

QTEST_MAIN(TestTrayDisplay)
#include "tst_traydisplay.moc"
