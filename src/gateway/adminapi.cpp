// SPDX-License-Identifier: GPL-3.0-or-later
#include "adminapi.h"

#include "core/accountactions.h"
#include "core/accountjson.h"
#include "core/accountstore.h"
#include "core/appcontext.h"
#include "core/clocktimer.h"
#include "gateway/clientwriter.h"
#include "gateway/gatewayparts.h"
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
using namespace std::chrono_literals;

namespace {

// As long as a request waits for a key still being read (MessageRelay).
constexpr std::chrono::milliseconds secretWait = 5s;

/// A successful answer: its JSON body and status.
struct Reply
{
    QJsonObject body;
    int status = 200;
};
using Answer = Result<Reply>;

void send(ClientWriter &writer, const Answer &answer)
{
    if (answer) {
        return writer.send(answer->status, {{"content-type"_ba, "application/json"_ba}},
                           QJsonDocument(answer->body).toJson(QJsonDocument::Compact));
    }
    const Error &error = answer.error();
    switch (error.kind) {
    case Error::Kind::Invalid:
        return writer.sendError(400, u"invalid_request_error"_s, error.message);
    case Error::Kind::NotFound:
        return writer.sendError(404, u"not_found_error"_s, error.message);
    case Error::Kind::Conflict:
        return writer.sendError(409, u"invalid_request_error"_s, error.message);
    case Error::Kind::Storage:
    case Error::Kind::Secret:
    case Error::Kind::Io:
        break;
    }
    writer.sendError(500, u"api_error"_s, error.message);
}

Answer accountAnswer(const Result<Account> &account, int status = 200)
{
    if (!account)
        return account.error();
    return Reply {AccountJson::toJson(*account), status};
}

Error noEndpoint(const QStringList &path, const QByteArray &method = {})
{
    const QString where = path.join(u'/');
    return Error::notFound(method.isEmpty()
                               ? AdminApi::tr("There is no admin endpoint /admin/v1/%1.").arg(where)
                               : AdminApi::tr("There is no admin endpoint %1 /admin/v1/%2.")
                                     .arg(QString::fromLatin1(method), where));
}

Error noAccount(const QString &ref)
{
    return Error::notFound(AdminApi::tr("No account named or with id \"%1\".").arg(ref));
}

/// By exact name or full id, as the gateway knows the accounts now.
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

AdminApi::AdminApi(GatewayParts &parts, UpstreamValidator &validator,
                   ValidationScheduler &scheduler, QObject *parent)
    : QObject(parent)
    , m_parts(parts)
    , m_validator(validator)
    , m_scheduler(scheduler)
{ }

template<typename Work> void AdminApi::onStorage(const Writer &writer, Work work)
{
    if (!m_storage) {
        return writer->sendError(503, u"api_error"_s,
                                 tr("The admin API is not available in this mode."));
    }
    QPointer<AdminApi> self(this);
    runOnStorage<Answer>(m_storage, std::move(work), [self, writer](Answer answer) {
        // On the runtime's thread, behind the configuration the work reloaded: the answer
        // goes to the gateway thread the same way, so it never overtakes it.
        if (self)
            QMetaObject::invokeMethod(self, [writer, answer] { send(*writer, answer); });
    });
}

void AdminApi::handle(const QHttpServerRequest &request, QHttpServerResponder &&responder)
{
    auto writer = std::make_shared<ClientWriter>(std::move(responder));
    Call call;
    call.path = request.url()
                    .path()
                    .mid(QStringLiteral("/admin/v1/").size())
                    .split(u'/', Qt::SkipEmptyParts);
    call.query = QUrlQuery(request.url());
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
    route(call, writer);
}

void AdminApi::route(const Call &call, const Writer &writer)
{
    const QString resource = call.path.value(0);
    const bool top = call.path.size() == 1;
    if (resource == u"accounts")
        return accounts(call, writer);
    if (resource == u"pin" && top)
        return pin(call, writer);
    if (resource == u"stats" && top && call.method == "GET")
        return stats(call, writer);
    if (resource == u"reload" && top && call.method == "POST") {
        // Every storage task ends with a reload: an empty one is the reload.
        return onStorage(writer, [](AppContext &, auto reply) {
            reply(Reply {{{u"reloaded"_s, true}}});
        });
    }
    send(*writer, noEndpoint(call.path));
}

void AdminApi::pin(const Call &call, const Writer &writer)
{
    Router &router = m_parts.router;
    if (call.method == "GET") {
        const Account *pinned = m_parts.health.find(router.pinned());
        return send(
            *writer,
            Reply {{{u"pinned"_s, pinned ? QJsonValue(pinned->idString()) : QJsonValue()}}});
    }
    if (call.method == "DELETE") {
        router.setPinned({});
        return send(*writer, Reply {{{u"pinned"_s, QJsonValue()}}});
    }
    if (call.method == "POST") {
        const QString ref = call.body.value(u"account").toString();
        const Account *account = findAccount(m_parts.health, ref);
        if (!account)
            return send(*writer, noAccount(ref));
        router.setPinned(account->id);
        return send(*writer, Reply {{{u"pinned"_s, account->idString()}}});
    }
    send(*writer, noEndpoint(call.path));
}

void AdminApi::accounts(const Call &call, const Writer &writer)
{
    const qsizetype depth = call.path.size();
    if (depth == 1 && call.method == "GET")
        return send(*writer, Reply {{{u"data"_s, AccountJson::toJson(m_parts.health.accounts())}}});
    if (depth == 1 && call.method == "POST")
        return create(call, writer);
    if (depth == 2 && call.path[1] == u"validate" && call.method == "POST") {
        m_scheduler.validateAll();
        return send(*writer,
                    Reply {{{u"queued"_s, qint64(m_parts.health.accounts().size())}}, 202});
    }
    if (depth == 2 && (call.method == "PATCH" || call.method == "DELETE"))
        return change(call, writer);
    const bool validateOne = depth == 3 && call.path[2] == u"validate" && call.method == "POST";
    if ((depth == 2 && call.method == "GET") || validateOne) {
        const Account *account = findAccount(m_parts.health, call.path[1]);
        if (!account)
            return send(*writer, noAccount(call.path[1]));
        if (validateOne)
            return validate(account->id, writer, false);
        return send(*writer, Reply {AccountJson::toJson(*account)});
    }
    send(*writer, noEndpoint(call.path, depth == 2 ? call.method : QByteArray()));
}

void AdminApi::create(const Call &call, const Writer &writer)
{
    if (!call.body.contains(u"name"))
        return send(*writer, Error::invalid(tr("name: the field is required.")));
    auto draft = AccountJson::apply(call.body, Account {});
    if (!draft)
        return send(*writer, draft.error());
    onStorage(writer,
              [draft = *draft, secret = call.body.value(u"secret").toString()](AppContext &app,
                                                                               auto reply) {
                  app.actions().create(draft, secret, [reply](Result<Account> created) {
                      reply(accountAnswer(created, 201));
                  });
              });
}

void AdminApi::change(const Call &call, const Writer &writer)
{
    std::optional<QString> secret;
    if (call.body.contains(u"secret"))
        secret = call.body.value(u"secret").toString();
    const bool remove = call.method == "DELETE";
    onStorage(writer,
              [ref = call.path[1], patch = call.body, secret, remove](AppContext &app, auto reply) {
                  // Resolved here: the store also knows unique id prefixes.
                  auto account = app.accounts().resolve(ref);
                  if (!account)
                      return reply(account.error());
                  if (remove) {
                      return app.actions().remove(account->id, [reply](Status removed) {
                          reply(removed ? Answer(Reply {{{u"deleted"_s, true}}}) : removed.error());
                      });
                  }
                  auto edited = AccountJson::apply(patch, *account);
                  if (!edited)
                      return reply(edited.error());
                  app.actions().update(*edited, secret, [reply](Result<Account> updated) {
                      reply(accountAnswer(updated));
                  });
              });
}

void AdminApi::stats(const Call &call, const Writer &writer)
{
    const qint64 hours = call.query.queryItemValue(u"hours"_s).toLongLong();
    const std::chrono::hours span(hours > 0 ? hours : 24);
    onStorage(writer, [span](AppContext &app, auto reply) {
        auto totals = app.actions().recentStats(span);
        if (!totals)
            return reply(totals.error());
        reply(Reply {{{u"accounts"_s, UsageStore::toJson(*totals)}}});
    });
}

void AdminApi::validate(const QUuid &id, const Writer &writer, bool waited)
{
    const Account *account = m_parts.health.find(id);
    if (!account) // removed while its key was being read
        return send(*writer, noAccount(id.toString(QUuid::WithoutBraces)));
    const SecretCache &secrets = m_parts.secrets;
    const QString secret = secrets.secret(id);
    if (secret.isNull() && secrets.isLoading() && !waited) {
        // An account just added or edited: its key is being read right now.
        return waitForSecrets([this, id, writer] { validate(id, writer, true); });
    }
    if (secret.isNull()) {
        return send(
            *writer,
            Error::secret(secrets.isLoading()
                              ? tr("The API key is still being read from the "
                                   "keychain: try again in a moment.")
                              : tr("The API key could not be read: %1").arg(secrets.problem(id))));
    }
    QPointer<AdminApi> self(this);
    m_validator.validate(*account, secret, [self, id, writer](const ValidationResult &result) {
        if (!self)
            return;
        HealthBook &health = self->m_parts.health;
        if (const Account *current = health.find(id)) {
            health.setHealth(
                id,
                UpstreamValidator::applyResult(current->health, result, self->m_parts.cooldowns));
        }
        send(*writer, Reply {resultJson(result)});
    });
}

void AdminApi::waitForSecrets(std::function<void()> then)
{
    // Whichever comes first: every key being read has answered, or the wait is over.
    auto resume = [then = std::move(then), waiting = std::make_shared<bool>(true)] {
        if (std::exchange(*waiting, false))
            then();
    };
    connect(&m_parts.secrets, &SecretCache::ready, this, resume, Qt::SingleShotConnection);
    ClockTimer::singleShot(m_parts.clock, secretWait, this, resume);
}
