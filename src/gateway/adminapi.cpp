// SPDX-License-Identifier: GPL-3.0-or-later
#include "adminapi.h"

#include "core/accountjson.h"
#include "gateway/clientwriter.h"
#include "gateway/healthbook.h"
#include "gateway/router.h"
#include "gateway/secretcache.h"
#include "gateway/upstreamvalidator.h"
#include "gateway/validationscheduler.h"

#include <QHttpServerRequest>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace {

const Account *findAccount(const HealthBook &health, const QString &ref)
{
    for (const Account &a : health.accounts()) {
        if (a.name == ref || a.idString().compare(ref, Qt::CaseInsensitive) == 0)
            return &a;
    }
    return nullptr;
}

QJsonObject resultJson(const ValidationResult &r)
{
    return {{u"id"_s, r.accountId.toString(QUuid::WithoutBraces)},
            {u"ok"_s, r.ok},
            {u"latency_ms"_s, r.latencyMs},
            {u"message"_s, r.message},
            {u"time"_s, AccountJson::timeToJson(r.time)}};
}

} // namespace

AdminApi::AdminApi(HealthBook &health, Router &router, SecretCache &secrets, UpstreamValidator &validator,
                   ValidationScheduler &scheduler, const CooldownPolicy &policy, QObject *parent)
    : QObject(parent)
    , m_health(health)
    , m_router(router)
    , m_secrets(secrets)
    , m_validator(validator)
    , m_scheduler(scheduler)
    , m_policy(policy)
{ }

void AdminApi::send(ClientWriter &writer, const AdminResult &result)
{
    if (!result.error) {
        const QByteArray body = result.body.isArray()
            ? QJsonDocument(result.body.toArray()).toJson(QJsonDocument::Compact)
            : QJsonDocument(result.body.toObject()).toJson(QJsonDocument::Compact);
        return writer.send(result.status, {{"content-type"_ba, "application/json"_ba}}, body);
    }
    switch (result.error->kind) {
    case Error::Kind::Invalid:
        return writer.sendError(400, u"invalid_request_error"_s, result.error->message);
    case Error::Kind::NotFound:
        return writer.sendError(404, u"not_found_error"_s, result.error->message);
    case Error::Kind::Conflict:
        return writer.sendError(409, u"invalid_request_error"_s, result.error->message);
    case Error::Kind::Storage:
    case Error::Kind::Secret:
    case Error::Kind::Io:
        break;
    }
    writer.sendError(500, u"api_error"_s, result.error->message);
}

void AdminApi::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    auto writer = std::make_shared<ClientWriter>(std::move(responder));
    AdminCall call;
    call.path = request.url()
                    .path()
                    .mid(QStringLiteral("/admin/v1/").size())
                    .split(u'/', Qt::SkipEmptyParts);
    call.query = request.url().query();
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
        call.method = "GET";
        break;
    case QHttpServerRequest::Method::Post:
        call.method = "POST";
        break;
    case QHttpServerRequest::Method::Patch:
        call.method = "PATCH";
        break;
    case QHttpServerRequest::Method::Delete:
        call.method = "DELETE";
        break;
    default:
        return writer->sendError(405, u"invalid_request_error"_s,
                                 tr("The admin API takes GET, POST, PATCH and DELETE."));
    }
    if (!request.body().trimmed().isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(request.body());
        if (!doc.isObject())
            return writer->sendError(400, u"invalid_request_error"_s,
                                     tr("The request body must be a JSON object."));
        call.body = doc.object();
    }
    if (handleLocally(call, writer))
        return;
    if (!m_backend)
        return writer->sendError(503, u"api_error"_s,
                                 tr("The admin API is not available in this mode."));
    QPointer<AdminApi> self(this);
    m_backend(call, [self, writer](const AdminResult &result) {
        // Called on the storage thread: answer on the gateway thread.
        if (!self)
            return;
        QMetaObject::invokeMethod(self, [writer, result] { send(*writer, result); });
    });
}

bool AdminApi::handleLocally(const AdminCall &call, std::shared_ptr<ClientWriter> writer)
{
    auto answer = [&writer](const AdminResult &result) {
        send(*writer, result);
        return true;
    };
    const QString resource = call.path.value(0);
    if (resource == u"pin") {
        if (call.method == "GET") {
            const Account *pinned = m_health.find(m_router.pinned());
            return answer(AdminResult::ok(QJsonObject {
                {u"pinned"_s, pinned ? QJsonValue(pinned->idString()) : QJsonValue()}}));
        }
        if (call.method == "DELETE") {
            m_router.setPinned({});
            return answer(AdminResult::ok(QJsonObject {{u"pinned"_s, QJsonValue()}}));
        }
        if (call.method == "POST") {
            const Account *account = findAccount(m_health, call.body.value(u"account").toString());
            if (!account)
                return answer(AdminResult::failure(
                    Error::notFound(tr("No account named or with id \"%1\".")
                                        .arg(call.body.value(u"account").toString()))));
            m_router.setPinned(account->id);
            return answer(AdminResult::ok(QJsonObject {{u"pinned"_s, account->idString()}}));
        }
    }
    if (resource != u"accounts")
        return false;
    if (call.method == "GET" && call.path.size() == 1) {
        QJsonArray array;
        for (const Account &a : m_health.accounts())
            array.append(AccountJson::toJson(a));
        return answer(AdminResult::ok(QJsonObject {{u"data"_s, array}}));
    }
    if (call.path.size() == 2 && call.path[1] == u"validate" && call.method == "POST") {
        m_scheduler.validateAll();
        return answer(
            AdminResult::ok(QJsonObject {{u"queued"_s, qint64(m_health.accounts().size())}}, 202));
    }
    const Account *account = call.path.size() >= 2 ? findAccount(m_health, call.path[1]) : nullptr;
    if (call.method == "GET" && call.path.size() == 2) {
        if (!account)
            return answer(AdminResult::failure(
                Error::notFound(tr("No account named or with id \"%1\".").arg(call.path[1]))));
        return answer(AdminResult::ok(AccountJson::toJson(*account)));
    }
    if (call.method == "POST" && call.path.size() == 3 && call.path[2] == u"validate") {
        if (!account)
            return answer(AdminResult::failure(
                Error::notFound(tr("No account named or with id \"%1\".").arg(call.path[1]))));
        const QString secret = m_secrets.secret(account->id);
        if (secret.isNull())
            return answer(AdminResult::failure(Error::secret(
                tr("The API key could not be read: %1").arg(m_secrets.problem(account->id)))));
        const QUuid id = account->id;
        QPointer<AdminApi> self(this);
        m_validator.validate(*account, secret, [self, id, writer](const ValidationResult &result) {
            if (!self)
                return;
            if (const Account *current = self->m_health.find(id))
                self->m_health.setHealth(
                    id, UpstreamValidator::applyResult(current->health, result, self->m_policy));
            send(*writer, AdminResult::ok(resultJson(result)));
        });
        return true; // answered when the validation ends
    }
    return false; // create, update, delete: the backend
}
