// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

/// Errors in Anthropic's format: {"type":"error","error":{"type":T,"message":M}}.
namespace ApiError {

QByteArray body(const QString &type, const QString &message);

/// The HTTP status an error type stands for (an `error` event in a stream has none):
/// invalid_request_error 400, authentication_error 401, billing_error 402,
/// permission_error 403, not_found_error 404, request_too_large 413, rate_limit_error 429,
/// api_error 500, timeout_error 504, overloaded_error 529; any other type `unknown`.
int statusForType(QStringView type, int unknown = 500);
/// The error type for an HTTP status: the table above read backwards, 503 counting as
/// overloaded_error, other 4xx as invalid_request_error and other 5xx as api_error.
QString typeForStatus(int status);

} // namespace ApiError
