// SPDX-License-Identifier: GPL-3.0-or-later
#include "startoptions.h"

#include "core/settings.h"

using namespace Qt::StringLiterals;

Result<std::pair<QHostAddress, quint16>> StartOptions::parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    bool portOk = false;
    const uint port = text.mid(colon + 1).toUInt(&portOk);
    QHostAddress address;
    if (colon <= 0 || !portOk || port > 65535 || !address.setAddress(host)) {
        return Error::invalid(tr("--listen must be HOST:PORT with an IP address, for example "
                                 "127.0.0.1:%1 (got \"%2\").")
                                  .arg(Settings::defaultPort)
                                  .arg(text));
    }
    return std::pair {address, quint16(port)};
}

Result<StartOptions> StartOptions::parse(const QStringList &arguments)
{
    StartOptions options;
    QStringList rest;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        auto takeValue = [&](const QString &name) -> std::optional<QString> {
            if (arg.startsWith(name + u'='))
                return arg.mid(name.size() + 1);
            if (arg == name && i + 1 < arguments.size())
                return arguments[++i];
            return std::nullopt;
        };
        if (arg == u"--data-dir" || arg.startsWith(u"--data-dir=")) {
            auto v = takeValue(u"--data-dir"_s);
            if (!v || v->isEmpty())
                return Error::invalid(tr("--data-dir needs a folder."));
            options.app.dataDir = *v;
        } else if (arg == u"--secrets-file" || arg.startsWith(u"--secrets-file=")) {
            auto v = takeValue(u"--secrets-file"_s);
            if (!v || v->isEmpty())
                return Error::invalid(tr("--secrets-file needs a file path."));
            options.app.secretsFile = *v;
        } else if (rest.isEmpty() && (arg == u"--listen" || arg.startsWith(u"--listen="))) {
            auto v = takeValue(u"--listen"_s);
            auto listen = parseListen(v.value_or(QString()));
            if (!listen)
                return listen.error();
            options.listenAddress = listen->first;
            options.listenPort = listen->second;
        } else if (rest.isEmpty() && arg == u"--headless") {
            options.mode = Mode::Headless;
        } else if (rest.isEmpty() && (arg == u"--help" || arg == u"-h" || arg == u"help")) {
            options.mode = Mode::Help;
        } else if (rest.isEmpty() && (arg == u"--version" || arg == u"-v")) {
            options.mode = Mode::Version;
        } else if (rest.isEmpty() && arg.startsWith(u'-')) {
            return Error::invalid(tr("Unknown option %1 (see switchboard --help).").arg(arg));
        } else {
            rest << arg;
        }
    }
    if (!rest.isEmpty()) {
        if (options.mode == Mode::Headless)
            return Error::invalid(
                tr("--headless takes no command (got \"%1\").").arg(rest.first()));
        options.mode = Mode::Command;
        options.command = rest;
    }
    return options;
}

QString StartOptions::usage()
{
    return tr(R"(Usage: switchboard [--data-dir DIR] [--secrets-file PATH] [COMMAND]

Without a command, starts the desktop app; with --headless, the gateway alone.

  --headless [--listen HOST:PORT]  serve without a window until SIGINT/SIGTERM
  --data-dir DIR                   where the database lives (or $SWITCHBOARD_DATA_DIR)
  --secrets-file PATH              keep API keys in a private file instead of the
                                   system keychain (for servers without one)

Commands (each has --help):
  accounts add|list|show|edit|remove|enable|disable
  accounts validate NAME|ID | --all   check keys without spending tokens
  accounts import FILE | export FILE [--with-secrets]
  keys create|list|revoke
  settings list|get|set|reset
  stats [--since 24h] [--json]      requests, tokens and latency per account

API keys are read from standard input, never from the command line.
Exit codes: 0 ok, 1 storage or keychain failure, 2 bad input.
$SWITCHBOARD_DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DB uses PostgreSQL.)");
}
