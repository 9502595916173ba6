// SPDX-License-Identifier: GPL-3.0-or-later
#include "clientevents.h"

#include <QJsonDocument>

QList<ClientEvent> parseEvents(const QByteArray &stream)
{
    QList<ClientEvent> events;
    qsizetype pos = 0;
    for (qsizetype end; (end = stream.indexOf("\n\n", pos)) >= 0; pos = end + 2) {
        ClientEvent event;
        for (const QByteArray &line : stream.mid(pos, end - pos).split('\n')) {
            if (line.startsWith("event: "))
                event.name = line.mid(7);
            else if (line.startsWith("data: "))
                event.data = QJsonDocument::fromJson(line.mid(6)).object();
        }
        events.append(event);
    }
    return events;
}

QByteArrayList eventNames(const QList<ClientEvent> &events)
{
    QByteArrayList names;
    for (const ClientEvent &e : events)
        names.append(e.name);
    return names;
}
