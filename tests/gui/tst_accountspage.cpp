// SPDX-License-Identifier: GPL-3.0-or-later
//
// The accounts page on a real runtime: health badges and validation progress from the
// gateway's signals (against a scripted upstream on 127.0.0.1), delete with confirmation,
// enable/disable, pin, purge invalid, batch add, the empty state and filters.
#include "core/accountstore.h"
#include "gui/accounts/accountbatch.h"
#include "gui/accounts/accountsfiltermodel.h"
#include "gui/accounts/accountspage.h"
#include "gui/accounts/accountstablemodel.h"
#include "gui/accounts/accountstatus.h"
#include "gui/accounts/batchadddialog.h"
#include "gui/common/messagebox.h"
#include "guifixture.h"
#include "support/scriptedupstream.h"
#include "support/secretops.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

ScriptedReply modelsOk()
{
    const QJsonObject model {{u"type"_s, u"model"_s}, {u"id"_s, u"claude-sonnet-4-5"_s}};
    return ScriptedReply::json(200, {{u"data"_s, QJsonArray {model}}, {u"has_more"_s, false}});
}

/// Answers the models check: 200 for "sk-good…" keys, 401 for the rest.
void scriptKeys(ScriptedUpstream &upstream)
{
    upstream.setHandler([](const RecordedRequest &request) {
        return request.header("x-api-key").startsWith("sk-good") ? modelsOk()
                                                                 : ScriptedReply::unauthorized();
    });
}

HealthBadge::Kind kindOf(AccountsPage &page, const QUuid &id)
{
    const int row = page.model()->rowOf(id);
    return HealthBadge::Kind(
        page.model()->index(row, 0).data(AccountsTableModel::KindRole).toInt());
}

QString healthText(AccountsPage &page, const QUuid &id)
{
    return page.model()
        ->index(page.model()->rowOf(id), AccountsTableModel::Health)
        .data()
        .toString();
}

QAction *action(AccountsPage &page, const char *name)
{
    return page.findChild<QAction *>(QString::fromLatin1(name));
}

} // namespace

class TestAccountsPage : public QObject
{
    Q_OBJECT

private slots:
    void validateAllUpdatesBadgesAndSummary();
    void validationEndsWhenTheGatewayStops();
    void deleteAsksFirst();
    void enableAndDisable();
    void pinMarksOneRow();
    void purgeInvalidDeletesRejectedKeys();
    void batchAddCreatesNumberedAccounts();
    void emptyStateAndFilters();
    void liveUpdatesKeepTheSelection();
    void coolingBadgeCountsDownAndTurnsBackOnTime();
    void badgesSayStateTimeLeftAndShortReason();
};

void TestAccountsPage::validateAllUpdatesBadgesAndSummary()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    scriptKeys(upstream);
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    page.resize(1100, 400);
    page.show();
    const Account good = fixture.addAccount(u"good"_s, u"sk-good-1"_s, ProviderKind::Anthropic,
                                            upstream.baseUrl());
    const Account bad
        = fixture.addAccount(u"bad"_s, u"sk-bad-1"_s, ProviderKind::Anthropic, upstream.baseUrl());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    // New accounts are checked on their own; let that settle first.
    QTRY_VERIFY_WITH_TIMEOUT(kindOf(page, good.id) == HealthBadge::Kind::Valid
                                 && kindOf(page, bad.id) == HealthBadge::Kind::Invalid,
                             15000);
    const int before = upstream.requestCount();

    auto *progress = page.findChild<QProgressBar *>(u"validationProgress"_s);
    QSignalSpy finished(&page, &AccountsPage::validationFinished);
    page.validateAll();
    QVERIFY(page.isValidating());
    QVERIFY(progress->isVisible());
    QCOMPARE(progress->maximum(), 2);
    QCOMPARE(page.statusText(), u"Validating 1 of 2…"_s);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
    QVERIFY(!page.isValidating());
    QVERIFY(!progress->isVisible());
    QCOMPARE(upstream.requestCount(), before + 2);
    QCOMPARE(finished.at(0).at(0).toString(), u"1 valid, 1 invalid"_s);
    QCOMPARE(page.statusText(), u"1 valid, 1 invalid"_s);
    QVERIFY(page.lastResult(good.id).startsWith(u"Valid · "_s));
    QVERIFY(!page.lastResult(bad.id).isEmpty());

    QCOMPARE(healthText(page, good.id), u"Valid"_s);
    QCOMPARE(healthText(page, bad.id), u"Invalid key"_s);
    const auto status = [&page](const QUuid &id) {
        return StatusPalette::Role(page.model()
                                       ->index(page.model()->rowOf(id), AccountsTableModel::Health)
                                       .data(AccountsTableModel::StatusRole)
                                       .toInt());
    };
    QVERIFY(status(good.id) == StatusPalette::Role::Good);
    QVERIFY(status(bad.id) == StatusPalette::Role::Error);
    // Last validated: relative time, exact time and message in the tooltip.
    const QModelIndex last
        = page.model()->index(page.model()->rowOf(good.id), AccountsTableModel::LastValidated);
    QCOMPARE(last.data().toString(), u"just now"_s);
    QVERIFY(last.data(Qt::ToolTipRole).toString().contains(u" ms."_s));
    QVERIFY(action(page, "purgeAction")->isEnabled());
}

void TestAccountsPage::validationEndsWhenTheGatewayStops()
{
    // An upstream that takes the connection and never answers: the check hangs.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    page.show();
    fixture.addAccount(u"slow"_s, u"sk-slow-1"_s, ProviderKind::Anthropic,
                       QUrl(u"http://127.0.0.1:%1"_s.arg(silent.serverPort())));
    QTRY_COMPARE(page.model()->rowCount(), 1);
    auto *progress = page.findChild<QProgressBar *>(u"validationProgress"_s);
    QSignalSpy finished(&page, &AccountsPage::validationFinished);
    page.validateAll();
    QVERIFY(page.isValidating());
    QVERIFY(progress->isVisible());

    fixture.facade().stopGateway();
    QTRY_VERIFY(!page.isValidating());
    QCOMPARE(finished.size(), 1);
    QVERIFY(!progress->isVisible());
    QCOMPARE(page.statusText(),
             u"The check stopped because the local endpoint stopped: 0 of 1 accounts answered."_s);
}

void TestAccountsPage::deleteAsksFirst()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    const Account keep = fixture.addAccount(u"keep"_s, u"sk-ant-keep"_s);
    const Account drop = fixture.addAccount(u"drop"_s, u"sk-ant-drop"_s);
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QVERIFY(!action(page, "deleteAction")->isEnabled());
    page.selectAccounts({drop.id});
    QCOMPARE(page.selectedIds(), QList<QUuid> {drop.id});
    QVERIFY(action(page, "deleteAction")->isEnabled());

    MessageBox::setNextAnswer(QMessageBox::No);
    action(page, "deleteAction")->trigger();
    QVERIFY2(MessageBox::lastText().contains(u"“drop”"_s), qPrintable(MessageBox::lastText()));
    // "No" asks the runtime for nothing, so there is nothing to wait for.
    QCOMPARE(fixture.facade().accounts().size(), 2);

    MessageBox::setNextAnswer(QMessageBox::Yes);
    page.deleteSelected();
    QTRY_COMPARE_WITH_TIMEOUT(fixture.facade().accounts().size(), 1, 15000);
    QCOMPARE(fixture.facade().accounts().first().id, keep.id);
    QCOMPARE(page.model()->rowCount(), 1);
    QCOMPARE(SecretOps::read(fixture.stores().secrets(), drop.secretKey()).status,
             SecretResult::Status::NotFound);
    QCOMPARE(page.statusText(), u"1 account deleted."_s);
}

void TestAccountsPage::enableAndDisable()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    const Account a = fixture.addAccount(u"switchable"_s, u"sk-ant-test-1"_s);
    QTRY_COMPARE(page.model()->rowCount(), 1);
    page.selectAccounts({a.id});
    QCOMPARE(action(page, "enableAction")->text(), u"Disable"_s);
    action(page, "enableAction")->trigger();
    QTRY_VERIFY2_WITH_TIMEOUT(!fixture.facade().account(a.id)->enabled,
                              qPrintable(page.statusText()), 15000);
    QCOMPARE(kindOf(page, a.id), HealthBadge::Kind::UserDisabled);
    QCOMPARE(healthText(page, a.id), u"Disabled"_s);
    QVERIFY(page.selectedIds().contains(a.id)); // still selected after the live update
    QTRY_COMPARE(action(page, "enableAction")->text(), u"Enable"_s);
    action(page, "enableAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(fixture.facade().account(a.id)->enabled, 15000);
    QVERIFY(kindOf(page, a.id) != HealthBadge::Kind::UserDisabled);
    auto stored = fixture.stores().accounts().list();
    QVERIFY(stored && stored->first().enabled);
}

void TestAccountsPage::pinMarksOneRow()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    const Account first = fixture.addAccount(u"first"_s, u"sk-ant-test-1"_s);
    const Account second = fixture.addAccount(u"second"_s, u"sk-ant-test-2"_s);
    QTRY_COMPARE(page.model()->rowCount(), 2);
    const auto pinned = [&page](const QUuid &id) {
        return page.model()
            ->index(page.model()->rowOf(id), 0)
            .data(AccountsTableModel::PinnedRole)
            .toBool();
    };

    page.selectAccounts({first.id});
    QCOMPARE(action(page, "pinAction")->text(), u"Pin"_s);
    action(page, "pinAction")->trigger();
    QCOMPARE(fixture.facade().pinned(), first.id);
    QVERIFY(pinned(first.id));
    const QModelIndex name = page.model()->index(page.model()->rowOf(first.id), 0);
    QCOMPARE(name.data().toString(), u"first · Pinned"_s);
    QVERIFY(!name.data(Qt::DecorationRole).value<QIcon>().isNull());
    QCOMPARE(action(page, "pinAction")->text(), u"Unpin"_s);

    page.selectAccounts({second.id});
    page.togglePinSelected();
    QCOMPARE(fixture.facade().pinned(), second.id);
    QVERIFY(!pinned(first.id));
    QVERIFY(pinned(second.id));

    page.togglePinSelected();
    QVERIFY(fixture.facade().pinned().isNull());
    QVERIFY(!pinned(second.id));
}

void TestAccountsPage::purgeInvalidDeletesRejectedKeys()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    scriptKeys(upstream);
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    const Account good = fixture.addAccount(u"good"_s, u"sk-good-1"_s, ProviderKind::Anthropic,
                                            upstream.baseUrl());
    fixture.addAccount(u"rejected-1"_s, u"sk-bad-1"_s, ProviderKind::Anthropic, upstream.baseUrl());
    fixture.addAccount(u"rejected-2"_s, u"sk-bad-2"_s, ProviderKind::Anthropic, upstream.baseUrl());
    QTRY_COMPARE(page.model()->rowCount(), 3);
    QTRY_VERIFY_WITH_TIMEOUT(
        std::count_if(fixture.facade().accounts().cbegin(), fixture.facade().accounts().cend(),
                      [](const Account &a) { return a.health.state == HealthState::Invalid; })
            == 2,
        15000);

    MessageBox::setNextAnswer(QMessageBox::Yes);
    action(page, "purgeAction")->trigger();
    QVERIFY(MessageBox::lastText().contains(u"“rejected-1”"_s));
    QVERIFY(MessageBox::lastText().contains(u"“rejected-2”"_s));
    QVERIFY(!MessageBox::lastText().contains(u"“good”"_s));
    QTRY_COMPARE_WITH_TIMEOUT(fixture.facade().accounts().size(), 1, 15000);
    QCOMPARE(fixture.facade().accounts().first().id, good.id);
    QTRY_VERIFY(!action(page, "purgeAction")->isEnabled());
}

void TestAccountsPage::batchAddCreatesNumberedAccounts()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    fixture.addAccount(u"relay-2"_s, u"sk-ant-existing"_s);
    QTRY_COMPARE(page.model()->rowCount(), 1);

    QPointer<BatchAddDialog> dialog = page.batchAdd();
    QVERIFY(dialog && dialog->isVisible());
    dialog->selectPreset(u"other-anthropic"_s);
    dialog->findChild<QLineEdit *>(u"baseUrlEdit"_s)->setText(u"http://127.0.0.1:1"_s);
    dialog->findChild<QLineEdit *>(u"prefixEdit"_s)->setText(u"relay"_s);
    dialog->findChild<QPlainTextEdit *>(u"keysEdit"_s)
        ->setPlainText(u"sk-batch-1\n\n  sk-batch-2  \nsk-batch-1\nsk-batch-3\n"_s);
    const QString count = dialog->findChild<QLabel *>(u"countLabel"_s)->text();
    QVERIFY2(count.startsWith(u"3 keys → 3 accounts"_s), qPrintable(count));
    QVERIFY2(count.contains(u"1 repeated"_s), qPrintable(count));
    QCOMPARE(dialog->plannedNames(), (QStringList {u"relay-3"_s, u"relay-4"_s, u"relay-5"_s}));
    auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    ok->click();
    QVERIFY(dialog->isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog, 15000);

    QTRY_COMPARE(fixture.facade().accounts().size(), 4);
    QStringList names;
    for (const Account &a : fixture.facade().accounts())
        names << a.name;
    names.sort();
    QCOMPARE(names, (QStringList {u"relay-2"_s, u"relay-3"_s, u"relay-4"_s, u"relay-5"_s}));
    const Account *third = nullptr;
    for (const Account &a : fixture.facade().accounts())
        third = a.name == u"relay-4" ? &a : third;
    QVERIFY(third);
    QCOMPARE(SecretOps::read(fixture.stores().secrets(), third->secretKey()).secret,
             u"sk-batch-2"_s);
    QCOMPARE(page.statusText(), u"3 accounts added."_s);
}

void TestAccountsPage::emptyStateAndFilters()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    page.show();
    auto *stack = page.findChild<QStackedWidget *>();
    auto *empty = page.findChild<QWidget *>(u"emptyState"_s);
    QCOMPARE(stack->currentWidget(), empty);
    QCOMPARE(page.findChild<QPushButton *>(u"emptyAddButton"_s)->text(), u"Add account"_s);

    fixture.addAccount(u"alpha"_s, u"sk-ant-1"_s);
    const Account beta = fixture.addAccount(u"beta"_s, u"sk-ant-2"_s, ProviderKind::OpenAI,
                                            QUrl(u"http://127.0.0.1:1/v1"_s));
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QCOMPARE(stack->currentWidget(), page.view());

    auto *filter = page.findChild<QLineEdit *>(u"filterEdit"_s);
    filter->setText(u"BET"_s);
    QCOMPARE(page.proxy()->rowCount(), 1);
    filter->setText(u"OpenAI"_s); // the provider's name
    QCOMPARE(page.proxy()->rowCount(), 1);
    QCOMPARE(page.proxy()->index(0, 0).data(AccountsTableModel::IdRole).toUuid(), beta.id);
    filter->setText(u"nothing like it"_s);
    QCOMPARE(stack->currentWidget(), empty);
    QCOMPARE(page.findChild<QPushButton *>(u"emptyAddButton"_s)->text(), u"Clear filter"_s);
    page.findChild<QPushButton *>(u"emptyAddButton"_s)->click();
    QCOMPARE(page.proxy()->rowCount(), 2);

    auto *health = page.findChild<QComboBox *>(u"healthFilter"_s);
    page.selectAccounts({beta.id});
    page.setSelectedEnabled(false);
    QTRY_VERIFY(!fixture.facade().account(beta.id)->enabled);
    health->setCurrentIndex(health->findData(int(HealthBadge::Kind::UserDisabled)));
    QCOMPARE(page.proxy()->rowCount(), 1);
    QCOMPARE(page.proxy()->index(0, 0).data(AccountsTableModel::IdRole).toUuid(), beta.id);
}

void TestAccountsPage::liveUpdatesKeepTheSelection()
{
    GuiFixture fixture;
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    const Account a = fixture.addAccount(u"a-one"_s, u"sk-ant-1"_s);
    QTRY_COMPARE(page.model()->rowCount(), 1);
    page.selectAccounts({a.id});
    fixture.addAccount(u"0-before"_s, u"sk-ant-2"_s); // sorts above the selected row
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QCOMPARE(page.selectedIds(), QList<QUuid> {a.id});
}

void TestAccountsPage::coolingBadgeCountsDownAndTurnsBackOnTime()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    upstream.setHandler([](const RecordedRequest &) { return ScriptedReply::rateLimited(600); });
    GuiFixture fixture(GuiFixture::Secrets::File, GuiFixture::Time::Fake);
    FakeClock &clock = *fixture.fakeClock();
    const Account busy = fixture.addAccount(u"busy"_s, u"sk-ant-busy"_s, ProviderKind::Anthropic,
                                            upstream.baseUrl());
    QVERIFY(fixture.start());
    AccountsPage page(fixture.facade());
    // The check on arrival is rate limited.
    QTRY_VERIFY(kindOf(page, busy.id) == HealthBadge::Kind::Cooling);
    const QDateTime until = fixture.facade().account(busy.id)->health.cooldownUntil;
    clock.setNow(until.addSecs(-45));
    QCOMPARE(healthText(page, busy.id), u"Cooling down · 45 s left"_s);

    QSignalSpy changed(page.model(), &QAbstractItemModel::dataChanged);
    const int row = page.model()->rowOf(busy.id);
    const auto badgeRepaints = [&changed, row] {
        const auto n = std::count_if(changed.cbegin(), changed.cend(), [row](const auto &args) {
            const auto from = args.at(0).template value<QModelIndex>();
            const auto to = args.at(1).template value<QModelIndex>();
            return from.row() <= row && row <= to.row()
                && from.column() <= AccountsTableModel::Health
                && AccountsTableModel::Health <= to.column();
        });
        changed.clear();
        return n;
    };
    // The countdown is repainted each second...
    clock.advance(1s);
    QCOMPARE(badgeRepaints(), 1);
    QCOMPARE(healthText(page, busy.id), u"Cooling down · 44 s left"_s);
    // ...and the badge turns back the moment the cooldown ends...
    clock.setNow(until.addMSecs(-1));
    badgeRepaints();
    clock.advance(1ms);
    QCOMPARE(badgeRepaints(), 1);
    QVERIFY(kindOf(page, busy.id) == HealthBadge::Kind::Unchecked);
    // ...after which nothing changes with time.
    clock.advance(5s);
    QCOMPARE(badgeRepaints(), 0);
}

void TestAccountsPage::badgesSayStateTimeLeftAndShortReason()
{
    const QDateTime now = QDateTime::fromString(u"2025-01-01T12:00:00Z"_s, Qt::ISODate);
    Account a;
    a.name = u"x"_s;
    a.health.state = HealthState::Valid;
    a.health.cooldownUntil = now.addSecs(90);
    HealthBadge badge = AccountStatus::badge(a, now);
    QCOMPARE(badge.kind, HealthBadge::Kind::Cooling);
    QCOMPARE(badge.text, u"Cooling down · 2 min left"_s);
    a.health.cooldownUntil = now.addMSecs(44500);
    QCOMPARE(AccountStatus::badge(a, now).text, u"Cooling down · 45 s left"_s);
    a.health.cooldownUntil = now.addSecs(-1);
    QCOMPARE(AccountStatus::badge(a, now).kind, HealthBadge::Kind::Valid);
    a.health.state = HealthState::Disabled;
    a.health.reason = u"out of credit"_s;
    QCOMPARE(AccountStatus::badge(a, now).text, u"Parked · out of credit"_s);
    QCOMPARE(AccountStatus::badge(a, now).kind, HealthBadge::Kind::Parked);
    // A translated reason gets a short badge too: cut at Chinese punctuation.
    a.health.reason = u"余额不足，请充值后重试。"_s;
    QCOMPARE(AccountStatus::badge(a, now).text, u"Parked · 余额不足"_s);
    a.health.reason = u"额度已用完（每月限额）"_s;
    QCOMPARE(AccountStatus::badge(a, now).text, u"Parked · 额度已用完"_s);
    a.enabled = false;
    QCOMPARE(AccountStatus::badge(a, now).kind, HealthBadge::Kind::UserDisabled);
    QCOMPARE(AccountStatus::relativeTime(now.addSecs(-300), now), u"5 min ago"_s);
    QCOMPARE(AccountStatus::relativeTime({}, now), u"never"_s);

    const auto keys = AccountBatch::parseKeys(u"a\n\nb\na\nwith space\n"_s);
    QCOMPARE(keys.keys, (QStringList {u"a"_s, u"b"_s}));
    QCOMPARE(keys.duplicates, 1);
    QCOMPARE(keys.problems.size(), 1);
    QCOMPARE(AccountBatch::names(u"or"_s, 2, {u"or-1"_s, u"or-7"_s, u"other"_s}),
             (QStringList {u"or-8"_s, u"or-9"_s}));
}

QTEST_MAIN(TestAccountsPage)
#include "tst_accountspage.moc"
