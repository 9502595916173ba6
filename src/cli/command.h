// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/clioutput.h"
#include "core/account.h"
#include "core/result.h"

#include <QCommandLineParser>
#include <QStringList>

#include <functional>
#include <initializer_list>
#include <optional>

class AppContext;

/// Exit codes of the command line.
namespace ExitCode {
inline constexpr int ok = 0;
inline constexpr int failed = 1; ///< storage, keychain or file failure
inline constexpr int badInput = 2; ///< usage error, invalid value, unknown id, duplicate
} // namespace ExitCode

/// What a command needs: its arguments, the output, the opened stores, and a way to
/// say it is done (commands may finish asynchronously, after keychain jobs).
struct Invocation
{
    QString command; ///< "accounts add", for usage texts
    QStringList args; ///< arguments after the command words
    CliOutput &out;
    AppContext &app;
    std::function<void(int)> finish;
    std::function<Result<QString>(const QString &prompt)> readSecret;

    /// Parses `args` with `parser` (help included) and checks there are `positional`
    /// arguments (-1: any number); on failure prints the error and finishes with badInput.
    /// Returns false when the command must stop.
    bool parse(QCommandLineParser &parser, int positional, const QString &usage);
    /// Parses `args` with one NAME|ID argument (after the options `parser` has) and finds
    /// that account; on failure the command is finished and nothing is returned.
    std::optional<Account> parseAccount(QCommandLineParser &parser,
                                        const QString &usage = QStringLiteral("NAME|ID"));
    /// Runs the one of `actions` named `name` ({{u"list", &list}, …}); false if none is.
    using Action = void (*)(Invocation &);
    bool runAction(QStringView name, std::initializer_list<std::pair<QStringView, Action>> actions);
    /// Prints the error and finishes with the matching exit code.
    void fail(const Error &error);
    /// Prints the result and finishes with ExitCode::ok.
    void succeed(const QString &line);
    void succeedJson(const QJsonValue &json);
    int exitCodeFor(const Error &error) const;
};
