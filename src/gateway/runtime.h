// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/appcontext.h"
#include "core/storagetask.h"
#include "gateway/gateway.h"

#include <QHostAddress>
#include <QObject>
#include <QThread>

#include <optional>

class StorageWorker;

/// A running Switchboard without its face: the storage worker on its thread, the gateway on
/// its own, and the wiring between them (health and usage to the database, configuration
/// changes to the gateway, the admin API's storage work to storage). The headless server
/// and the desktop app each build one.
class Runtime final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Runtime)

public:
    Runtime(AppOptions options, const Clock &clock, QObject *parent = nullptr);
    ~Runtime() override;

    /// Opens the database, then starts the gateway on the settings' address, or on the
    /// given one (--listen). Answers with Gateway::started() or failed().
    void start(std::optional<QHostAddress> address = {}, std::optional<quint16> port = {});
    void stop();

    const AppOptions &options() const { return m_options; }
    Gateway &gateway() { return *m_gateway; }
    StorageWorker &storage() { return *m_storage; }
    /// Runs tasks on the storage thread, continuations on this object's thread (see
    /// core/storagetask.h); callable from any thread while this object lives.
    StorageRunner storageRunner();

Q_SIGNALS:
    /// The configuration as last loaded from the database.
    void loaded(const QList<Account> &accounts, const QList<AccessKey> &keys,
                const Settings &settings);
    void failed(const QString &message);

private:
    AppOptions m_options;
    QThread m_storageThread;
    StorageWorker *m_storage; // lives on m_storageThread
    Gateway *m_gateway;
    std::optional<QHostAddress> m_address;
    std::optional<quint16> m_port;
    bool m_started = false;
};
