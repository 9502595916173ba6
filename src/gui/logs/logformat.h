// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/usagerecord.h"
#include "gui/common/statuspalette.h"

#include <QString>

#include <optional>

/// How the logs page writes a request's fields. Pure.
namespace LogFormat {

/// "work 429 → home 200" with the attempt count first when there was more than one try.
QString attempts(const UsageRecord &record);
/// "200", "499 client closed", "529 overloaded_error".
QString status(const UsageRecord &record);
/// Good for 2xx, a warning for 4xx, an error for 5xx and 499 (the client went away).
std::optional<StatusPalette::Role> statusRole(int status);
/// "340 ms", "2.4 s", "—" for none (negative).
QString duration(int ms);
/// A moment, short: "14:03:27" on the day of `now`, with the date before on another day.
QString time(const QDateTime &time, const QDateTime &now);
/// "1,234 in · 56 out · 789 cache".
QString tokens(const UsageRecord &record);
/// "claude-sonnet-4 → glm-4.6" when the account mapped the model, else the model.
QString model(const UsageRecord &record);
/// The account's name, or "No account" when none answered.
QString account(const UsageRecord &record);
/// Every field as an HTML table, for the detail pane.
QString detailsHtml(const UsageRecord &record, const QString &clientName);

} // namespace LogFormat
