// SPDX-License-Identifier: GPL-3.0-or-later
#include "traystate.h"

#include "gui/common/statuspalette.h"

bool TrayState::isUsable(const Account &account, const QDateTime &now)
{
    if (!account.enabled)
        return false;
    if (account.health.state == HealthState::Invalid
        || account.health.state == HealthState::Disabled)
        return false;
    return !(account.health.cooldownUntil.isValid() && account.health.cooldownUntil > now);
}

TrayState TrayState::compute(const QList<Account> &accounts, RuntimeFacade::GatewayState gateway,
                             const QDateTime &now)
{
    TrayState state;
    int clean = 0;
    for (const Account &a : accounts) {
        if (!a.enabled)
            continue; // switched off by the user: not a problem to signal
        ++state.enabled;
        if (isUsable(a, now)) {
            ++state.usable;
            if (a.health.errorCount == 0)
                ++clean;
        }
    }
    switch (gateway) {
    case RuntimeFacade::GatewayState::Starting:
    case RuntimeFacade::GatewayState::Stopped:
        state.level = Level::Stopped;
        break;
    case RuntimeFacade::GatewayState::Failed:
        state.level = Level::Down;
        break;
    case RuntimeFacade::GatewayState::Running:
        if (state.usable == 0)
            state.level = Level::Down;
        else if (clean == state.enabled)
            state.level = Level::Healthy;
        else
            state.level = Level::Degraded;
        break;
    }
    return state;
}

QColor TrayState::colour(Level level)
{
    using Role = StatusPalette::Role;
    // The dots sit on the icon's dark tile, whatever the desktop's theme.
    const StatusPalette palette = StatusPalette::forDarkBackground();
    switch (level) {
    case Level::Healthy:
        return palette.color(Role::Good);
    case Level::Degraded:
        return palette.color(Role::Warning);
    case Level::Down:
        return palette.color(Role::Error);
    case Level::Stopped:
        break;
    }
    return palette.color(Role::Muted);
}

QString TrayState::summary(RuntimeFacade::GatewayState gateway, const QString &gatewayError) const
{
    switch (gateway) {
    case RuntimeFacade::GatewayState::Starting:
        return tr("The local endpoint is starting.");
    case RuntimeFacade::GatewayState::Stopped:
        return tr("The local endpoint is stopped.");
    case RuntimeFacade::GatewayState::Failed:
        return tr("The local endpoint is not running: %1").arg(gatewayError);
    case RuntimeFacade::GatewayState::Running:
        break;
    }
    if (enabled == 0)
        return tr("No enabled account: add one in the window.");
    return tr("%1 of %n account(s) can serve requests.", "", enabled).arg(usable);
}
