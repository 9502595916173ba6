// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcessEnvironment>
#include <QStringList>

/// Runs the real `switchboard` executable for end-to-end tests of the command line.
struct ProcessResult
{
    int exitCode = -1;
    QString out;
    QString err;
};

class SwitchboardProcess final
{
public:
    /// Runs with the given data folder (or the PostgreSQL URL of the test database) and
    /// the caller's environment otherwise.
    explicit SwitchboardProcess(QProcessEnvironment environment);

    static QString program();

    ProcessResult run(const QStringList &arguments, const QByteArray &input = {}) const;
    QProcessEnvironment &environment() { return m_environment; }

private:
    QProcessEnvironment m_environment;
};
