// SPDX-License-Identifier: GPL-3.0-or-later
// Renders every page (at two sizes) and dialog of the window to PNG files, in every language, on a
// real runtime seeded with realistic accounts, keys and a day of usage; with --dark, in a
// dark Fusion palette, to check that every status colour reads on it. Nothing leaves
// 127.0.0.1: accounts are seeded disabled (so the gateway validates none of them on arrival)
// and enabled afterwards with the health they are to show.
#include "core/accesskeystore.h"
#include "core/accountstore.h"
#include "core/localization.h"
#include "core/providerpreset.h"
#include "core/usagestore.h"
#include "gui/accounts/accountspage.h"
#include "gui/logs/logspage.h"
#include "gui/overview/overviewpage.h"
#include "gui/settings/settingspage.h"
#include "gui/shell/mainwindow.h"
#include "gui/usage/usagepage.h"
#include "guifixture.h"

#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QRandomGenerator>
#include <QStyleFactory>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Seed
{
    QString name;
    QString preset;
    int tier;
    int priority;
    HealthState state;
    QString reason;
    int cooldownSeconds = 0;
    bool enabled = true;
};

QList<Account> seedAccounts(GuiFixture &fixture)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<Seed> seeds = {
        {u"work"_s, u"anthropic"_s, 1, 10, HealthState::Valid, {}},
        {u"personal"_s, u"anthropic"_s, 1, 5, HealthState::Valid, {}, 140},
        {u"kimi"_s, u"moonshot-anthropic"_s, 1, 0, HealthState::Disabled,
         u"Out of credit: add credit with the provider, then enable the account."_s},
        {u"openrouter"_s, u"openrouter"_s, 2, 0, HealthState::Valid, {}},
        {u"deepseek"_s, u"deepseek"_s, 2, 0, HealthState::Invalid,
         u"The provider rejected the API key (401)."_s},
        {u"ollama"_s, u"ollama"_s, 3, 0, HealthState::Unknown, {}, 0, false},
    };
    QList<Account> accounts;
    for (const Seed &seed : seeds) {
        const ProviderPreset *preset = ProviderPreset::byId(seed.preset);
        Account a = fixture.addAccount(seed.name, u"sk-screenshot-"_s + seed.name, preset->kind,
                                       preset->baseUrl, false);
        a.tier = seed.tier;
        a.priority = seed.priority;
        a.authStyle = preset->authStyle;
        a.modelMapping = ModelMapping(preset->suggestedMapping);
        a.enabled = false; // for now: the gateway validates enabled accounts on arrival
        a.health.state = seed.state;
        a.health.reason = seed.reason;
        a.health.lastValidated = now.addSecs(-600 - 60 * accounts.size());
        a.health.validationLatencyMs = 180 + 40 * int(accounts.size());
        a.health.validationMessage = seed.state == HealthState::Valid
            ? u"The key works (%1 ms)."_s.arg(a.health.validationLatencyMs)
            : seed.reason;
        if (seed.cooldownSeconds > 0)
            a.health.cooldownUntil = now.addSecs(seed.cooldownSeconds);
        if (!fixture.stores().accounts().update(a)
            || !fixture.stores().accounts().updateHealth(a.id, a.health))
            qFatal("cannot seed %s", qPrintable(a.name));
        a.enabled = seed.enabled;
        accounts << a;
    }
    return accounts;
}

void seedUsage(GuiFixture &fixture, const QList<Account> &accounts, const QUuid &keyId)
{
    QRandomGenerator random(42);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QStringList models
        = {u"claude-sonnet-4-5"_s, u"claude-haiku-4-5"_s, u"claude-opus-4-1"_s};
    QList<UsageRecord> records;
    for (int minute = 24 * 60; minute > 0; minute -= 1 + int(random.bounded(6))) {
        const int burst = 1 + int(random.bounded(minute < 90 ? 6 : 3));
        for (int i = 0; i < burst; ++i) {
            const Account &a = accounts[int(random.bounded(4))];
            UsageRecord r;
            r.time = now.addSecs(-60 * minute + int(random.bounded(60)));
            r.accessKeyId = keyId;
            r.accountId = a.id;
            r.accountName = a.name;
            r.model = models[int(random.bounded(models.size()))];
            r.upstreamModel = a.modelMapping.map(r.model);
            r.tokens.input = 800 + int(random.bounded(12000));
            r.tokens.output = 50 + int(random.bounded(1500));
            r.tokens.cacheRead = int(random.bounded(20000));
            r.latencyMs = 600 + int(random.bounded(9000));
            r.firstTokenMs = 300 + int(random.bounded(900));
            r.stream = random.bounded(4) != 0;
            r.attempts = 1;
            r.status = 200;
            r.path = u"%1 200"_s.arg(a.name);
            if (random.bounded(25) == 0) {
                r.attempts = 2;
                r.path = u"personal 429 → %1 200"_s.arg(a.name);
            } else if (random.bounded(60) == 0) {
                r.status = 529;
                r.errorType = u"overloaded_error"_s;
                r.tokens.output = 0;
                r.firstTokenMs = -1;
            }
            records << r;
        }
    }
    if (!UsageStore(fixture.stores().database()).record(records))
        qFatal("cannot seed usage");
}

/// A dark theme like the desktops' dark modes: Fusion, light text on dark grey.
void applyDarkPalette()
{
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    QPalette dark;
    const QColor window(0x2d, 0x2d, 0x2d), base(0x1e, 0x1e, 0x1e), text(0xe6, 0xe6, 0xe6);
    dark.setColor(QPalette::Window, window);
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::Base, base);
    dark.setColor(QPalette::AlternateBase, window);
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8a, 0x8a));
    dark.setColor(QPalette::Button, window);
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::ToolTipBase, base);
    dark.setColor(QPalette::ToolTipText, text);
    dark.setColor(QPalette::Highlight, QColor(0x35, 0x84, 0xe4));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x78, 0xb4, 0xff));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        dark.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7a, 0x7a));
    QApplication::setPalette(dark);
}

class Shooter
{
public:
    explicit Shooter(const QString &dir)
        : m_dir(dir)
    {
        QDir().mkpath(dir);
    }

    void shoot(QWidget *widget, const QString &name)
    {
        settle();
        const QString path = QDir(m_dir).filePath(name + u".png"_s);
        if (!widget->grab().save(path))
            qFatal("cannot write %s", qPrintable(path));
        qInfo().noquote() << "wrote" << path;
    }

    /// Grabs every dialog that opened since the last call, then closes it.
    void shootDialogs(const QString &prefix)
    {
        settle();
        int n = 0;
        for (QWidget *top : QApplication::topLevelWidgets()) {
            auto *dialog = qobject_cast<QDialog *>(top);
            if (!dialog || !dialog->isVisible())
                continue;
            const QString name = dialog->objectName().isEmpty()
                ? u"%1-%2"_s.arg(prefix).arg(++n)
                : u"%1-%2"_s.arg(prefix, dialog->objectName());
            shoot(dialog, name);
            dialog->close();
        }
        settle();
    }

    static void settle()
    {
        for (int i = 0; i < 5; ++i) {
            QCoreApplication::sendPostedEvents();
            QTest::qWait(60);
        }
    }

private:
    QString m_dir;
};

/// The pages at a size: OUTDIR/LANGUAGE/NN-page-WxH.png.
void shootPages(MainWindow &window, Shooter &shooter, const QSize &size)
{
    window.resize(size);
    const QString suffix = u"-%1x%2"_s.arg(size.width()).arg(size.height());
    window.showPage(MainWindow::Page::Overview);
    if (!QTest::qWaitFor([&] { return window.overviewPage()->isCurrent(); }, 5000))
        qFatal("the overview did not load");
    shooter.shoot(&window, u"00-overview"_s + suffix);
    window.showPage(MainWindow::Page::Accounts);
    shooter.shoot(&window, u"01-accounts"_s + suffix);
    window.showPage(MainWindow::Page::Usage);
    window.usagePage()->reload();
    if (!QTest::qWaitFor([&] { return !window.usagePage()->isLoading(); }, 5000))
        qFatal("the usage page did not load");
    shooter.shoot(&window, u"02-usage"_s + suffix);
    window.showPage(MainWindow::Page::Logs);
    window.logsPage()->reload();
    if (!QTest::qWaitFor([&] { return !window.logsPage()->isLoading(); }, 5000))
        qFatal("the logs page did not load");
    shooter.shoot(&window, u"03-logs"_s + suffix);
    window.showPage(MainWindow::Page::Settings);
    shooter.shoot(&window, u"04-settings"_s + suffix);
    window.settingsPage()->showConnect();
    shooter.shoot(&window, u"05-connect-claude-code"_s + suffix);
}

void shootLanguage(MainWindow &window, const QList<Account> &accounts, const QString &language,
                   const QString &outDir)
{
    Localization::install(language);
    Shooter shooter(QDir(outDir).filePath(language));
    for (const QSize size : {QSize(800, 600), QSize(1400, 900)})
        shootPages(window, shooter, size);

    window.showPage(MainWindow::Page::Accounts);
    window.accountsPage()->addAccount();
    shooter.shootDialogs(u"10-add-account"_s);
    window.accountsPage()->editAccount(accounts[3].id);
    shooter.shootDialogs(u"11-edit-account"_s);
    window.accountsPage()->batchAdd();
    shooter.shootDialogs(u"12-batch-add"_s);
    window.showPage(MainWindow::Page::Usage);
    window.usagePage()->editPrices();
    shooter.shootDialogs(u"13-prices"_s);
    window.showPage(MainWindow::Page::Settings);
    window.settingsPage()->createAccessKey();
    shooter.shootDialogs(u"14-access-key"_s);
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.removeAll(u"--dark"_s) > 0)
        applyDarkPalette();
    if (args.size() != 1) {
        qCritical("usage: sb-screenshots [--dark] OUTDIR");
        return 2;
    }
    const QString outDir = QDir(args.first()).absolutePath();

    // The first run: a new user sees the welcome page.
    {
        GuiFixture empty;
        if (!empty.start())
            qFatal("the runtime did not start");
        MainWindow window(empty.facade());
        window.resize(1080, 680);
        window.show();
        for (const QString &language : Localization::available()) {
            Localization::install(language);
            Shooter(QDir(outDir).filePath(language)).shoot(&window, u"00-welcome"_s);
        }
    }

    GuiFixture fixture;
    const QList<Account> accounts = seedAccounts(fixture);
    auto key = fixture.stores().accessKeys().create(u"claude-code"_s);
    if (!key)
        qFatal("cannot create a key");
    seedUsage(fixture, accounts, key->key.id);
    if (!fixture.start())
        qFatal("the runtime did not start");
    for (const Account &a : accounts) {
        if (a.enabled) {
            Account enabled = a;
            enabled.enabled = true;
            // The storage worker notices changes by their time.
            enabled.updatedAt = QDateTime::currentDateTimeUtc().addSecs(1);
            if (!fixture.stores().accounts().update(enabled))
                qFatal("cannot enable %s", qPrintable(a.name));
        }
    }
    fixture.reload();
    const auto enabledCount = [](const QList<Account> &list) {
        return std::count_if(list.cbegin(), list.cend(),
                             [](const Account &a) { return a.enabled; });
    };
    if (!QTest::qWaitFor(
            [&] { return enabledCount(fixture.facade().accounts()) == enabledCount(accounts); },
            5000))
        qFatal("the seeded accounts were not enabled");
    fixture.facade().setPinned(accounts[0].id);

    MainWindow window(fixture.facade());
    window.resize(1080, 680);
    window.show();
    for (const QString &language : Localization::available())
        shootLanguage(window, accounts, language, outDir);
    return 0;
}
