// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "gui/common/runtimefacade.h"

#include <QColor>
#include <QCoreApplication>

/// What the tray shows, computed from the accounts and the gateway: pure, so every case is
/// tested without a tray.
struct TrayState
{
    Q_DECLARE_TR_FUNCTIONS(TrayState)

public:
    enum class Level {
        Healthy, ///< green: every enabled account can serve, without recent errors
        Degraded, ///< yellow: some account cools down, was rejected, parked or has errors
        Down, ///< red: no account can serve, or the gateway failed
        Stopped, ///< grey: the gateway is stopped or still starting
    };

    Level level = Level::Stopped;
    int usable = 0; ///< enabled accounts able to serve now
    int enabled = 0;

    static TrayState compute(const QList<Account> &accounts, RuntimeFacade::GatewayState gateway,
                             const QDateTime &now);
    /// Whether an enabled account can take requests at `now`.
    static bool isUsable(const Account &account, const QDateTime &now);
    static QColor colour(Level level);
    /// One line saying what the colour means.
    QString summary(RuntimeFacade::GatewayState gateway, const QString &gatewayError) const;

    friend bool operator==(const TrayState &, const TrayState &) = default;
};
