// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

#include <functional>

/// A call of the admin REST API (/admin/v1/…) that needs the database, handed from the
/// gateway thread to the storage worker.
struct AdminCall
{
    QByteArray method;
    QStringList path; ///< the segments after /admin/v1, e.g. {"accounts", "work"}
    QJsonObject body;
    QString query; ///< e.g. "since=24h"
};

/// Its answer: a JSON body with a status, or an Error (mapped to an Anthropic error).
struct AdminResult
{
    int status = 200;
    QJsonValue body;
    std::optional<Error> error;

    static AdminResult ok(QJsonValue body, int status = 200)
    {
        return {status, std::move(body), {}};
    }
    static AdminResult failure(Error error) { return {0, {}, std::move(error)}; }
};

using AdminReply = std::function<void(const AdminResult &)>;
/// Runs an AdminCall somewhere (the storage thread) and answers through the reply,
/// which may be called from any thread.
using AdminBackend = std::function<void(const AdminCall &, AdminReply)>;
