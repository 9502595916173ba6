// SPDX-License-Identifier: GPL-3.0-or-later
#include "accounttransfer.h"

#include "core/accountjson.h"
#include "core/accountservice.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {

const QString formatName = u"switchboard-accounts"_s;

} // namespace

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
