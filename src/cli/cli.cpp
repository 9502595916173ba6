// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli.h"

#include "cli/accountscommand.h"
#include "cli/command.h"
#include "cli/keyscommand.h"
#include "cli/secretinput.h"
#include "cli/settingscommand.h"
#include "cli/startoptions.h"
#include "cli/statscommand.h"

#include <cstdio>

using namespace Qt::StringLiterals;

Cli::Cli(AppOptions options, QStringList command, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_command(std::move(command))
    , m_clock(clock)
    , m_stdout(stdout)
    , m_stderr(stderr)
    , m_out(std::make_unique<CliOutput>(m_stdout, m_stderr))
{ }

Cli::~Cli() = default;

void Cli::start()
{
    const QString group = m_command.value(0);
    const QString action = m_command.value(1);
    static const QStringList groups = {u"accounts"_s, u"keys"_s, u"settings"_s, u"stats"_s};
    if (!groups.contains(group)) {
        m_out->error(tr("Unknown command \"%1\" (see switchboard --help).").arg(group));
        return finish(ExitCode::badInput);
    }
    const bool needsAction = group != u"stats";
    if (needsAction && (action.isEmpty() || action.startsWith(u'-'))) {
        m_out->line(StartOptions::usage());
        return finish(action == u"--help" ? ExitCode::ok : ExitCode::badInput);
    }
    auto app = AppContext::open(m_options, m_clock);
    if (!app) {
        m_out->error(app.error().message);
        return finish(ExitCode::failed);
    }
    m_app = std::move(*app);
    if (m_app->usesSecretsFile()) {
        m_out->warning(tr("warning: API keys are kept in the plaintext file %1 (readable by you "
                          "only), not in the system keychain.")
                           .arg(m_options.secretsFile));
    }
    m_context.reset(new Invocation {needsAction ? group + u' ' + action : group,
                                    m_command.mid(needsAction ? 2 : 1), *m_out, *m_app,
                                    [this](int code) { finish(code); }, &SecretInput::read});
    bool known = true;
    if (group == u"accounts")
        known = AccountsCommand::run(action, *m_context);
    else if (group == u"keys")
        known = KeysCommand::run(action, *m_context);
    else if (group == u"settings")
        known = SettingsCommand::run(action, *m_context);
    else
        StatsCommand::run(*m_context);
    if (!known) {
        m_out->error(tr("Unknown command \"%1 %2\" (see switchboard --help).").arg(group, action));
        finish(ExitCode::badInput);
    }
}

void Cli::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    // Queued so that a command finishing inside a callback unwinds before the app exits.
    QMetaObject::invokeMethod(
        this, [this, exitCode] { Q_EMIT finished(exitCode); }, Qt::QueuedConnection);
}
