// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqlutil.h"

#include "core/logging.h"

#include <QCoreApplication>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace Sql {

QVariant fromTime(const QDateTime &time)
{
    return time.isValid() ? QVariant(qlonglong(time.toMSecsSinceEpoch()))
                          : QVariant(QMetaType::fromType<qlonglong>());
}

QDateTime toTime(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(QString(u""_s)) : QVariant(value);
}

Error error(const QSqlQuery &query)
{
    // The query text has placeholders only, never bound values, so it is safe to log.
    qCWarning(lcStore) << "Query failed:" << query.lastQuery() << query.lastError().text();
    return Error::storage(
        QCoreApplication::translate("Sql", "Database error: %1").arg(query.lastError().text()));
}

} // namespace Sql
