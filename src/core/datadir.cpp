// SPDX-License-Identifier: GPL-3.0-or-later
#include "datadir.h"

#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace DataDir {

QString resolve(const QString &override)
{
    if (!override.isEmpty())
        return QDir(override).absolutePath();
    const QString fromEnv = qEnvironmentVariable("SWITCHBOARD_DATA_DIR");
    if (!fromEnv.isEmpty())
        return QDir(fromEnv).absolutePath();
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

Result<DatabaseConfig> databaseConfig(const QString &dataDir)
{
    const QString url = qEnvironmentVariable("SWITCHBOARD_DATABASE_URL");
    if (!url.isEmpty())
        return DatabaseConfig::fromUrl(url);
    return DatabaseConfig::sqlite(QDir(dataDir).filePath(u"switchboard.db"_s));
}

} // namespace DataDir
