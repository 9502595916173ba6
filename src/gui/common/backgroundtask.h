// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QPointer>
#include <QThreadPool>

#include <functional>

/// Small blocking jobs of the window (reading the debug log, writing an export, the price
/// table, Claude Code's settings file, the autostart entry) run on the global thread pool,
/// so the window never waits on a disk; the answer comes back on the GUI thread, and only
/// while `receiver` still exists.
namespace BackgroundTask {

template<typename T>
void run(QObject *receiver, std::function<T()> work, std::function<void(T)> done)
{
    QPointer<QObject> guard = receiver;
    QThreadPool::globalInstance()->start([guard, work = std::move(work), done = std::move(done)] {
        T value = work();
        // The application object outlives every receiver; the QPointer is read on the GUI
        // thread, where receivers are deleted, so the check cannot race.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, done, value = std::move(value)] {
                if (guard && done)
                    done(value);
            },
            Qt::QueuedConnection);
    });
}

} // namespace BackgroundTask
