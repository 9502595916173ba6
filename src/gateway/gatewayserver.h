// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accesskeystore.h"
#include "core/account.h"
#include "core/clocktimer.h"
#include "core/result.h"
#include "core/settings.h"
#include "core/storagetask.h"
#include "core/usagerecord.h"
#include "gateway/admission.h"
#include "gateway/connectionguard.h"
#include "gateway/gatewayparts.h"
#include "gateway/ratelimits.h"
#include "gateway/refusaltally.h"
#include "gateway/upstreamvalidator.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

class AdminApi;
class GuardedTcpServer;
class HealthBook;
class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;
class Router;
class SecretCache;
class SecretStore;
class UpstreamPool;
class ValidationScheduler;
class UpstreamValidator;
struct ValidationResult;
struct ClientRequest;

/// The HTTP side of the gateway: routes, admission, and a MessageRelay per request.
/// Lives on the gateway thread and is created there.
class GatewayServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewayServer)

public:
    GatewayServer(const Clock &clock, std::unique_ptr<SecretStore> secrets,
                  QObject *parent = nullptr);
    ~GatewayServer() override;

    /// Limits for each client connection (tests make them small); call before listen().
    void setConnectionLimits(const ConnectionGuard::Limits &limits) { m_connectionLimits = limits; }
    /// Binds and starts serving; a busy port is an error naming the port.
    Status listen(const QHostAddress &address, quint16 port);
    /// The listening server (null before listen()).
    GuardedTcpServer *tcpServer() const { return m_tcp; }
    quint16 serverPort() const;

    void setAccounts(const QList<Account> &accounts);
    void setSettings(const Settings &settings);
    void setAccessKeys(const QList<AccessKey> &keys);
    void setPinned(const QUuid &id);

    const HealthBook &health() const { return *m_health; }

    /// Where the admin API runs its database work.
    void setStorage(StorageRunner storage);
    void validateAccount(const QUuid &id);
    void validateAll();
    /// Validates an account that need not be saved, with the given secret; health unchanged.
    void test(const Account &account, const QString &secret,
              std::function<void(const ValidationResult &)> done);

Q_SIGNALS:
    void healthChanged(const QUuid &id, const AccountHealth &health);
    void rateLimitsChanged(const QUuid &id, const RateLimits &limits);
    void accountInvalidated(const QUuid &id, const QString &name, const QString &reason);
    void requestFinished(const UsageRecord &record);
    void validated(const ValidationResult &result);
    void debugEntry(const QJsonObject &entry);
    /// Requests refused at admission, summed up per client once a second at most.
    void clientsRefused(const QList<AdmissionRefusal> &refusals);

private:
    void addRoutes();
    void relay(const QHttpServerRequest &request, QHttpServerResponder &&responder,
               bool needsModel);
    bool admit(const QHttpServerRequest &request, QHttpServerResponder &responder,
               ClientRequest &out);
    void handleMissing(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void preflight(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void noteRefusal(const Admission::Decision &decision);

    const Clock &m_clock;
    // Declared before the HTTP server: its connection guards read them until it is gone.
    Admission::Config m_admission;
    ConnectionGuard::Limits m_connectionLimits;
    std::unique_ptr<QHttpServer> m_http;
    GuardedTcpServer *m_tcp = nullptr; // owned by m_http after bind()
    std::unique_ptr<Router> m_router;
    HealthBook *m_health;
    SecretCache *m_secrets;
    UpstreamPool *m_pool;
    UpstreamValidator *m_validator;
    ValidationScheduler *m_scheduler;
    AdminApi *m_admin = nullptr;
    std::unique_ptr<GatewayParts> m_context;
    RefusalTally m_refusals;
    ClockTimer m_refusalFlush;
    int m_inFlight = 0; ///< relays not finished
    ClockTimer m_idleTrim;
};
