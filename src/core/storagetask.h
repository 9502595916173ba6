// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

class AppContext;

/// What happens next, back on the thread that handed out a StorageTask.
using Continuation = std::function<void()>;

/// Work for the storage thread, with its open stores. It calls `finish` exactly once (at
/// once, or after keychain jobs) with its continuation.
using StorageTask = std::function<void(AppContext &app, std::function<void(Continuation)> finish)>;

/// Runs StorageTasks on the storage thread (the Runtime makes one). A task's continuation
/// runs on the runner's thread after the configuration the task changed has been reloaded
/// there, so an answer never overtakes the change it reports.
using StorageRunner = std::function<void(StorageTask task)>;

/// The typed form: `work` answers with a T on the storage thread, and `done` gets it on the
/// runner's thread.
template<typename T>
void runOnStorage(const StorageRunner &runner,
                  std::function<void(AppContext &, std::function<void(T)>)> work,
                  std::function<void(T)> done)
{
    runner([work = std::move(work),
            done = std::move(done)](AppContext &app, std::function<void(Continuation)> finish) {
        work(app, [finish, done](T value) {
            finish([done, value = std::move(value)] { done(value); });
        });
    });
}
