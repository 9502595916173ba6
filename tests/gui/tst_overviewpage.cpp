// SPDX-License-Identifier: GPL-3.0-or-later
// The overview against a real runtime and gateway: requests through a scripted upstream
// move its tiles, its "serving now" line, the accounts' rate-limit headroom and the list
// of failures; hidden, it only notes that it is out of date.
#include "gui/accounts/accountstablemodel.h"
#include "gui/common/runtimefacade.h"
#include "gui/overview/overviewaccountsmodel.h"
#include "gui/overview/overviewfigures.h"
#include "gui/overview/overviewpage.h"
#include "guifixture.h"
#include "support/scriptedupstream.h"

#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

class TestOverviewPage : public QObject
{
    Q_OBJECT

private slots:
    void followsRequestsLive();
    void faultsAreCountedApartFromClientErrors();
    void saysWhatIsMissingForClients();
};

namespace {

QString cell(const OverviewPage &page, const QUuid &account, int column)
{
    const OverviewAccountsModel *model = page.accountsModel();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, column);
        if (index.data(AccountsTableModel::IdRole).toUuid() == account)
            return index.data().toString();
    }
    return {};
}

/// A message whose headers say what is left of the account's limits.
ScriptedReply limitedMessage(qint64 requestsLeft)
{
    ScriptedReply reply = ScriptedReply::message(u"hi"_s);
    const QByteArray reset
        = QDateTime::currentDateTimeUtc().addSecs(45).toString(Qt::ISODate).toLatin1();
    reply.headers.append({"anthropic-ratelimit-requests-limit"_ba, "50"_ba});
    reply.headers.append(
        {"anthropic-ratelimit-requests-remaining"_ba, QByteArray::number(requestsLeft)});
    reply.headers.append({"anthropic-ratelimit-requests-reset"_ba, reset});
    reply.headers.append({"anthropic-ratelimit-input-tokens-limit"_ba, "30000"_ba});
    reply.headers.append({"anthropic-ratelimit-input-tokens-remaining"_ba, "1200"_ba});
    return reply;
}

} // namespace

void TestOverviewPage::followsRequestsLive()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    GuiFixture fixture;
    const Account work = fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s,
                                            ProviderKind::Anthropic, upstream.baseUrl());
    const Account home = fixture.addAccount(u"home"_s, u"sk-ant-test-0002"_s,
                                            ProviderKind::Anthropic, upstream.baseUrl());
    auto key = fixture.stores().accessKeys().create(u"laptop"_s);
    QVERIFY(key);
    QVERIFY(fixture.start());
    OverviewPage page(fixture.facade());
    page.resize(1000, 700);
    page.show();
    QTRY_VERIFY(page.isCurrent());
    QVERIFY(page.endpointText().contains(fixture.facade().endpointUrl()));
    QCOMPARE(page.setupText(), QString()); // a key exists
    QCOMPARE(page.servingText(), u"No request served yet"_s);
    QCOMPARE(page.tileText(u"requests"_s), u"0"_s);
    QCOMPARE(page.failureTexts(), QStringList());
    QCOMPARE(page.accountsModel()->rowCount(), 2);

    upstream.setHandler([](const RecordedRequest &) { return limitedMessage(41); });
    QCOMPARE(fixture.sendMessages(key->plaintext, 1), (QList<int> {200}));
    QTRY_COMPARE(page.tileText(u"requests"_s), u"1"_s);
    const UsageRecord first = fixture.facade().lastServed();
    const QUuid served = first.accountId;
    const QUuid other = served == work.id ? home.id : work.id;
    QCOMPARE(page.servingText(), u"%1 · chosen by the Priority strategy"_s.arg(first.accountName));
    // The same conversation again: its account keeps it.
    QCOMPARE(fixture.sendMessages(key->plaintext, 1), (QList<int> {200}));
    QTRY_COMPARE(page.tileText(u"requests"_s), u"2"_s);
    QCOMPARE(page.servingText(), u"%1 · same conversation"_s.arg(first.accountName));
    QTRY_VERIFY(cell(page, served, OverviewAccountsModel::RequestsLeft)
                    .startsWith(u"41 of 50 left · resets "_s));
    QCOMPARE(cell(page, served, OverviewAccountsModel::TokensLeft).left(20),
             u"1,200 of 30,000 left"_s);
    QCOMPARE(cell(page, other, OverviewAccountsModel::RequestsLeft), u"—"_s);
    QCOMPARE(cell(page, served, OverviewAccountsModel::Today), u"2"_s);
    QCOMPARE(sumY(page.requestsPerMinute()), 2.0);

    // The first account fails once: the request moves on, and the line says why.
    int calls = 0;
    upstream.setHandler([&calls](const RecordedRequest &) {
        return calls++ == 0 ? ScriptedReply::serverError() : limitedMessage(40);
    });
    QCOMPARE(fixture.sendMessages(key->plaintext, 1), (QList<int> {200}));
    QTRY_COMPARE(page.tileText(u"requests"_s), u"3"_s);
    QCOMPARE(fixture.facade().lastServed().accountId, other);
    QCOMPARE(page.servingText(),
             u"%1 · after another account failed"_s.arg(fixture.facade().lastServed().accountName));
    QVERIFY(cell(page, other, OverviewAccountsModel::RequestsLeft).startsWith(u"40 of 50"_s));
    // The client was served, yet an account failed: the failover is listed, and counted.
    QCOMPARE(page.failureTexts().size(), 1);
    QVERIFY2(page.failureTexts().at(0).contains(u"failed over: "_s),
             qPrintable(page.failureTexts().at(0)));
    QCOMPARE(page.tileText(u"errors"_s), u"25.0 %"_s); // 1 of 4 attempts
    QCOMPARE(page.tileNote(u"errors"_s), u"1 failed attempt of 4"_s);

    // A pin says what serves next, before any request.
    fixture.facade().setPinned(home.id);
    QCOMPARE(page.servingText(), u"home · pinned"_s);
    QCOMPARE(cell(page, home.id, OverviewAccountsModel::Name), u"home (pinned)"_s);
    fixture.facade().setPinned({});

    // Hidden, it does no work; shown again, it catches up.
    page.hide();
    upstream.setHandler([](const RecordedRequest &) { return limitedMessage(39); });
    QCOMPARE(fixture.sendMessages(key->plaintext, 1), (QList<int> {200}));
    QTRY_VERIFY(!page.isCurrent());
    QCOMPARE(page.tileText(u"requests"_s), u"3"_s);
    page.show();
    QTRY_VERIFY(page.isCurrent());
    QTRY_COMPARE(page.tileText(u"requests"_s), u"4"_s);
    QTRY_COMPARE(sumY(page.requestsPerMinute()), 4.0);
}

void TestOverviewPage::faultsAreCountedApartFromClientErrors()
{
    ScriptedUpstream upstream;
    QVERIFY(upstream.listen());
    GuiFixture fixture;
    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s, ProviderKind::Anthropic,
                       upstream.baseUrl());
    auto key = fixture.stores().accessKeys().create(u"laptop"_s);
    QVERIFY(key);
    QVERIFY(fixture.start());
    OverviewPage page(fixture.facade());
    page.resize(1000, 700);
    page.show();
    QTRY_VERIFY(page.isCurrent());

    upstream.enqueue(ScriptedReply::message(u"hi"_s), 3);
    upstream.enqueue(
        ScriptedReply::error(400, u"invalid_request_error"_s, u"max_tokens: field required"_s));
    QCOMPARE(fixture.sendMessages(key->plaintext, 4), (QList<int> {200, 200, 200, 400}));
    QTRY_COMPARE(page.tileText(u"requests"_s), u"4"_s);
    QCOMPARE(page.tileText(u"errors"_s), u"0 %"_s);
    QCOMPARE(page.tileNote(u"errors"_s), u"1 client error not counted"_s);
    QCOMPARE(page.failureTexts().size(), 1);
    QVERIFY2(page.failureTexts().at(0).contains(u"work · 400 invalid_request_error"_s),
             qPrintable(page.failureTexts().at(0)));

    // The only account overloaded: the client gets the fault, and it counts.
    upstream.setHandler([](const RecordedRequest &) {
        return ScriptedReply::error(529, u"overloaded_error"_s, u"Overloaded"_s);
    });
    const QList<int> statuses = fixture.sendMessages(key->plaintext, 1);
    QCOMPARE(statuses.size(), 1);
    QVERIFY(OverviewFigures::outcome(statuses.at(0)) == OverviewFigures::Outcome::UpstreamFault);
    QTRY_COMPARE(page.tileText(u"requests"_s), u"5"_s);
    QCOMPARE(page.tileText(u"errors"_s), u"20.0 %"_s);
    QCOMPARE(page.failureTexts().size(), 2);
    QVERIFY(page.failureTexts().at(0).contains(QString::number(statuses.at(0))));
    QVERIFY2(page.servingText().startsWith(u"no account could serve the last request ("_s),
             qPrintable(page.servingText()));
}

void TestOverviewPage::saysWhatIsMissingForClients()
{
    GuiFixture fixture;
    fixture.addAccount(u"work"_s, u"sk-ant-test-0001"_s);
    QVERIFY(fixture.start());
    OverviewPage page(fixture.facade());
    QSignalSpy create(&page, &OverviewPage::createKeyRequested);
    page.show();
    QVERIFY2(page.setupText().contains(u"access key"_s), qPrintable(page.setupText()));
    auto *button = page.findChild<QWidget *>(u"setupHint"_s)->findChild<QPushButton *>();
    QVERIFY(button);
    button->click();
    QCOMPARE(create.size(), 1);
    QVERIFY(fixture.stores().accessKeys().create(u"laptop"_s));
    fixture.reload();
    QTRY_COMPARE(page.setupText(), QString());
}

QTEST_MAIN(TestOverviewPage)
#include "tst_overviewpage.moc"
