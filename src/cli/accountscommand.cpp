// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountscommand.h"

#include "cli/accountfields.h"
#include "cli/command.h"
#include "cli/validatecommand.h"
#include "core/accountjson.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/appcontext.h"
#include "core/clock.h"
#include "core/secretstore.h"

using namespace Qt::StringLiterals;

bool AccountsCommand::run(const QString &action, Invocation &ctx)
{
    if (action == u"add")
        add(ctx);
    else if (action == u"list")
        list(ctx);
    else if (action == u"show")
        show(ctx);
    else if (action == u"edit")
        edit(ctx);
    else if (action == u"remove")
        remove(ctx);
    else if (action == u"validate")
        ValidateCommand::run(ctx);
    else if (action == u"enable" || action == u"disable")
        setEnabled(ctx, action == u"enable");
    else
        return false;
    return true;
}

void AccountsCommand::add(Invocation &ctx)
{
    QCommandLineParser parser;
    AccountFields::addOptions(parser, AccountFields::Mode::Add);
    if (!ctx.parse(parser, 0, u"--name NAME [--provider anthropic|openai] [options] < key.txt"_s))
        return;
    if (!parser.isSet(u"name"_s))
        return ctx.fail(Error::invalid(tr("accounts add needs --name NAME.")));
    auto patch = AccountFields::patch(parser);
    if (!patch)
        return ctx.fail(patch.error());
    auto account = AccountJson::apply(*patch, Account {});
    if (!account)
        return ctx.fail(account.error());
    // Refuse a duplicate name before asking for the key.
    if (auto existing = ctx.app.accounts().resolve(account->name);
        existing && existing->name == account->name)
        return ctx.fail(
            Error::conflict(tr("An account named \"%1\" already exists.").arg(account->name)));
    auto secret = ctx.readSecret(tr("API key for %1: ").arg(account->name));
    if (!secret)
        return ctx.fail(secret.error());
    const bool json = parser.isSet(u"json"_s);
    ctx.app.accountService().create(*account, *secret, [&ctx, json](Result<Account> created) {
        if (!created)
            return ctx.fail(created.error());
        if (json) {
            ctx.out.json(AccountJson::toJson(*created));
        } else {
            ctx.out.line(
                tr("Added account \"%1\" (%2). Its API key is in the %3.")
                    .arg(created->name, created->idString(), ctx.app.secrets().description()));
        }
        ctx.finish(ExitCode::ok);
    });
}

void AccountsCommand::list(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"json"_s, tr("Print JSON.")});
    if (!ctx.parse(parser, 0, {}))
        return;
    auto accounts = ctx.app.accounts().list();
    if (!accounts)
        return ctx.fail(accounts.error());
    if (parser.isSet(u"json"_s)) {
        QJsonArray array;
        for (const Account &a : *accounts)
            array.append(AccountJson::toJson(a));
        ctx.out.json(array);
        return ctx.finish(ExitCode::ok);
    }
    if (accounts->isEmpty()) {
        ctx.out.line(tr("No accounts yet. Add one with: switchboard accounts add --name NAME "
                        "--provider anthropic < key.txt"));
        return ctx.finish(ExitCode::ok);
    }
    QList<QStringList> rows;
    const QDateTime now = ctx.app.clock().now();
    for (const Account &a : *accounts) {
        rows << QStringList {a.name,
                             a.idString().left(8),
                             toString(a.provider),
                             QString::number(a.tier),
                             QString::number(a.priority),
                             QString::number(a.weight),
                             AccountFields::statusText(a, now),
                             a.baseUrl.toString()};
    }
    ctx.out.table({tr("NAME"), tr("ID"), tr("PROVIDER"), tr("TIER"), tr("PRIORITY"), tr("WEIGHT"),
                   tr("STATUS"), tr("BASE URL")},
                  rows);
    ctx.finish(ExitCode::ok);
}

void AccountsCommand::show(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"json"_s, tr("Print JSON.")});
    if (!ctx.parse(parser, 1, u"NAME|ID"_s))
        return;
    auto account = ctx.app.accounts().resolve(parser.positionalArguments().constFirst());
    if (!account)
        return ctx.fail(account.error());
    if (parser.isSet(u"json"_s))
        ctx.out.json(AccountJson::toJson(*account));
    else
        AccountFields::print(ctx.out, *account, ctx.app.clock().now());
    ctx.finish(ExitCode::ok);
}

void AccountsCommand::edit(Invocation &ctx)
{
    QCommandLineParser parser;
    AccountFields::addOptions(parser, AccountFields::Mode::Edit);
    if (!ctx.parse(parser, 1, u"NAME|ID [options]"_s))
        return;
    auto account = ctx.app.accounts().resolve(parser.positionalArguments().constFirst());
    if (!account)
        return ctx.fail(account.error());
    auto patch = AccountFields::patch(parser);
    if (!patch)
        return ctx.fail(patch.error());
    auto edited = AccountJson::apply(*patch, *account);
    if (!edited)
        return ctx.fail(edited.error());
    std::optional<QString> secret;
    if (parser.isSet(u"secret"_s)) {
        auto read = ctx.readSecret(tr("New API key for %1: ").arg(edited->name));
        if (!read)
            return ctx.fail(read.error());
        secret = *read;
    }
    ctx.app.accountService().update(*edited, secret, [&ctx](Result<Account> updated) {
        if (!updated)
            return ctx.fail(updated.error());
        ctx.out.line(tr("Updated account \"%1\".").arg(updated->name));
        ctx.finish(ExitCode::ok);
    });
}

void AccountsCommand::remove(Invocation &ctx)
{
    QCommandLineParser parser;
    if (!ctx.parse(parser, 1, u"NAME|ID"_s))
        return;
    auto account = ctx.app.accounts().resolve(parser.positionalArguments().constFirst());
    if (!account)
        return ctx.fail(account.error());
    const QString name = account->name;
    ctx.app.accountService().remove(account->id, [&ctx, name](Status removed) {
        if (!removed)
            return ctx.fail(removed.error());
        ctx.out.line(tr("Removed account \"%1\" and its API key.").arg(name));
        ctx.finish(ExitCode::ok);
    });
}

void AccountsCommand::setEnabled(Invocation &ctx, bool enabled)
{
    QCommandLineParser parser;
    if (!ctx.parse(parser, 1, u"NAME|ID"_s))
        return;
    auto account = ctx.app.accounts().resolve(parser.positionalArguments().constFirst());
    if (!account)
        return ctx.fail(account.error());
    account->enabled = enabled;
    // Enabling is the user acting on a parked or invalid account: give it a fresh start.
    if (enabled)
        account->health = account->health.resetByUser();
    ctx.app.accountService().update(*account, std::nullopt, [&ctx, enabled](Result<Account> r) {
        if (!r)
            return ctx.fail(r.error());
        ctx.out.line(enabled ? tr("Enabled account \"%1\".").arg(r->name)
                             : tr("Disabled account \"%1\".").arg(r->name));
        ctx.finish(ExitCode::ok);
    });
}
