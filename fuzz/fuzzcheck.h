// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What every fuzz target shares: an invariant check that stops the run with a message
// (libFuzzer saves the input as a crash), and quiet Qt logging (a qInfo per input would
// cost more than the code under test; qFatal still aborts).

#include <QString>

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition, what)                                                             \
    do {                                                                                       \
        if (!(condition)) {                                                                    \
            std::fprintf(stderr, "invariant broken at %s:%d: %s\n", __FILE__, __LINE__, what); \
            std::abort();                                                                      \
        }                                                                                      \
    } while (false)

inline void fuzzQuietQt()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &text) {
        if (type == QtFatalMsg)
            std::fprintf(stderr, "qFatal: %s\n", qPrintable(text));
    });
}

/// Declares libFuzzer's initialiser with quiet Qt logging.
#define FUZZ_QUIET_QT                                                                          \
    extern "C" int LLVMFuzzerInitialize(int *, char ***)                                        \
    {                                                                                          \
        fuzzQuietQt();                                                                         \
        return 0;                                                                              \
    }
