// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>

/// The JSON form of an account, shared by `--json` output, export/import files, the
/// database's list columns and the admin API. Never contains a secret.
class AccountJson
{
    Q_DECLARE_TR_FUNCTIONS(AccountJson)

public:
    static QJsonObject toJson(const Account &account);
    static QJsonArray toJson(const QList<Account> &accounts);
    /// Applies the fields present in `json` on top of `base` (a patch); unknown fields
    /// and wrong types are refused. Health fields and times are never taken from input.
    static Result<Account> apply(const QJsonObject &json, Account base);

    static QJsonArray mappingToJson(const ModelMapping &mapping);
    static Result<ModelMapping> mappingFromJson(const QJsonValue &value);
    static QJsonObject headersToJson(const HeaderList &headers);
    static Result<HeaderList> headersFromJson(const QJsonValue &value);
    static QJsonValue timeToJson(const QDateTime &time);
};
