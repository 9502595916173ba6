// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

/// Errors in Anthropic's format: {"type":"error","error":{"type":T,"message":M}}.
namespace ApiError {

QByteArray body(const QString &type, const QString &message);

} // namespace ApiError
