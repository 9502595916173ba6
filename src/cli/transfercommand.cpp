// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfercommand.h"

#include "accountjson.h"
#include "accountservice.h"
#include "accountstore.h"
#include "accounttransfer.h"
#include "appcontext.h"
#include "clock.h"
#include "command.h"

#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr QFileDevice::Permissions ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

Status writeFile(const QString &path, const QByteArray &data, CliOutput &out)
{
    if (path == u"-") {
        out.line(QString::fromUtf8(data).trimmed());
        return {};
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(ownerOnly) || file.write(data) < 0
        || !file.commit()) {
        return Error::io(QCoreApplication::translate("TransferCommand", "Cannot write %1: %2")
                             .arg(path, file.errorString()));
    }
    return {};
}

/// Reads the secrets of `accounts` one after the other (keychain jobs are asynchronous).
void collectSecrets(AppContext &app, std::shared_ptr<QJsonArray> out, QList<Account> accounts,
                    qsizetype index, std::function<void(Status)> done)
{
    if (index == accounts.size())
        return done({});
    app.accountService().readSecret(
        accounts[index], [&app, out, accounts, index, done](Result<QString> secret) {
            if (!secret)
                return done(
                    Error::secret(QCoreApplication::translate(
                                      "TransferCommand", "Cannot read the API key of \"%1\": %2")
                                      .arg(accounts[index].name, secret.error().message)));
            QJsonObject item = (*out)[index].toObject();
            item.insert(u"secret"_s, *secret);
            (*out)[index] = item;
            collectSecrets(app, out, accounts, index + 1, done);
        });
}

} // namespace

bool TransferCommand::run(const QString &action, CommandContext &ctx)
{
    if (action == u"export")
        exportAccounts(ctx);
    else if (action == u"import")
        importAccounts(ctx);
    else
        return false;
    return true;
}

void TransferCommand::exportAccounts(CommandContext &ctx)
{
    QCommandLineParser parser;
    parser.addOption({u"with-secrets"_s, tr("Include the API keys (plaintext!).")});
    if (!ctx.parse(parser, 1, u"FILE|- [--with-secrets]"_s))
        return;
    auto accounts = ctx.app.accounts().list();
    if (!accounts)
        return ctx.fail(accounts.error());
    auto array = std::make_shared<QJsonArray>();
    for (const Account &a : *accounts)
        array->append(AccountJson::toJson(a));
    const QString path = parser.positionalArguments().constFirst();
    const bool withSecrets = parser.isSet(u"with-secrets"_s);
    auto write = [&ctx, array, path, withSecrets](Status collected) {
        if (!collected)
            return ctx.fail(collected.error());
        const QByteArray data = AccountTransfer::document(*array, ctx.app.clock().now());
        if (Status written = writeFile(path, data, ctx.out); !written)
            return ctx.fail(written.error());
        if (withSecrets) {
            ctx.out.warning(tr("warning: the export contains API keys in plaintext. Keep it "
                               "private and delete it when done."));
        }
        if (path != u"-")
            ctx.out.line(
                tr("Exported %n account(s) to %1.", nullptr, int(array->size())).arg(path));
        ctx.finish(ExitCode::ok);
    };
    if (withSecrets)
        collectSecrets(ctx.app, array, *accounts, 0, write);
    else
        write({});
}

void TransferCommand::importAccounts(CommandContext &ctx)
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
