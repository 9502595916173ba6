// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/accountactions.h"
#include "core/accountservice.h"
#include "core/accountstore.h"
#include "core/usagestore.h"
#include "support/memorysecretstore.h"
#include "support/testdatabase.h"

#include <memory>

/// The account stores and services on a fresh test database, with secrets in memory.
struct AccountStores
{
    AccountStores(std::unique_ptr<TestDatabase> database, const Clock &clock)
        : db(std::move(database))
        , store(db->database())
        , service(store, secrets, clock)
        , usage(db->database())
        , actions(store, service, usage, clock)
    { }

    std::unique_ptr<TestDatabase> db;
    AccountStore store;
    MemorySecretStore secrets;
    AccountService service;
    UsageStore usage;
    AccountActions actions;
};
