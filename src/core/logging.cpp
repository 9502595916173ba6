// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"

Q_LOGGING_CATEGORY(lcStore, "switchboard.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcKeychain, "switchboard.keychain", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSettings, "switchboard.settings", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAccounts, "switchboard.accounts", QtInfoMsg)
