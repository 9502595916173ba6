// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "startoptions.h"

#include <QObject>

#include <memory>

class AppContext;
class Gateway;

/// `switchboard --headless`: the gateway without a window, until SIGINT/SIGTERM.
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

    StartOptions m_options;
    std::unique_ptr<AppContext> m_app;
    Gateway *m_gateway = nullptr;
};
