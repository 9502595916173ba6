// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounttransfer.h"

#include "core/accountjson.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/appcontext.h"
#include "core/clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString formatName = u"switchboard-accounts"_s;

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
                    Error::secret(AccountTransfer::tr("Cannot read the API key of \"%1\": %2")
                                      .arg(accounts[index].name, secret.error().message)));
            QJsonObject item = (*out)[index].toObject();
            item.insert(u"secret"_s, *secret);
            (*out)[index] = item;
            collectSecrets(app, out, accounts, index + 1, done);
        });
}

} // namespace

void AccountTransfer::exportAll(AppContext &app, bool withSecrets,
                                std::function<void(Result<QByteArray>)> done)
{
    auto accounts = app.accounts().list();
    if (!accounts)
        return done(accounts.error());
    auto array = std::make_shared<QJsonArray>();
    for (const Account &a : *accounts)
        array->append(AccountJson::toJson(a));
    auto finish = [&app, array, done](Status collected) {
        if (!collected)
            return done(collected.error());
        done(document(*array, app.clock().now()));
    };
    if (withSecrets)
        collectSecrets(app, array, *accounts, 0, finish);
    else
        finish({});
}

Status AccountTransfer::writeFile(const QString &path, const QByteArray &data)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)
        || !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || file.write(data) < 0 || !file.commit()) {
        return Error::io(tr("Cannot write %1: %2").arg(path, file.errorString()));
    }
    return {};
}

QByteArray AccountTransfer::document(const QJsonArray &accounts, const QDateTime &now)
{
    return QJsonDocument(QJsonObject {{u"format"_s, formatName},
                                      {u"version"_s, 1},
                                      {u"exported_at"_s, AccountJson::timeToJson(now)},
                                      {u"accounts"_s, accounts}})
        .toJson(QJsonDocument::Indented);
}

Result<QList<ImportItem>> AccountTransfer::parse(const QByteArray &data,
                                                 const QList<Account> &existing)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (doc.isNull()) {
        return Error::invalid(tr("not valid JSON (%1 at byte %2).")
                                  .arg(parseError.errorString())
                                  .arg(parseError.offset));
    }
    QJsonArray accounts;
    if (doc.isArray()) {
        accounts = doc.array();
    } else if (doc.object().value(u"format") == formatName
               && doc.object().value(u"accounts").isArray()) {
        if (doc.object().value(u"version").toInt() != 1) {
            return Error::invalid(tr("written by a newer Switchboard (format version %1).")
                                      .arg(doc.object().value(u"version").toInt()));
        }
        accounts = doc.object().value(u"accounts").toArray();
    } else {
        return Error::invalid(
            tr("not a Switchboard accounts file (expected an object with "
               "\"format\": \"switchboard-accounts\" and an \"accounts\" list)."));
    }

    QSet<QString> names;
    for (const Account &a : existing)
        names.insert(a.name.toLower());
    QList<ImportItem> items;
    for (qsizetype i = 0; i < accounts.size(); ++i) {
        const QJsonObject object = accounts[i].toObject();
        const QString label
            = tr("account #%1 (%2)").arg(i + 1).arg(object.value(u"name").toString(tr("no name")));
        if (!accounts[i].isObject())
            return Error::invalid(tr("account #%1 is not an object.").arg(i + 1));
        if (!object.contains(u"name"))
            return Error::invalid(tr("%1: \"name\" is missing.").arg(label));
        auto account = AccountJson::apply(object, Account {});
        if (!account)
            return Error::invalid(tr("%1: %2").arg(label, account.error().message));
        if (names.contains(account->name.toLower()))
            return Error::conflict(tr("%1: an account with this name already exists.").arg(label));
        names.insert(account->name.toLower());
        ImportItem item {*account, std::nullopt};
        if (object.contains(u"secret")) {
            const QString secret = object.value(u"secret").toString();
            if (Status s = AccountService::checkSecret(secret); !s)
                return Error::invalid(tr("%1: %2").arg(label, s.error().message));
            item.secret = secret;
        }
        items.append(item);
    }
    return items;
}

AccountImporter::AccountImporter(AppContext &app, QList<ImportItem> items)
    : m_app(app)
    , m_items(std::move(items))
{ }

void AccountImporter::run(std::function<void(Status)> done)
{
    m_done = std::move(done);
    next(0);
}

void AccountImporter::next(qsizetype index)
{
    if (index == m_items.size())
        return m_done({});
    Account account = m_items[index].account;
    account.id = QUuid::createUuid();
    if (const auto &secret = m_items[index].secret) {
        m_app.accountService().create(account, *secret, [this, index](Result<Account> created) {
            if (!created)
                return rollback(created.error());
            m_created.append(created->id);
            next(index + 1);
        });
        return;
    }
    account.enabled = false;
    account.createdAt = account.updatedAt = m_app.clock().now();
    account.health.reason = tr("No API key: set one with switchboard accounts edit \"%1\" --secret")
                                .arg(account.name);
    if (Status inserted = m_app.accounts().insert(account); !inserted)
        return rollback(inserted.error());
    m_created.append(account.id);
    ++m_withoutSecret;
    next(index + 1);
}

void AccountImporter::rollback(const Error &error)
{
    if (m_created.isEmpty())
        return m_done(error);
    const QUuid id = m_created.takeLast();
    m_app.accountService().remove(id, [this, error](Status) { rollback(error); });
}
