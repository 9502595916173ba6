// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/storagetask.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <QUrlQuery>

#include <memory>

class ClientWriter;
class ValidationScheduler;
class UpstreamValidator;
class QHttpServerRequest;
class QHttpServerResponder;
struct GatewayParts;

/// The admin REST API under /admin/v1 for scripts, behind an admin key: list, get, create,
/// update, delete accounts (the secret is write-only), validate one or all, stats, pin,
/// reload. Every HTTP matter (paths, methods, bodies, statuses) is decided here. Reads are
/// answered from the live state on the gateway thread; writes and stats are the same
/// AccountActions the window and the command line use, run on the storage thread.
class AdminApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminApi)

public:
    AdminApi(GatewayParts &parts, UpstreamValidator &validator, ValidationScheduler &scheduler,
             QObject *parent = nullptr);

    void setStorage(StorageRunner storage) { m_storage = std::move(storage); }
    /// Handles an admitted request whose path starts with /admin/v1/.
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);

private:
    /// A request, read: "GET", {"accounts", "work"}, its JSON body and its query.
    struct Call
    {
        QByteArray method;
        QStringList path; ///< the segments after /admin/v1
        QJsonObject body;
        QUrlQuery query;
    };
    using Writer = std::shared_ptr<ClientWriter>;

    void route(const Call &call, const Writer &writer);
    void pin(const Call &call, const Writer &writer);
    void accounts(const Call &call, const Writer &writer);
    void create(const Call &call, const Writer &writer);
    /// PATCH and DELETE of /accounts/{ref}.
    void change(const Call &call, const Writer &writer);
    void stats(const Call &call, const Writer &writer);
    /// Checks the account with its key; a key still being read is waited for, once.
    void validate(const QUuid &id, const Writer &writer, bool waited);
    void waitForSecrets(std::function<void()> then);
    /// Runs `work` on the storage thread and sends the answer it gives back.
    template<typename Work> void onStorage(const Writer &writer, Work work);

    GatewayParts &m_parts;
    UpstreamValidator &m_validator;
    ValidationScheduler &m_scheduler;
    StorageRunner m_storage;
};
