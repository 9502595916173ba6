// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

/// Small helpers shared by the stores: portable time columns and query errors.
namespace Sql {

/// A BIGINT milliseconds column, NULL for an invalid time.
QVariant fromTime(const QDateTime &time);
QDateTime toTime(const QVariant &value);
/// A NOT NULL text column: a null QString is stored as "".
QVariant text(const QString &value);
/// The query's error as a Storage error.
Error error(const QSqlQuery &query);

} // namespace Sql
