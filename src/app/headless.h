// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "startoptions.h"

#include <QObject>
#include <QThread>

class Gateway;
class StorageWorker;
struct UsageRecord;

/// `switchboard --headless`: the gateway without a window, until SIGINT/SIGTERM.
/// Three threads: this one (signals, wiring), the gateway's and the storage worker's.
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
    void logRequest(const UsageRecord &record);

    StartOptions m_options;
    QThread m_storageThread;
    StorageWorker *m_storage = nullptr; // lives on m_storageThread
    Gateway *m_gateway = nullptr;
    bool m_gatewayStarted = false;
};
