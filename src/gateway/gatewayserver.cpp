// SPDX-License-Identifier: GPL-3.0-or-later
#include "gatewayserver.h"

#include "core/clock.h"
#include "core/secretstore.h"
#include "gateway/adminapi.h"
#include "gateway/apierror.h"
#include "gateway/clientrequest.h"
#include "gateway/clientwriter.h"
#include "gateway/connectionguard.h"
#include "gateway/gatewaylogging.h"
#include "gateway/healthbook.h"
#include "gateway/healthpolicy.h"
#include "gateway/messagerelay.h"
#include "gateway/router.h"
#include "gateway/secretcache.h"
#include "gateway/upstreampool.h"
#include "gateway/upstreamvalidator.h"
#include "gateway/validationscheduler.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkInterface>
#include <QUrlQuery>

#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace Qt::StringLiterals;
using Method = QHttpServerRequest::Method;

namespace {

// A large body parsed into many small JSON values takes some thirty times its size, and glibc
// keeps the heap it grew to: past this size the memory goes back once the request is done.
constexpr qsizetype largeBody = 1024 * 1024;

void returnMemoryLater(QObject *context)
{
#ifdef __GLIBC__
    QMetaObject::invokeMethod(
        context, [] { malloc_trim(0); }, Qt::QueuedConnection);
#else
    Q_UNUSED(context)
#endif
}

void sendError(QHttpServerResponder &responder, int status, const QString &type,
               const QString &message)
{
    ClientWriter(std::move(responder)).sendError(status, type, message);
}

QByteArray methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return "GET";
    case Method::Post:
        return "POST";
    case Method::Head:
        return "HEAD";
    case Method::Options:
        return "OPTIONS";
    case Method::Put:
        return "PUT";
    case Method::Delete:
        return "DELETE";
    case Method::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

QList<QPair<QByteArray, QByteArray>> lowercaseHeaders(const QHttpServerRequest &request)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const auto &[name, value] : request.headers())
        headers.append({name.toLower(), value});
    return headers;
}

AdmissionInput admissionInput(const ClientRequest &r)
{
    return {r.header("host"), r.header("origin"), r.header("x-api-key"), r.header("authorization")};
}

} // namespace

GatewayServer::GatewayServer(const Clock &clock, std::unique_ptr<SecretStore> secrets,
                             QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_http(std::make_unique<QHttpServer>())
    , m_router(std::make_unique<Router>(clock))
    , m_health(new HealthBook(clock, this))
    , m_secrets(new SecretCache(std::move(secrets), this))
    , m_pool(new UpstreamPool(this))
    , m_validator(new UpstreamValidator(*m_pool, clock, this))
    , m_scheduler(new ValidationScheduler(*m_validator, *m_health, *m_secrets, clock, {}, this))
    , m_refusalFlush(clock, this)
    , m_idleTrim(clock, this)
{
    m_context.reset(new GatewayParts {
        clock, *m_router, *m_health, *m_secrets, *m_pool, SignatureBook(), {}, {}});
    setSettings(Settings {});
    m_admin = new AdminApi(*m_context, *m_validator, *m_scheduler, this);
    connect(m_health, &HealthBook::healthChanged, this, &GatewayServer::healthChanged);
    connect(m_health, &HealthBook::accountInvalidated, this, &GatewayServer::accountInvalidated);
    connect(m_health, &HealthBook::rateLimitsChanged, this, &GatewayServer::rateLimitsChanged);
    connect(m_health, &HealthBook::healthChanged, m_scheduler, &ValidationScheduler::healthChanged);
    connect(m_scheduler, &ValidationScheduler::validated, this, &GatewayServer::validated);
    // Refusals go out once a second at most, however many come.
    m_refusalFlush.setSingleShot(true);
    m_refusalFlush.setInterval(std::chrono::seconds(1));
    connect(&m_refusalFlush, &ClockTimer::timeout, this,
            [this] { Q_EMIT clientsRefused(m_refusals.take()); });
    m_idleTrim.setSingleShot(true);
    m_idleTrim.setInterval(std::chrono::seconds(2));
    connect(&m_idleTrim, &ClockTimer::timeout, this, [this] {
        if (m_inFlight == 0)
            returnMemoryLater(this);
    });
    addRoutes();
}

GatewayServer::~GatewayServer()
{
    // Requests in flight use the router and context, and listen to their client sockets:
    // end them while those exist. QHttpServer, destroyed after the router and context,
    // would otherwise disconnect the sockets into relays whose context is already gone.
    qDeleteAll(findChildren<MessageRelay *>(Qt::FindDirectChildrenOnly));
}

void GatewayServer::addRoutes()
{
    // Every answer goes through a ClientWriter (it takes the request's turn on the
    // connection); the connection guard has already checked Host and Origin for these.
    m_http->route(u"/health"_s,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      const QDateTime now = m_clock.now();
                      const auto &accounts = m_health->accounts();
                      const auto healthy = std::count_if(
                          accounts.cbegin(), accounts.cend(),
                          [&](const Account &a) { return HealthPolicy::isAvailable(a, now); });
                      const QJsonObject body {
                          {u"status"_s, u"ok"_s},
                          {u"version"_s, QStringLiteral(SWITCHBOARD_VERSION)},
                          {u"accounts"_s,
                           QJsonObject {{u"healthy"_s, qint64(healthy)},
                                        {u"total"_s, qint64(accounts.size())}}},
                      };
                      ClientWriter writer(std::move(responder));
                      writer.setHeadOnly(request.method() == Method::Head);
                      writer.send(200, {{"content-type"_ba, "application/json"_ba}},
                                  QJsonDocument(body).toJson(QJsonDocument::Compact));
                  });
    // Clients probe reachability with HEAD / or GET /: answer fast, never 5xx.
    for (const QString &path : {u"/"_s, u"/v1"_s}) {
        m_http->route(path,
                      [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                          ClientWriter writer(std::move(responder));
                          writer.setHeadOnly(request.method() == Method::Head);
                          writer.send(200, {{"content-type"_ba, "text/plain"_ba}},
                                      "Switchboard is running.\n"_ba);
                      });
    }
    m_http->route(u"/v1/messages"_s,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      relay(request, std::move(responder), true);
                  });
    m_http->route(u"/v1/messages/count_tokens"_s,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      relay(request, std::move(responder), true);
                  });
    m_http->route(u"/v1/models"_s,
                  [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
                      relay(request, std::move(responder), false);
                  });
    m_http->setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            handleMissing(request, std::move(responder));
        });
}

void GatewayServer::handleMissing(const QHttpServerRequest &request,
                                  QHttpServerResponder &&responder)
{
    // QHttpServer 6.4 routes match one path segment per placeholder: the admin API's
    // nested paths are dispatched here instead.
    if (!request.url().path().startsWith(u"/admin/v1/")) {
        return sendError(responder, 404, u"not_found_error"_s,
                         tr("There is no endpoint at %1.").arg(request.url().path()));
    }
    ClientRequest client;
    client.headers = lowercaseHeaders(request);
    const Admission::Decision decision
        = Admission::decide(admissionInput(client), m_admission, true);
    if (!decision.admitted)
        return sendError(responder, decision.status, decision.errorType, decision.message);
    m_admin->handle(request, std::move(responder));
}

bool GatewayServer::admit(const QHttpServerRequest &request, QHttpServerResponder &responder,
                          ClientRequest &out)
{
    out.method = methodName(request.method());
    out.path = request.url().path();
    out.query = request.url().query();
    out.body = request.body();
    for (const auto &[name, value] : request.headers())
        out.headers.append({name.toLower(), value});

    const Admission::Decision decision
        = Admission::decide({out.header("host"), out.header("origin"), out.header("x-api-key"),
                             out.header("authorization")},
                            m_admission);
    if (!decision.admitted) {
        sendError(responder, decision.status, decision.errorType, decision.message);
        return false;
    }
    out.accessKeyId = decision.keyId;
    out.passthroughKey = decision.passthroughKey;
    return true;
}

void GatewayServer::preflight(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    const QByteArray origin = request.value("origin");
    if (!Admission::originAllowed(origin, m_admission.allowedOrigins)) {
        return sendError(responder, 403, u"permission_error"_s,
                         tr("Browser requests from %1 are refused. Allow this origin in "
                            "Switchboard's settings (gateway.allowed_origins) if you trust it.")
                             .arg(QString::fromLatin1(origin)));
    }
    ClientWriter(std::move(responder))
        .send(204,
              {{"access-control-allow-origin"_ba, origin},
               {"access-control-allow-methods"_ba, "GET, POST, OPTIONS"_ba},
               {"access-control-allow-headers"_ba,
                request.value("access-control-request-headers").isEmpty()
                    ? "*"_ba
                    : request.value("access-control-request-headers")},
               {"access-control-max-age"_ba, "600"_ba},
               {"vary"_ba, "origin"_ba}},
              {});
}

void GatewayServer::relay(const QHttpServerRequest &request, QHttpServerResponder &&responder,
                          bool needsModel)
{
    if (request.method() == Method::Options)
        return preflight(request, std::move(responder));
    const Method expected = needsModel ? Method::Post : Method::Get;
    if (request.method() != expected) {
        return sendError(responder, 405, u"invalid_request_error"_s,
                         tr("%1 needs %2, not %3.")
                             .arg(request.url().path(), QString::fromLatin1(methodName(expected)),
                                  QString::fromLatin1(methodName(request.method()))));
    }
    ClientRequest client;
    if (!admit(request, responder, client))
        return;
    const bool large = client.body.size() >= largeBody;
    if (large)
        returnMemoryLater(this); // once this handler is done with it, if it is not relayed
    if (needsModel) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(client.body, &error);
        if (!doc.isObject()) {
            return sendError(responder, 400, u"invalid_request_error"_s,
                             doc.isNull() ? tr("The request body is not valid JSON: %1 at byte %2.")
                                                .arg(error.errorString())
                                                .arg(error.offset)
                                          : tr("The request body must be a JSON object."));
        }
        client.json = doc.object();
        const QJsonValue model = client.json.value(u"model");
        if (!model.isString() || model.toString().isEmpty()) {
            return sendError(responder, 400, u"invalid_request_error"_s,
                             tr("model: the field is required (a model name such as "
                                "claude-sonnet-4-5)."));
        }
        client.model = model.toString();
        client.stream = client.json.value(u"stream").toBool();
        client.stickyKey
            = ClientRequest::stickyKeyFor(client.header("x-claude-code-session-id"), client.json);
    }
    auto *relay = new MessageRelay(*m_context, std::move(client), std::move(responder), this);
    connect(relay, &MessageRelay::finished, this, &GatewayServer::requestFinished);
    connect(relay, &MessageRelay::debugEntry, this, &GatewayServer::debugEntry);
    ++m_inFlight;
    connect(relay, &QObject::destroyed, this, [this, large] {
        if (large)
            returnMemoryLater(this);
        // Idle again: what the streams freed goes back to the system after a quiet moment
        // (glibc keeps freed heap; over a day of traffic that is a tenth of the RSS).
        if (--m_inFlight == 0)
            m_idleTrim.start();
    });
    relay->start();
}

Status GatewayServer::listen(const QHostAddress &address, quint16 port)
{
    auto tcp = std::make_unique<GuardedTcpServer>(m_clock, m_connectionLimits, m_admission);
    if (!tcp->listen(address, port)) {
        return Error::io(tr("Cannot listen on %1 port %2: %3. Another program may be using the "
                            "port; choose another one in the settings.")
                             .arg(address.toString())
                             .arg(port)
                             .arg(tcp->errorString()));
    }
    connect(tcp.get(), &GuardedTcpServer::admissionRefused, this, &GatewayServer::noteRefusal);
    m_tcp = tcp.release();
    m_http->bind(m_tcp);
    m_admission.port = m_tcp->serverPort();
    m_admission.hostAddresses = {address};
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4
        || address == QHostAddress::AnyIPv6)
        m_admission.hostAddresses = QNetworkInterface::allAddresses();
    qCInfo(lcGateway).noquote() << "Listening on" << address.toString() << "port"
                                << m_tcp->serverPort();
    return {};
}

quint16 GatewayServer::serverPort() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

void GatewayServer::setAccounts(const QList<Account> &accounts)
{
    for (const Account &incoming : accounts) {
        const Account *live = m_health->find(incoming.id);
        if (live && live->updatedAt != incoming.updatedAt)
            m_router->forget(incoming.id);
    }
    m_health->setAccounts(accounts);
    m_secrets->sync(m_health->accounts());
    m_scheduler->accountsChanged();
}

void GatewayServer::setStorage(StorageRunner storage)
{
    m_admin->setStorage(std::move(storage));
}

void GatewayServer::validateAccount(const QUuid &id)
{
    m_scheduler->validate(id);
}

void GatewayServer::test(const Account &account, const QString &secret,
                         std::function<void(const ValidationResult &)> done)
{
    m_validator->validate(account, secret, std::move(done));
}

void GatewayServer::validateAll()
{
    m_scheduler->validateAll();
}

void GatewayServer::setSettings(const Settings &settings)
{
    m_context->settings = settings;
    m_context->cooldowns = CooldownPolicy::from(settings);
    m_router->setStrategy(strategyFromString(settings.strategy()).value_or(Strategy::Priority));
    m_router->setStickyTtl(qint64(settings.stickyTtlMinutes()) * 60);
    m_router->setErrorThreshold(settings.errorThreshold());
    m_admission.allowedOrigins = settings.allowedOrigins();
    m_admission.passthrough = settings.passthrough();
    m_validator->setPolicy(m_context->cooldowns);
    m_scheduler->setPolicy(m_context->cooldowns);
    m_scheduler->setInterval(settings.validationIntervalMinutes());
}

void GatewayServer::setAccessKeys(const QList<AccessKey> &keys)
{
    m_admission.keyHashes.clear();
    m_admission.adminKeyHashes.clear();
    m_admission.revokedKeyNames.clear();
    for (const AccessKey &key : keys) {
        if (key.isRevoked())
            m_admission.revokedKeyNames.insert(key.hash, key.name);
        else
            (key.admin ? m_admission.adminKeyHashes : m_admission.keyHashes)
                .insert(key.hash, key.id);
    }
}

void GatewayServer::noteRefusal(const Admission::Decision &decision)
{
    m_refusals.add(decision, m_clock.now());
    if (!m_refusalFlush.isActive())
        m_refusalFlush.start();
}

void GatewayServer::setPinned(const QUuid &id)
{
    m_router->setPinned(id);
}
