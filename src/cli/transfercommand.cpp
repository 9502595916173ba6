// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfercommand.h"

#include "cli/command.h"
#include "core/accountjson.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/accounttransfer.h"
#include "core/appcontext.h"
#include "core/clock.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include <memory>

using namespace Qt::StringLiterals;

bool TransferCommand::run(const QString &action, Invocation &ctx)
{
    if (action == u"export")
        exportAccounts(ctx);
    else if (action == u"import")
        importAccounts(ctx);
    else
        return false;
    return true;
}

void TransferCommand::exportAccounts(Invocation &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"with-secrets"_s, tr("Include the API keys (plaintext!).")});
    if (!ctx.parse(parser, 1, u"FILE|- [--with-secrets]"_s))
        return;
    const QString path = parser.positionalArguments().constFirst();
    const bool withSecrets = parser.isSet(u"with-secrets"_s);
    AccountTransfer::exportAll(
        ctx.app, withSecrets, [&ctx, path, withSecrets](Result<QByteArray> data) {
            if (!data)
                return ctx.fail(data.error());
            if (path == u"-") {
                ctx.out.line(QString::fromUtf8(*data).trimmed());
            } else if (Status written = AccountTransfer::writeFile(path, *data); !written) {
                return ctx.fail(written.error());
            }
            if (withSecrets) {
                ctx.out.warning(tr("warning: the export contains API keys in plaintext. Keep it "
                                   "private and delete it when done."));
            }
            if (path != u"-") {
                const int count = int(QJsonDocument::fromJson(*data)[u"accounts"].toArray().size());
                ctx.out.line(tr("Exported %n account(s) to %1.", nullptr, count).arg(path));
            }
            ctx.finish(ExitCode::ok);
        });
}

void TransferCommand::importAccounts(Invocation &ctx)
{
    QCommandLineParser parser;
    if (!ctx.parse(parser, 1, u"FILE|-"_s))
        return;
    const QString path = parser.positionalArguments().constFirst();
    QFile file;
    const bool opened = path == u"-" ? file.open(stdin, QIODevice::ReadOnly)
                                     : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened)
        return ctx.fail(Error::io(tr("Cannot read %1: %2").arg(path, file.errorString())));
    auto existing = ctx.app.accounts().list();
    if (!existing)
        return ctx.fail(existing.error());
    auto plan = AccountTransfer::parse(file.readAll(), *existing);
    if (!plan)
        return ctx.fail(Error::invalid(tr("%1: %2").arg(path, plan.error().message)));

    auto importer = std::make_shared<AccountImporter>(ctx.app, std::move(*plan));
    importer->run([&ctx, importer](Status done) {
        if (!done)
            return ctx.fail(done.error());
        ctx.out.line(tr("Imported %n account(s).", nullptr, int(importer->importedCount())));
        if (importer->withoutSecretCount() > 0) {
            ctx.out.line(tr("%n account(s) had no API key and were left disabled; set one with: "
                            "switchboard accounts edit NAME --secret < key.txt",
                            nullptr, int(importer->withoutSecretCount())));
        }
        ctx.finish(ExitCode::ok);
    });
}
