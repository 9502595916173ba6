// SPDX-License-Identifier: GPL-3.0-or-later
#include "gui/overview/overviewpage.h"
#include "gui/shell/mainwindow.h"
#include "gui/shell/welcomepage.h"
#include "guifixture.h"

#include <QStackedWidget>
#include <QTest>

using namespace Qt::StringLiterals;

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void welcomeUntilTheFirstAccount();
};

void TestMainWindow::welcomeUntilTheFirstAccount()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    MainWindow window(fixture.facade());
    window.show();
    QVERIFY(window.welcomePage()->isVisible());
    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    QTRY_VERIFY(!window.welcomePage()->isVisible());
    QCOMPARE(window.currentPage(), MainWindow::Page::Overview);
    QVERIFY(window.overviewPage()->isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
