// SPDX-License-Identifier: GPL-3.0-or-later
#include "command.h"

#include "core/accountstore.h"
#include "core/appcontext.h"

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

std::optional<Account> Invocation::parseAccount(QCommandLineParser &parser, const QString &usage)
{
    if (!parse(parser, 1, usage))
        return std::nullopt;
    auto account = app.accounts().resolve(parser.positionalArguments().constFirst());
    if (!account) {
        fail(account.error());
        return std::nullopt;
    }
    return *account;
}

bool Invocation::runAction(QStringView name,
                           std::initializer_list<std::pair<QStringView, Action>> actions)
{
    for (const auto &[actionName, action] : actions) {
        if (actionName == name) {
            action(*this);
            return true;
        }
    }
    return false;
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

void Invocation::succeed(const QString &line)
{
    out.line(line);
    finish(ExitCode::ok);
}

void Invocation::succeedJson(const QJsonValue &json)
{
    out.json(json);
    finish(ExitCode::ok);
}
