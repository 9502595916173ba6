// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/settings.h"

class Clock;
class Database;

/// Settings persisted in the database (so a shared PostgreSQL database shares them too).
/// Only values that were set are stored; the rest come from the defaults.
class SettingsStore final
{
public:
    SettingsStore(Database &db, const Clock &clock);

    /// Loads every stored value; a stored value that no longer validates is skipped
    /// with a warning (the default applies) rather than failing the whole start.
    Result<Settings> load() const;
    /// Validates, then stores one value.
    Status save(const QString &key, const QVariant &value);
    /// Forgets a stored value: the default applies again.
    Status reset(const QString &key);

private:
    Database &m_db;
    const Clock &m_clock;
};
