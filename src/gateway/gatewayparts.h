// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/settings.h"
#include "gateway/failureclassifier.h"
#include "gateway/thinkingblocks.h"

class Clock;
class HealthBook;
class Router;
class SecretCache;
class UpstreamPool;

/// What a request needs from the gateway, owned by GatewayServer on the gateway thread.
struct GatewayParts
{
    const Clock &clock;
    Router &router;
    HealthBook &health;
    SecretCache &secrets;
    UpstreamPool &pool;
    SignatureBook signatures; ///< which account signed which thinking block
    Settings settings;
    CooldownPolicy cooldowns;
};
