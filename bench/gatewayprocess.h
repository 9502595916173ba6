// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>

/// The real `switchboard --headless`, set up in a temporary data folder with one account
/// pointing at the mock upstream and one local access key.
class GatewayProcess final
{
public:
    /// `wrapper` runs the gateway under another program (e.g. valgrind), may be empty.
    GatewayProcess(QString program, QStringList wrapper);
    ~GatewayProcess();
    Q_DISABLE_COPY_MOVE(GatewayProcess)

    /// Adds the account (base URL http://127.0.0.1:upstreamPort) and creates the access key.
    bool setUp(quint16 upstreamPort);
    /// Starts headless on 127.0.0.1, a port the system picks; waits for its banner.
    bool start(int timeoutMs);
    /// SIGTERM, then SIGKILL if it has not stopped within `timeoutMs`.
    void stop(int timeoutMs);

    /// The gateway itself, also when a wrapper (strace) runs it as a child.
    qint64 pid() const { return m_pid; }
    quint16 port() const { return m_port; }
    QByteArray accessKey() const { return m_key; }
    QString error() const { return m_error; }
    /// The gateway's standard error so far (warnings), trimmed to its end.
    QString errorOutput() const;

private:
    bool runCommand(const QStringList &arguments, const QByteArray &input, QByteArray &out);
    QStringList globalOptions() const;
    QProcessEnvironment environment() const;
    qint64 findGateway() const;

    QString m_program;
    QStringList m_wrapper;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    qint64 m_pid = 0;
    QByteArray m_key;
    QString m_error;
};
