// SPDX-License-Identifier: GPL-3.0-or-later
#include "keyscommand.h"

#include "cli/command.h"
#include "core/accesskeystore.h"
#include "core/accountjson.h"
#include "core/appcontext.h"
#include "core/clock.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {

QString shortTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s)
                       : QCoreApplication::translate("KeysCommand", "never");
}

} // namespace

bool KeysCommand::run(const QString &action, Invocation &ctx)
{
    return ctx.runAction(action, {{u"create", create}, {u"list", list}, {u"revoke", revoke}});
}

void KeysCommand::create(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"name"_s, tr("What the key is for (e.g. laptop)."), u"NAME"_s});
    parser.addOption({u"json"_s, tr("Print {\"id\":…,\"key\":…} as JSON.")});
    parser.addOption({u"admin"_s,
                      tr("An admin key: opens the admin API (/admin/v1) instead of the "
                         "Messages API.")});
    if (!ctx.parse(parser, 0, u"--name NAME [--json]"_s))
        return;
    if (!parser.isSet(u"name"_s))
        return ctx.fail(Error::invalid(tr("keys create needs --name NAME.")));
    auto created = ctx.app.accessKeys().create(parser.value(u"name"_s), parser.isSet(u"admin"_s));
    if (!created)
        return ctx.fail(created.error());
    if (parser.isSet(u"json"_s)) {
        ctx.out.json(QJsonObject {{u"id"_s, created->key.idString()},
                                  {u"key"_s, created->plaintext},
                                  {u"name"_s, created->key.name},
                                  {u"prefix"_s, created->key.prefix}});
    } else {
        ctx.out.line(created->plaintext);
        ctx.out.warning(tr("Created access key \"%1\" (%2). This is the only time it is shown: "
                           "copy it now.")
                            .arg(created->key.name, created->key.idString()));
    }
    ctx.finish(ExitCode::ok);
}

void KeysCommand::list(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"json"_s, tr("Print JSON.")});
    if (!ctx.parse(parser, 0, u"[--json]"_s))
        return;
    auto keys = ctx.app.accessKeys().list();
    if (!keys)
        return ctx.fail(keys.error());
    if (parser.isSet(u"json"_s)) {
        QJsonArray array;
        for (const AccessKey &k : *keys) {
            array.append(QJsonObject {{u"id"_s, k.idString()},
                                      {u"name"_s, k.name},
                                      {u"prefix"_s, k.prefix},
                                      {u"created_at"_s, AccountJson::timeToJson(k.createdAt)},
                                      {u"last_used_at"_s, AccountJson::timeToJson(k.lastUsedAt)},
                                      {u"revoked_at"_s, AccountJson::timeToJson(k.revokedAt)},
                                      {u"admin"_s, k.admin}});
        }
        return ctx.succeedJson(array);
    }
    if (keys->isEmpty()) {
        return ctx.succeed(
            tr("No access keys yet. Create one with: switchboard keys create --name NAME"));
    }
    QList<QStringList> rows;
    for (const AccessKey &k : *keys) {
        rows << QStringList {k.name,
                             k.idString().left(8),
                             k.prefix + u"…"_s,
                             shortTime(k.createdAt),
                             shortTime(k.lastUsedAt),
                             k.isRevoked() ? tr("revoked")
                                 : k.admin ? tr("active (admin)")
                                           : tr("active")};
    }
    ctx.out.table(
        {tr("NAME"), tr("ID"), tr("PREFIX"), tr("CREATED"), tr("LAST USED"), tr("STATUS")}, rows);
    ctx.finish(ExitCode::ok);
}

void KeysCommand::revoke(Invocation &ctx)
{
    QCommandLineParser parser;
    if (!ctx.parse(parser, 1, u"NAME|ID|PREFIX"_s))
        return;
    auto revoked = ctx.app.accessKeys().revoke(parser.positionalArguments().constFirst());
    if (!revoked)
        return ctx.fail(revoked.error());
    ctx.succeed(tr("Revoked access key \"%1\" (%2…): clients using it are refused from now on.")
                    .arg(revoked->name, revoked->prefix));
}
