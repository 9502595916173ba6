// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretinput.h"

#include <QFile>
#include <QTextStream>

#include <cstdio>

#ifdef Q_OS_WIN
#include <io.h>
#include <windows.h>
#else
#include <termios.h>
#include <unistd.h>
#endif

namespace {

bool stdinIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stdin));
#else
    return isatty(STDIN_FILENO);
#endif
}

/// Turns terminal echo off for its lifetime.
class EchoOff final
{
public:
    EchoOff()
    {
#ifdef Q_OS_WIN
        m_handle = GetStdHandle(STD_INPUT_HANDLE);
        GetConsoleMode(m_handle, &m_mode);
        SetConsoleMode(m_handle, m_mode & ~ENABLE_ECHO_INPUT);
#else
        tcgetattr(STDIN_FILENO, &m_saved);
        termios quiet = m_saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
#endif
    }
    ~EchoOff()
    {
#ifdef Q_OS_WIN
        SetConsoleMode(m_handle, m_mode);
#else
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &m_saved);
#endif
    }
    Q_DISABLE_COPY_MOVE(EchoOff)

private:
#ifdef Q_OS_WIN
    HANDLE m_handle;
    DWORD m_mode = 0;
#else
    termios m_saved {};
#endif
};

} // namespace

Result<QString> SecretInput::read(const QString &prompt)
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return Error::io(tr("Cannot read standard input."));
    QString secret;
    if (stdinIsTerminal()) {
        QTextStream err(stderr);
        err << prompt;
        err.flush();
        {
            EchoOff quiet;
            secret = QString::fromUtf8(in.readLine());
        }
        err << '\n';
    } else {
        secret = QString::fromUtf8(in.readAll());
    }
    secret = secret.trimmed();
    if (secret.isEmpty()) {
        return Error::invalid(tr("No API key was given: pipe it on standard input, for example "
                                 "switchboard accounts add … < key.txt"));
    }
    return secret;
}
