// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appcontext.h"

#include <QObject>
#include <QStringList>
#include <QTextStream>

#include <memory>

class CliOutput;
class Clock;
struct Invocation;

/// Runs one command-line command (`accounts add …`) and reports its exit code.
class Cli final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Cli)

public:
    Cli(AppOptions options, QStringList command, const Clock &clock, QObject *parent = nullptr);
    ~Cli() override;

    /// Starts the command; finished() follows, possibly after keychain jobs.
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void finish(int exitCode);

    AppOptions m_options;
    QStringList m_command;
    const Clock &m_clock;
    QTextStream m_stdout;
    QTextStream m_stderr;
    std::unique_ptr<CliOutput> m_out;
    std::unique_ptr<AppContext> m_app;
    std::unique_ptr<Invocation> m_context;
    bool m_finished = false;
};
