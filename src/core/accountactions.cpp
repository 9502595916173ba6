// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountactions.h"

#include "core/accountjson.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/accounttransfer.h"
#include "core/clock.h"

#include <QFile>
#include <QJsonObject>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

/// One import under way, kept alive by its callbacks.
struct ImportRun
{
    AccountStore &accounts;
    AccountService &service;
    const Clock &clock;
    QList<ImportItem> items;
    AccountActions::ImportDone done;
    QList<QUuid> created;
    ImportReport report;
};

void rollBack(std::shared_ptr<ImportRun> run, const Error &error)
{
    if (run->created.isEmpty())
        return run->done(error);
    const QUuid id = run->created.takeLast();
    run->service.remove(id, [run, error](Status) { rollBack(run, error); });
}

/// Writes the items one by one; the first failure removes what was written before it.
void importNext(std::shared_ptr<ImportRun> run, qsizetype index)
{
    if (index == run->items.size()) {
        run->report.imported = run->created.size();
        return run->done(run->report);
    }
    Account account = run->items[index].account;
    account.id = QUuid::createUuid();
    if (const auto &secret = run->items[index].secret) {
        run->service.create(account, *secret, [run, index](Result<Account> created) {
            if (!created)
                return rollBack(run, created.error());
            run->created.append(created->id);
            importNext(run, index + 1);
        });
        return;
    }
    // Without a key the account cannot serve: stored disabled, saying how to add one.
    account.enabled = false;
    account.createdAt = account.updatedAt = run->clock.now();
    account.health.reason
        = AccountActions::tr("No API key: set one with switchboard accounts edit \"%1\" --secret")
              .arg(account.name);
    if (Status inserted = run->accounts.insert(account); !inserted)
        return rollBack(run, inserted.error());
    run->created.append(account.id);
    ++run->report.withoutSecret;
    importNext(run, index + 1);
}

} // namespace

AccountActions::AccountActions(AccountStore &accounts, AccountService &service, UsageStore &usage,
                               const Clock &clock)
    : m_accounts(accounts)
    , m_service(service)
    , m_usage(usage)
    , m_clock(clock)
{ }

void AccountActions::create(const Account &draft, const QString &secret, AccountDone done)
{
    m_service.create(draft, secret, std::move(done));
}

void AccountActions::update(const Account &account, std::optional<QString> newSecret,
                            AccountDone done)
{
    m_service.update(account, std::move(newSecret), std::move(done));
}

void AccountActions::remove(const QUuid &id, StatusDone done)
{
    m_service.remove(id, std::move(done));
}

void AccountActions::setEnabled(const QUuid &id, bool enabled, AccountDone done)
{
    auto account = m_accounts.find(id);
    if (!account)
        return done(account.error());
    account->enabled = enabled;
    if (enabled)
        account->health = account->health.resetByUser();
    m_service.update(*account, std::nullopt, std::move(done));
}

void AccountActions::importData(const QByteArray &data, const QString &source, ImportDone done)
{
    auto existing = m_accounts.list();
    if (!existing)
        return done(existing.error());
    auto items = AccountTransfer::parse(data, *existing);
    if (!items)
        return done(Error::invalid(tr("%1: %2").arg(source, items.error().message)));
    importNext(std::make_shared<ImportRun>(ImportRun {
                   m_accounts, m_service, m_clock, std::move(*items), std::move(done), {}, {}}),
               0);
}

void AccountActions::importFile(const QString &path, ImportDone done)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return done(Error::io(tr("Cannot read %1: %2").arg(path, file.errorString())));
    importData(file.readAll(), path, std::move(done));
}

void AccountActions::collectSecrets(std::shared_ptr<QJsonArray> out, QList<Account> accounts,
                                    qsizetype index, StatusDone done)
{
    // One after the other: keychain jobs are asynchronous.
    if (index == accounts.size())
        return done({});
    m_service.readSecret(
        accounts[index], [this, out, accounts, index, done](Result<QString> secret) {
            if (!secret) {
                return done(Error::secret(tr("Cannot read the API key of \"%1\": %2")
                                              .arg(accounts[index].name, secret.error().message)));
            }
            QJsonObject item = (*out)[index].toObject();
            item.insert(u"secret"_s, *secret);
            (*out)[index] = item;
            collectSecrets(out, accounts, index + 1, done);
        });
}

void AccountActions::exportData(bool withSecrets, std::function<void(Result<AccountExport>)> done)
{
    auto accounts = m_accounts.list();
    if (!accounts)
        return done(accounts.error());
    auto array = std::make_shared<QJsonArray>(AccountJson::toJson(*accounts));
    auto finish = [this, array, done](Status collected) {
        if (!collected)
            return done(collected.error());
        done(AccountExport {AccountTransfer::document(*array, m_clock.now()), array->size()});
    };
    if (withSecrets)
        collectSecrets(array, *accounts, 0, finish);
    else
        finish({});
}

void AccountActions::exportFile(const QString &path, bool withSecrets,
                                std::function<void(Result<qsizetype>)> done)
{
    exportData(withSecrets, [path, done](Result<AccountExport> exported) {
        if (!exported)
            return done(exported.error());
        if (Status written = AccountTransfer::writeFile(path, exported->document); !written)
            return done(written.error());
        done(exported->count);
    });
}

Result<QList<UsageTotals>> AccountActions::stats(const QDateTime &from, const QDateTime &to) const
{
    return m_usage.totals(from, to);
}

Result<QList<UsageTotals>> AccountActions::recentStats(std::chrono::seconds span) const
{
    // Up to the end of this second: a request that just finished counts.
    const QDateTime to = m_clock.now().addSecs(1);
    return stats(to.addSecs(-span.count()), to);
}
