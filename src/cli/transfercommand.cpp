// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfercommand.h"

#include "cli/command.h"
#include "core/accountactions.h"
#include "core/appcontext.h"

#include <QFile>

using namespace Qt::StringLiterals;

void TransferCommand::exportAccounts(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"with-secrets"_s, tr("Include the API keys (plaintext!).")});
    if (!ctx.parse(parser, 1, u"FILE|- [--with-secrets]"_s))
        return;
    const QString path = parser.positionalArguments().constFirst();
    const bool withSecrets = parser.isSet(u"with-secrets"_s);
    auto warn = [&ctx, withSecrets] {
        if (withSecrets) {
            ctx.out.warning(tr("warning: the export contains API keys in plaintext. Keep it "
                               "private and delete it when done."));
        }
    };
    if (path == u"-") {
        return ctx.app.actions().exportData(withSecrets, [&ctx, warn](Result<AccountExport> data) {
            if (!data)
                return ctx.fail(data.error());
            ctx.out.line(QString::fromUtf8(data->document).trimmed());
            warn();
            ctx.finish(ExitCode::ok);
        });
    }
    ctx.app.actions().exportFile(path, withSecrets, [&ctx, path, warn](Result<qsizetype> count) {
        if (!count)
            return ctx.fail(count.error());
        warn();
        ctx.succeed(tr("Exported %n account(s) to %1.", nullptr, int(*count)).arg(path));
    });
}

void TransferCommand::importAccounts(Invocation &ctx)
{
    QCommandLineParser parser;
    if (!ctx.parse(parser, 1, u"FILE|-"_s))
        return;
    auto report = [&ctx](Result<ImportReport> imported) {
        if (!imported)
            return ctx.fail(imported.error());
        ctx.out.line(tr("Imported %n account(s).", nullptr, int(imported->imported)));
        if (imported->withoutSecret > 0) {
            ctx.out.line(tr("%n account(s) had no API key and were left disabled; set one with: "
                            "switchboard accounts edit NAME --secret < key.txt",
                            nullptr, int(imported->withoutSecret)));
        }
        ctx.finish(ExitCode::ok);
    };
    const QString path = parser.positionalArguments().constFirst();
    if (path != u"-")
        return ctx.app.actions().importFile(path, report);
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return ctx.fail(Error::io(tr("Cannot read %1: %2").arg(path, in.errorString())));
    ctx.app.actions().importData(in.readAll(), path, report);
}
