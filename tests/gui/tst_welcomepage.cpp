// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/localization.h"
#include "gui/settings/claudesettingsfile.h"
#include "gui/shell/welcomepage.h"
#include "guifixture.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using Step = WelcomePage::Step;

class TestWelcomePage : public QObject
{
    Q_OBJECT

private slots:
    void stepsFollowTheSetup();
    void buttonsAskForTheSteps();
};

void TestWelcomePage::stepsFollowTheSetup()
{
    QTemporaryDir home;
    const QString claude = home.filePath(u".claude/settings.json"_s);
    GuiFixture fixture;
    QVERIFY(fixture.start());
    WelcomePage page(fixture.facade());
    page.setClaudeSettingsPath(claude);
    page.show();
    QVERIFY(!page.isDone(Step::AddAccount));
    QVERIFY(!page.isDone(Step::CreateKey));
    QVERIFY(!page.isDone(Step::ConnectClaude));
    auto *mark = page.findChild<QLabel *>(u"markAddAccount"_s);
    QCOMPARE(mark->text(), u"1"_s);

    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    QTRY_VERIFY(page.isDone(Step::AddAccount));
    QCOMPARE(mark->text(), u"✔"_s);
    QCOMPARE(page.button(Step::AddAccount)->text(), u"Add another…"_s);

    // An admin key does not connect a client; a revoked one neither.
    QVERIFY(fixture.stores().accessKeys().create(u"admin"_s, true));
    auto revoked = fixture.stores().accessKeys().create(u"gone"_s);
    QVERIFY(fixture.stores().accessKeys().revoke(revoked->key.idString()));
    fixture.reload();
    QTRY_COMPARE(fixture.facade().accessKeys().size(), 2);
    QVERIFY(!page.isDone(Step::CreateKey));
    auto key = fixture.stores().accessKeys().create(u"Claude Code"_s);
    fixture.reload();
    QTRY_VERIFY(page.isDone(Step::CreateKey));
    QCOMPARE(page.findChild<QLabel *>(u"markCreateKey"_s)->text(), u"✔"_s);

    // Connected once Claude Code's settings file points at this endpoint.
    QVERIFY(ClaudeSettingsFile(claude).write(u"http://127.0.0.1:1"_s, key->plaintext));
    QSignalSpy refreshed(&page, &WelcomePage::refreshed);
    page.refresh();
    QVERIFY(refreshed.wait());
    QVERIFY(!page.isDone(Step::ConnectClaude)); // another endpoint
    QVERIFY(ClaudeSettingsFile(claude).write(fixture.facade().endpointUrl(), key->plaintext));
    page.refresh();
    QTRY_VERIFY(page.isDone(Step::ConnectClaude));
    QCOMPARE(page.findChild<QLabel *>(u"markConnectClaude"_s)->text(), u"✔"_s);
}

void TestWelcomePage::buttonsAskForTheSteps()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    WelcomePage page(fixture.facade());
    QSignalSpy add(&page, &WelcomePage::addAccountRequested);
    QSignalSpy key(&page, &WelcomePage::createKeyRequested);
    QSignalSpy connect(&page, &WelcomePage::connectRequested);
    page.button(Step::AddAccount)->click();
    page.button(Step::CreateKey)->click();
    page.button(Step::ConnectClaude)->click();
    QCOMPARE(add.size(), 1);
    QCOMPARE(key.size(), 1);
    QCOMPARE(connect.size(), 1);
    QVERIFY(page.button(Step::AddAccount)->isDefault()); // the next step to take
}

QTEST_MAIN(TestWelcomePage)
#include "tst_welcomepage.moc"
