// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountscommand.h"

#include "cli/accountfields.h"
#include "cli/command.h"
#include "cli/transfercommand.h"
#include "cli/validatecommand.h"
#include "core/accountactions.h"
#include "core/accountjson.h"
#include "core/accountstore.h"
#include "core/appcontext.h"
#include "core/clock.h"
#include "core/secretstore.h"

using namespace Qt::StringLiterals;

bool AccountsCommand::run(const QString &action, Invocation &ctx)
{
    return ctx.runAction(action,
                         {{u"add", add},
                          {u"list", list},
                          {u"show", show},
                          {u"edit", edit},
                          {u"remove", remove},
                          {u"validate", ValidateCommand::run},
                          {u"import", TransferCommand::importAccounts},
                          {u"export", TransferCommand::exportAccounts},
                          {u"enable", [](Invocation &c) { setEnabled(c, true); }},
                          {u"disable", [](Invocation &c) { setEnabled(c, false); }}});
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
    ctx.app.actions().create(*account, *secret, [&ctx, json](Result<Account> created) {
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
        return ctx.succeedJson(AccountJson::toJson(*accounts));
    }
    if (accounts->isEmpty()) {
        return ctx.succeed(tr("No accounts yet. Add one with: switchboard accounts add --name NAME "
                              "--provider anthropic < key.txt"));
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
    const auto account = ctx.parseAccount(parser);
    if (!account)
        return;
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
    const auto account = ctx.parseAccount(parser, u"NAME|ID [options]"_s);
    if (!account)
        return;
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
    ctx.app.actions().update(*edited, secret, [&ctx](Result<Account> updated) {
        if (!updated)
            return ctx.fail(updated.error());
        ctx.succeed(tr("Updated account \"%1\".").arg(updated->name));
    });
}

void AccountsCommand::remove(Invocation &ctx)
{
    QCommandLineParser parser;
    const auto account = ctx.parseAccount(parser);
    if (!account)
        return;
    ctx.app.actions().remove(account->id, [&ctx, name = account->name](Status removed) {
        if (!removed)
            return ctx.fail(removed.error());
        ctx.succeed(tr("Removed account \"%1\" and its API key.").arg(name));
    });
}

void AccountsCommand::setEnabled(Invocation &ctx, bool enabled)
{
    QCommandLineParser parser;
    const auto account = ctx.parseAccount(parser);
    if (!account)
        return;
    ctx.app.actions().setEnabled(account->id, enabled, [&ctx, enabled](Result<Account> r) {
        if (!r)
            return ctx.fail(r.error());
        ctx.succeed(enabled ? tr("Enabled account \"%1\".").arg(r->name)
                            : tr("Disabled account \"%1\".").arg(r->name));
    });
}
