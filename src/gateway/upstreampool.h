// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "upstreamcall.h"

#include <QObject>
#include <QVector>

class QNetworkAccessManager;
class QNetworkReply;

/// Sends upstream calls through several QNetworkAccessManagers. One manager opens at most
/// six HTTP/1.1 connections per host (fixed in Qt 6.4), so parallel streams to one plain
/// HTTP upstream would queue; spreading calls over managers keeps them independent.
/// Lives on the gateway thread.
class UpstreamPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UpstreamPool)

public:
    /// `managers` × 6 parallel HTTP/1.1 connections per host.
    explicit UpstreamPool(int managers = 12, QObject *parent = nullptr);
    ~UpstreamPool() override;

    /// Starts the call on the least busy manager. The reply belongs to the caller.
    QNetworkReply *send(const UpstreamCall &call);

private:
    struct Slot
    {
        QNetworkAccessManager *manager = nullptr;
        int active = 0;
    };
    QVector<Slot> m_slots;
};
