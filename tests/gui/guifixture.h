// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appcontext.h"
#include "core/clock.h"
#include "gateway/runtime.h"
#include "gui/common/runtimefacade.h"
#include "support/fakeclock.h"

#include <QTemporaryDir>

#include <memory>

/// A running Switchboard for widget tests: a temporary data folder with a real SQLite
/// file, secrets in the real Secret Service (or a secrets file), the gateway on
/// 127.0.0.1 with a free port, and the RuntimeFacade the window talks to.
class QXYSeries;

/// The sum of a chart series' values (requests drawn, whatever the bucketing).
double sumY(const QXYSeries *series);

class GuiFixture final
{
public:
    enum class Secrets { Keychain, File };
    /// The window's clock. The runtime always runs on the system clock: its timers live on
    /// its own threads, which a test cannot move.
    enum class Time {
        System,
        /// A FakeClock that starts at the real time, so the times the runtime stamps
        /// (cooldown ends, validations) lie just around it, and moves only when the test
        /// moves it: for what the window does when time passes.
        Fake,
    };

    explicit GuiFixture(Secrets secrets = Secrets::File, Time time = Time::System);
    ~GuiFixture();
    Q_DISABLE_COPY_MOVE(GuiFixture)

    /// Starts the runtime and waits (event loop, up to 10 s) until the configuration is
    /// loaded and the gateway listens. False on timeout or failure.
    [[nodiscard]] bool start();
    /// Quits the app (the window's objects must be gone) and starts it again on the same
    /// data folder, as a user who reopens Switchboard.
    [[nodiscard]] bool restart();

    Runtime &runtime() { return *m_runtime; }
    RuntimeFacade &facade() { return *m_facade; }
    const AppOptions &options() const { return m_options; }
    /// The clock the window runs on.
    const Clock &clock() const;
    /// With Time::Fake; null otherwise.
    FakeClock *fakeClock() { return m_fakeClock.get(); }
    QString dataDir() const { return m_dir.path(); }
    /// The stores opened on the calling thread: a second connection to the same database,
    /// for seeding data before start() and checking what the window wrote.
    AppContext &stores();

    /// Seeds an account (row and secret) through the stores, waiting for the keychain.
    Account addAccount(const QString &name, const QString &secret,
                       ProviderKind kind = ProviderKind::Anthropic, const QUrl &baseUrl = {},
                       bool enabled = true);
    /// Sends `count` messages to the running gateway with the access key `key` and waits for
    /// every answer; their HTTP statuses (fewer if one did not answer in time).
    QList<int> sendMessages(const QString &key, int count,
                            const QString &model = QStringLiteral("claude-sonnet-4-5"));
    /// Makes the running app see changes written through stores() at once.
    void reload();

private:
    QTemporaryDir m_dir;
    SystemClock m_clock;
    std::unique_ptr<FakeClock> m_fakeClock;
    AppOptions m_options;
    std::unique_ptr<Runtime> m_runtime;
    std::unique_ptr<RuntimeFacade> m_facade;
    std::unique_ptr<AppContext> m_stores;
};
