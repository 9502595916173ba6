// SPDX-License-Identifier: GPL-3.0-or-later
#include "gatewayserver.h"

#include "apierror.h"
#include "gatewaylogging.h"

#include <QCoreApplication>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace {

QHttpServerResponse errorResponse(QHttpServerResponse::StatusCode status, const QString &type,
                                  const QString &message)
{
    return QHttpServerResponse("application/json"_ba, ApiError::body(type, message), status);
}

bool isHealthy(const Account &a)
{
    return a.enabled && a.health.state != HealthState::Invalid
        && a.health.state != HealthState::Disabled;
}

} // namespace

GatewayServer::GatewayServer(QObject *parent)
    : QObject(parent)
    , m_http(std::make_unique<QHttpServer>())
{
    addRoutes();
}

GatewayServer::~GatewayServer() = default;

void GatewayServer::addRoutes()
{
    m_http->route(u"/health"_s, QHttpServerRequest::Method::Get, [this] {
        const auto healthy = std::count_if(m_accounts.cbegin(), m_accounts.cend(), isHealthy);
        return QHttpServerResponse(QJsonObject {
            { u"status"_s, u"ok"_s },
            { u"version"_s, QStringLiteral(SWITCHBOARD_VERSION) },
            { u"accounts"_s,
              QJsonObject { { u"healthy"_s, qint64(healthy) },
                            { u"total"_s, qint64(m_accounts.size()) } } },
        });
    });
    m_http->route(u"/"_s, QHttpServerRequest::Method::Get | QHttpServerRequest::Method::Head, [] {
        return QHttpServerResponse("text/plain"_ba, "Switchboard is running.\n"_ba);
    });
    m_http->setMissingHandler(
        [](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            errorResponse(QHttpServerResponse::StatusCode::NotFound, u"not_found_error"_s,
                          u"There is no endpoint at %1."_s.arg(request.url().path()))
                .write(std::move(responder));
        });
}

Status GatewayServer::listen(const QHostAddress &address, quint16 port)
{
    auto tcp = std::make_unique<QTcpServer>();
    if (!tcp->listen(address, port)) {
        return Error::io(QCoreApplication::translate("GatewayServer",
                                                     "Cannot listen on %1 port %2: %3. Another "
                                                     "program may be using the port; choose "
                                                     "another one in the settings.")
                             .arg(address.toString())
                             .arg(port)
                             .arg(tcp->errorString()));
    }
    m_tcp = tcp.release();
    m_http->bind(m_tcp);
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
    m_accounts = accounts;
}
