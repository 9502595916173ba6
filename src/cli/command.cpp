// SPDX-License-Identifier: GPL-3.0-or-later
#include "command.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

bool Invocation::parse(QCommandLineParser &parser, int positional, const QString &usage)
{
    parser.addHelpOption();
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    if (!parser.parse(QStringList {u"switchboard "_s + command} + args)) {
        out.error(parser.errorText());
        finish(ExitCode::badInput);
        return false;
    }
    if (parser.isSet(u"help"_s)) {
        out.line(u"Usage: switchboard %1 %2"_s.arg(command, usage));
        out.line(parser.helpText().section(u'\n', 2));
        finish(ExitCode::ok);
        return false;
    }
    if (positional >= 0 && parser.positionalArguments().size() != positional) {
        out.error(QCoreApplication::translate("Cli", "Usage: switchboard %1 %2 (see --help)")
                      .arg(command, usage));
        finish(ExitCode::badInput);
        return false;
    }
    return true;
}

int Invocation::exitCodeFor(const Error &error) const
{
    switch (error.kind) {
    case Error::Kind::Invalid:
    case Error::Kind::NotFound:
    case Error::Kind::Conflict:
        return ExitCode::badInput;
    case Error::Kind::Storage:
    case Error::Kind::Secret:
    case Error::Kind::Io:
        break;
    }
    return ExitCode::failed;
}

void Invocation::fail(const Error &error)
{
    out.error(error.message);
    finish(exitCodeFor(error));
}
