// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/admincall.h"

#include <QObject>

class ClientWriter;
class HealthBook;
class Router;
class SecretCache;
class ValidationScheduler;
class UpstreamValidator;
class QHttpServerRequest;
class QHttpServerResponder;
struct CooldownPolicy;

/// The admin REST API under /admin/v1 for scripts, behind an admin key: list, get, create,
/// update, delete accounts (the secret is write-only), validate one or all, stats, pin,
/// reload. Reads are answered from the live state on the gateway thread; writes go to the
/// AdminBackend (the storage worker), with the same checks as the command line.
class AdminApi final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdminApi)

public:
    AdminApi(HealthBook &health, Router &router, SecretCache &secrets, UpstreamValidator &validator,
             ValidationScheduler &scheduler, const CooldownPolicy &policy,
             QObject *parent = nullptr);

    void setBackend(AdminBackend backend) { m_backend = std::move(backend); }
    /// Handles an admitted request whose path starts with /admin/v1/.
    void handle(const QHttpServerRequest &request, QHttpServerResponder &&responder);

    static void send(ClientWriter &writer, const AdminResult &result);

private:
    /// Answers what the live state can (now or when a validation ends); false passes the
    /// call on to the backend.
    bool handleLocally(const AdminCall &call, std::shared_ptr<ClientWriter> writer);

    HealthBook &m_health;
    Router &m_router;
    SecretCache &m_secrets;
    UpstreamValidator &m_validator;
    ValidationScheduler &m_scheduler;
    const CooldownPolicy &m_policy;
    AdminBackend m_backend;
};
