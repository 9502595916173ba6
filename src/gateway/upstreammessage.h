// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

/// What of an upstream's error answer may go on, into the account's health, the logs, the
/// window and the client's answer (docs/protocol.md, "What clients get"). An upstream may
/// echo the key it refused, answer with a proxy's HTML page, or send bytes that are not
/// UTF-8: what goes on has the key and key-shaped tokens masked (SecretMask), is valid
/// UTF-8 and, as a summary, bounded. Pure.
class UpstreamMessage final
{
    Q_DECLARE_TR_FUNCTIONS(UpstreamMessage)

public:
    /// The longest summary(), in characters (an ellipsis marks a cut).
    static constexpr qsizetype maxChars = 300;

    /// A readable summary of an error body: the message of an Anthropic or OpenAI error
    /// (`error.message`, an `error` string, a top-level `message` or `detail`), else an
    /// HTML page's title, else the text; white space collapsed, cut at maxChars, `secret`
    /// and key-shaped tokens masked. Empty for an empty body.
    static QString summary(const QByteArray &body, const QString &secret = {});
    /// The words for an error answer with this status: summary(), else "HTTP N with no details".
    static QString describe(int status, const QByteArray &body, const QString &secret = {});
    /// The body a client gets for an upstream's error answer: an Anthropic error as it came
    /// (masked()), anything else (a proxy's HTML page, plain text, another JSON shape) as an
    /// Anthropic error of the status's type (ApiError::typeForStatus) saying describe().
    static QByteArray clientBody(int status, const QByteArray &body, const QString &secret = {});
    /// `body` with `secret` and key-shaped tokens masked, in every string of a JSON body
    /// (still JSON after it), else in the text. Invalid UTF-8 becomes U+FFFD first; a valid
    /// body with nothing to mask comes back byte for byte.
    static QByteArray masked(const QByteArray &body, const QString &secret = {});
};
