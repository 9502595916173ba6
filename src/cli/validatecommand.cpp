// SPDX-License-Identifier: GPL-3.0-or-later
#include "validatecommand.h"

#include "cli/command.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/appcontext.h"
#include "core/settingsstore.h"
#include "gateway/failureclassifier.h"
#include "gateway/upstreampool.h"
#include "gateway/upstreamvalidator.h"

#include <QJsonArray>
#include <QJsonObject>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

/// The state of one `validate` run, alive until the last account is done.
struct Run
{
    Run(Invocation &context, const CooldownPolicy &cooldowns, bool asJson)
        : ctx(context)
        , policy(cooldowns)
        , json(asJson)
        , validator(pool, context.app.clock())
    {
        validator.setPolicy(policy);
    }

    Invocation &ctx;
    QList<Account> accounts;
    CooldownPolicy policy;
    bool json = false;
    UpstreamPool pool;
    UpstreamValidator validator;
    QJsonArray results;
    int failures = 0;
};

void next(std::shared_ptr<Run> run, qsizetype index)
{
    Invocation &ctx = run->ctx;
    if (index == run->accounts.size()) {
        if (run->json)
            ctx.out.json(run->results);
        // We are inside the validator's reply handler: free the run only after it returns.
        QMetaObject::invokeMethod(
            QCoreApplication::instance(), [run] {}, Qt::QueuedConnection);
        return ctx.finish(run->failures == 0 ? ExitCode::ok : ExitCode::failed);
    }
    const Account account = run->accounts[index];
    auto report = [run, index, account](bool ok, const QString &message, int latencyMs) {
        run->failures += ok ? 0 : 1;
        if (run->json) {
            run->results.append(QJsonObject {{u"id"_s, account.idString()},
                                             {u"name"_s, account.name},
                                             {u"ok"_s, ok},
                                             {u"latency_ms"_s, latencyMs},
                                             {u"message"_s, message}});
        } else {
            run->ctx.out.line(
                u"%1  %2  %3"_s.arg(ok ? u"ok  "_s : u"FAIL"_s, account.name, message));
        }
        next(run, index + 1);
    };
    ctx.app.accountService().readSecret(account, [run, account, report](Result<QString> secret) {
        if (!secret)
            return report(false, secret.error().message, 0);
        run->validator.validate(
            account, *secret, [run, account, report](const ValidationResult &r) {
                // Re-read: a running gateway may have changed the health meanwhile.
                auto current = run->ctx.app.accounts().find(account.id);
                if (current) {
                    const AccountHealth health
                        = UpstreamValidator::applyResult(current->health, r, run->policy);
                    if (Status saved = run->ctx.app.accounts().updateHealth(account.id, health);
                        !saved)
                        return report(false, saved.error().message, r.latencyMs);
                }
                report(r.ok, r.message, r.latencyMs);
            });
    });
}

} // namespace

void ValidateCommand::run(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"all"_s, tr("Validate every enabled account.")});
    parser.addOption({u"json"_s, tr("Print JSON.")});
    if (!ctx.parse(parser, -1, u"NAME|ID | --all [--json]"_s))
        return;
    const QStringList names = parser.positionalArguments();
    if (parser.isSet(u"all"_s) == !names.isEmpty() || names.size() > 1)
        return ctx.fail(Error::invalid(tr("Name one account, or give --all.")));

    auto settings = ctx.app.settings().load();
    if (!settings)
        return ctx.fail(settings.error());
    auto run = std::make_shared<Run>(ctx, CooldownPolicy::from(*settings), parser.isSet(u"json"_s));
    if (names.isEmpty()) {
        auto all = ctx.app.accounts().list();
        if (!all)
            return ctx.fail(all.error());
        for (const Account &a : *all) {
            if (a.enabled)
                run->accounts.append(a);
        }
        if (run->accounts.isEmpty()) {
            return ctx.succeed(tr("No enabled accounts to validate."));
        }
    } else {
        auto account = ctx.app.accounts().resolve(names.first());
        if (!account)
            return ctx.fail(account.error());
        run->accounts.append(*account);
    }
    next(run, 0);
}
