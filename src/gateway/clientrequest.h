// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUuid>

/// A client's request, copied out of QHttpServerRequest (which is reused per connection).
struct ClientRequest
{
    QByteArray method;
    QString path; ///< without the query
    QString query; ///< without '?', may be empty
    QList<QPair<QByteArray, QByteArray>> headers; ///< names lowercased, in order
    QByteArray body;

    // Filled in by the gateway after admission and parsing:
    QJsonObject json;
    QString model;
    bool stream = false;
    QString stickyKey;
    QUuid accessKeyId;
    QString passthroughKey;

    QByteArray header(const QByteArray &lowercaseName) const;
    /// A key that follows one conversation: `x-claude-code-session-id`, else
    /// `metadata.user_id`, else a hash of the system prompt and the first user message.
    static QString stickyKeyFor(const QByteArray &sessionHeader, const QJsonObject &body);
};
