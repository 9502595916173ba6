// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArrayList>
#include <QJsonObject>
#include <QList>

/// One server-sent event as a test client saw it.
struct ClientEvent
{
    QByteArray name;
    QJsonObject data;
};

/// Parses a text/event-stream body (complete events only).
QList<ClientEvent> parseEvents(const QByteArray &stream);
QByteArrayList eventNames(const QList<ClientEvent> &events);
/// The message a stream's events build, as the Messages API would have answered it whole:
/// id, model, stop_reason and every content block with its deltas applied (text,
/// thinking and signature, tool input parsed).
QJsonObject assembledMessage(const QList<ClientEvent> &events);
