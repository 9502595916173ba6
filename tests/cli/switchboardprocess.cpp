// SPDX-License-Identifier: GPL-3.0-or-later
#include "switchboardprocess.h"

#include "support/testtimeout.h"

#include <QProcess>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

SwitchboardProcess::SwitchboardProcess(QProcessEnvironment environment)
    : m_environment(std::move(environment))
{
    // Commands answer in English whatever the machine's locale.
    m_environment.insert(u"LANGUAGE"_s, u"en"_s);
    m_environment.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
}

QString SwitchboardProcess::program()
{
    return QStringLiteral(SWITCHBOARD_EXECUTABLE);
}

ProcessResult SwitchboardProcess::run(const QStringList &arguments, const QByteArray &input) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.start(program(), arguments);
    if (!process.waitForStarted(testTimeout(10s)))
        return {-1, {}, u"could not start "_s + program()};
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(testTimeout(60s))) {
        process.kill();
        process.waitForFinished();
        return {-1, QString::fromUtf8(process.readAllStandardOutput()), u"timed out"_s};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}
