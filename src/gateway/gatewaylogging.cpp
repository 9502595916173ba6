// SPDX-License-Identifier: GPL-3.0-or-later
#include "gatewaylogging.h"

Q_LOGGING_CATEGORY(lcGateway, "switchboard.gateway", QtInfoMsg)
