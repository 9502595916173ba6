// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingsstore.h"

#include "core/clock.h"
#include "core/database.h"
#include "core/logging.h"
#include "core/sqlutil.h"

#include <QSqlQuery>

using namespace Qt::StringLiterals;

SettingsStore::SettingsStore(Database &db, const Clock &clock)
    : m_db(db)
    , m_clock(clock)
{ }

Result<Settings> SettingsStore::load() const
{
    QSqlQuery q(m_db.connection());
    if (!q.exec(u"SELECT setting_key, setting_value FROM settings"_s))
        return Sql::error(q);
    Settings settings;
    while (q.next()) {
        const QString key = q.value(0).toString();
        auto value = Settings::parse(key, q.value(1).toString());
        if (!value || !settings.set(key, *value)) {
            qCWarning(lcSettings).noquote()
                << "Ignoring stored setting" << key
                << "(default applies):" << (value ? QString() : value.error().message);
        }
    }
    return settings;
}

Status SettingsStore::save(const QString &key, const QVariant &value)
{
    auto checked = Settings::validate(key, value);
    if (!checked)
        return checked.error();
    QSqlQuery q(m_db.connection());
    q.prepare(u"INSERT INTO settings (setting_key, setting_value, updated_at) VALUES (?, ?, ?) "
              "ON CONFLICT (setting_key) DO UPDATE SET setting_value = excluded.setting_value, "
              "updated_at = excluded.updated_at"_s);
    q.addBindValue(key);
    q.addBindValue(Settings::format(*checked));
    q.addBindValue(m_clock.nowMs());
    if (!q.exec())
        return Sql::error(q);
    qCInfo(lcSettings).noquote() << "Setting" << key << "=" << Settings::format(*checked);
    return {};
}

Status SettingsStore::reset(const QString &key)
{
    if (!Settings::definition(key))
        return Settings::validate(key, {}).error();
    QSqlQuery q(m_db.connection());
    q.prepare(u"DELETE FROM settings WHERE setting_key = ?"_s);
    q.addBindValue(key);
    if (!q.exec())
        return Sql::error(q);
    return {};
}
