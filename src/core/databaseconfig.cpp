// SPDX-License-Identifier: GPL-3.0-or-later
#include "databaseconfig.h"

#include <QCoreApplication>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

DatabaseConfig DatabaseConfig::sqlite(const QString &path)
{
    DatabaseConfig config;
    config.sqlitePath = path;
    return config;
}

Result<DatabaseConfig> DatabaseConfig::fromUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != u"postgresql" && scheme != u"postgres")
        || url.path().size() < 2) {
        return Error::invalid(QCoreApplication::translate(
            "DatabaseConfig",
            "Database URL must look like postgresql://USER:PASSWORD@HOST:PORT/DATABASE."));
    }
    DatabaseConfig config;
    config.driver = Driver::PostgreSQL;
    config.host = url.host().isEmpty() ? u"127.0.0.1"_s : url.host();
    config.port = url.port(5432);
    config.databaseName = url.path().mid(1);
    config.user = url.userName();
    config.password = url.password();
    QStringList options;
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items)
        options << key + u'=' + value;
    config.options = options.join(u';');
    return config;
}

QString DatabaseConfig::describe() const
{
    if (driver == Driver::SQLite)
        return u"SQLite "_s + sqlitePath;
    return u"PostgreSQL %1@%2:%3/%4"_s.arg(user, host).arg(port).arg(databaseName);
}
