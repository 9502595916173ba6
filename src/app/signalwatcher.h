// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

class QSocketNotifier;

/// Turns SIGINT/SIGTERM (Ctrl+C / console close on Windows) into a Qt signal delivered
/// on the event loop, so shutdown runs normal destructors.
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
#ifndef Q_OS_WIN
    QSocketNotifier *m_notifier = nullptr;
#endif
};
