// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "startoptions.h"

#include <QObject>
#include <QTimer>

#include <memory>

class AppContext;
class Gateway;
struct UsageRecord;

/// `switchboard --headless`: the gateway without a window, until SIGINT/SIGTERM.
/// The main thread keeps the database (the gateway runs on its own thread), picks up
/// changes other processes made (the CLI) and persists health.
class HeadlessServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeadlessServer)

public:
    explicit HeadlessServer(StartOptions options, QObject *parent = nullptr);
    ~HeadlessServer() override;

    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void fail(const QString &message);
    /// Loads accounts, keys and settings and hands them to the gateway.
    bool reload();
    void logRequest(const UsageRecord &record);

    StartOptions m_options;
    std::unique_ptr<AppContext> m_app;
    Gateway *m_gateway = nullptr;
    QTimer m_reload;
};
