// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>

struct ClientRequest;
struct UsageRecord;

/// The debug log's view of one relayed request (only while debug logging is on).
namespace RelayDebug {

/// Bodies beyond this are cut.
inline constexpr qsizetype bodyLimit = 1024 * 1024;

/// The request (client keys masked) and what the client got: status, account, attempts and
/// `response`, the body as sent.
QJsonObject entry(const ClientRequest &request, const UsageRecord &usage,
                  const QByteArray &response);

} // namespace RelayDebug
