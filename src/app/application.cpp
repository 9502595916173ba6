// SPDX-License-Identifier: GPL-3.0-or-later
#include "application.h"

#include "app/headless.h"
#include "cli/cli.h"
#include "cli/startoptions.h"
#include "core/clock.h"
#include "core/localization.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

#ifdef Q_OS_UNIX
#include <sys/resource.h>

#include <climits>
#endif

#ifdef SWITCHBOARD_WITH_GUI
#include "app/guiapplication.h"
#endif

using namespace Qt::StringLiterals;

namespace {

void setIdentity()
{
    QCoreApplication::setApplicationName(u"Switchboard"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));
}

/// Every client connection and every upstream one is a file descriptor; distributions still
/// start programs with a soft limit of 1024. Take what the hard limit allows.
void raiseFileLimit()
{
#ifdef Q_OS_UNIX
    rlimit limit {};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == limit.rlim_max)
        return;
    rlim_t wanted = limit.rlim_max;
#ifdef OPEN_MAX
    // macOS refuses more than OPEN_MAX (and its hard limit is often "unlimited").
    wanted = std::min<rlim_t>(wanted, OPEN_MAX);
#endif
    if (wanted > limit.rlim_cur) {
        limit.rlim_cur = wanted;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
#endif
}

bool hasDisplay()
{
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY")
        || qEnvironmentVariableIsSet("QT_QPA_PLATFORM");
#else
    return true;
#endif
}

int runCore(int argc, char *argv[], StartOptions options, const Clock &clock)
{
    QCoreApplication app(argc, argv);
    setIdentity();
    Localization::install(u"system"_s);
    QTextStream out(stdout);
    switch (options.mode) {
    case StartOptions::Mode::Help:
        out << StartOptions::usage() << '\n';
        return 0;
    case StartOptions::Mode::Version:
        out << "switchboard " << QCoreApplication::applicationVersion() << '\n';
        return 0;
    case StartOptions::Mode::Command: {
        // Commands report their own errors in plain words; the subsystem logs would repeat
        // them. QT_LOGGING_RULES still turns them back on.
        QLoggingCategory::setFilterRules(
            u"switchboard.*.info=false\nswitchboard.*.warning=false"_s);
        Cli cli(options.app, options.command, clock);
        QObject::connect(&cli, &Cli::finished, &app, &QCoreApplication::exit);
        QTimer::singleShot(0, &cli, &Cli::start);
        return app.exec();
    }
    case StartOptions::Mode::Gui:
        QTextStream(stderr) << QCoreApplication::translate(
            "Application", "switchboard: no display available, starting headless.")
                            << '\n';
        Q_FALLTHROUGH();
    case StartOptions::Mode::Headless:
        break;
    }
    HeadlessServer server(std::move(options), clock);
    QObject::connect(&server, &HeadlessServer::finished, &app, &QCoreApplication::exit);
    QTimer::singleShot(0, &server, &HeadlessServer::start);
    return app.exec();
}

} // namespace

namespace Application {

int run(int argc, char *argv[])
{
    raiseFileLimit();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    auto options = StartOptions::parse(arguments);
    if (!options) {
        QTextStream(stderr) << "switchboard: " << options.error().message << '\n';
        return 2;
    }
    // The one clock of the process: everything that measures time is given this one.
    const SystemClock clock;
#ifdef SWITCHBOARD_WITH_GUI
    if (options->mode == StartOptions::Mode::Gui && hasDisplay()) {
        setIdentity();
        return GuiApplication::run(argc, argv, *options, clock);
    }
#endif
    return runCore(argc, argv, *options, clock);
}

} // namespace Application
