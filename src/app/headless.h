// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cli/startoptions.h"

#include <QObject>

#include <memory>

class Clock;
class Runtime;
struct UsageRecord;

/// `switchboard --headless`: the runtime without a window, until SIGINT/SIGTERM, logging
/// each request in one line.
class HeadlessServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessServer)

public:
    HeadlessServer(StartOptions options, const Clock &clock, QObject *parent = nullptr);
    ~HeadlessServer() override;

    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void fail(const QString &message);
    void logRequest(const UsageRecord &record);

    StartOptions m_options;
    const Clock &m_clock;
    std::unique_ptr<Runtime> m_runtime;
};
