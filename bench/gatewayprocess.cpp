// SPDX-License-Identifier: GPL-3.0-or-later
#include "gatewayprocess.h"

#include "benchstats.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <csignal>

using namespace Qt::StringLiterals;

GatewayProcess::GatewayProcess(QString program, QStringList wrapper)
    : m_program(std::move(program))
    , m_wrapper(std::move(wrapper))
{ }

GatewayProcess::~GatewayProcess()
{
    stop(5000);
}

QStringList GatewayProcess::globalOptions() const
{
    return {u"--data-dir"_s, m_dir.path(), u"--secrets-file"_s, m_dir.filePath(u"secrets.json"_s)};
}

QProcessEnvironment GatewayProcess::environment() const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"SWITCHBOARD_DATABASE_URL"_s);
    env.remove(u"SWITCHBOARD_DATA_DIR"_s);
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
    // Per-request log lines would cost more than the relay itself.
    env.insert(u"QT_LOGGING_RULES"_s, u"switchboard.*.info=false"_s);
    return env;
}

bool GatewayProcess::runCommand(const QStringList &arguments, const QByteArray &input,
                                QByteArray &out)
{
    QProcess command;
    command.setProcessEnvironment(environment());
    command.start(m_program, globalOptions() + arguments);
    if (!command.waitForStarted(10000)) {
        m_error = u"cannot start %1: %2"_s.arg(m_program, command.errorString());
        return false;
    }
    command.write(input);
    command.closeWriteChannel();
    if (!command.waitForFinished(30000)) {
        command.kill();
        command.waitForFinished(5000);
        m_error = u"switchboard %1 did not finish"_s.arg(arguments.join(u' '));
        return false;
    }
    out = command.readAllStandardOutput();
    if (command.exitStatus() != QProcess::NormalExit || command.exitCode() != 0) {
        m_error = u"switchboard %1 failed (%2): %3"_s.arg(
            arguments.join(u' '), QString::number(command.exitCode()),
            QString::fromUtf8(command.readAllStandardError()).trimmed());
        return false;
    }
    return true;
}

bool GatewayProcess::setUp(quint16 upstreamPort)
{
    if (!m_dir.isValid()) {
        m_error = u"cannot create a temporary folder"_s;
        return false;
    }
    QByteArray out;
    if (!runCommand({u"accounts"_s, u"add"_s, u"--name"_s, u"mock"_s, u"--base-url"_s,
                     u"http://127.0.0.1:%1"_s.arg(upstreamPort)},
                    "bench-upstream-key\n", out))
        return false;
    if (!runCommand({u"keys"_s, u"create"_s, u"--name"_s, u"bench"_s, u"--json"_s}, {}, out))
        return false;
    m_key = QJsonDocument::fromJson(out).object().value(u"key").toString().toUtf8();
    if (m_key.isEmpty()) {
        m_error = u"keys create --json printed no key: %1"_s.arg(QString::fromUtf8(out));
        return false;
    }
    return true;
}

bool GatewayProcess::start(int timeoutMs)
{
    // Output goes to files: nobody reads a pipe during the load, and a full pipe would
    // block the gateway.
    const QString outPath = m_dir.filePath(u"gateway.out"_s);
    m_process.setStandardOutputFile(outPath);
    m_process.setStandardErrorFile(m_dir.filePath(u"gateway.err"_s));
    m_process.setStandardInputFile(QProcess::nullDevice());
    m_process.setProcessEnvironment(environment());
    QStringList arguments = m_wrapper;
    arguments << m_program << globalOptions()
              << QStringList {u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s};
    const QString program = arguments.takeFirst();
    m_process.start(program, arguments);
    if (!m_process.waitForStarted(10000)) {
        m_error = u"cannot start %1: %2"_s.arg(program, m_process.errorString());
        return false;
    }
    static const QRegularExpression banner(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s);
    const qint64 deadline = Bench::nowNs() + qint64(timeoutMs) * 1'000'000;
    while (Bench::nowNs() < deadline) {
        QFile file(outPath);
        if (file.open(QIODevice::ReadOnly)) {
            const auto match = banner.match(QString::fromUtf8(file.readAll()));
            if (match.hasMatch()) {
                m_port = quint16(match.captured(1).toUInt());
                m_pid = findGateway();
                return true;
            }
        }
        if (m_process.waitForFinished(50)) {
            m_error = u"the gateway exited (code %1): %2"_s.arg(m_process.exitCode())
                          .arg(errorOutput());
            return false;
        }
    }
    m_error = u"the gateway printed no banner within %1 ms: %2"_s.arg(timeoutMs).arg(errorOutput());
    return false;
}

qint64 GatewayProcess::findGateway() const
{
    const qint64 started = m_process.processId();
    if (m_wrapper.isEmpty())
        return started;
    // valgrind runs the program in its own process; strace and the like fork it: take the
    // descendant that runs the program, else the process we started.
    const QString program = QFileInfo(m_program).canonicalFilePath();
    QList<qint64> parents {started};
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs);
    for (int depth = 0; depth < 3; ++depth) {
        QList<qint64> children;
        for (const QString &entry : entries) {
            bool ok = false;
            const qint64 pid = entry.toLongLong(&ok);
            QFile stat(u"/proc/%1/stat"_s.arg(entry));
            if (!ok || !stat.open(QIODevice::ReadOnly))
                continue;
            // "PID (COMM) STATE PPID ...": COMM may hold spaces, so count from its ')'.
            const QByteArray line = stat.readAll();
            const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
            if (fields.size() < 2 || !parents.contains(fields[1].toLongLong()))
                continue;
            if (QFileInfo(u"/proc/%1/exe"_s.arg(pid)).canonicalFilePath() == program)
                return pid;
            children << pid;
        }
        parents = children;
    }
    return started;
}

void GatewayProcess::stop(int timeoutMs)
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_pid > 0 ? m_pid : m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(timeoutMs)) {
        if (m_pid > 0)
            ::kill(pid_t(m_pid), SIGKILL);
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString GatewayProcess::errorOutput() const
{
    QFile file(m_dir.filePath(u"gateway.err"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).right(2000).trimmed();
}
