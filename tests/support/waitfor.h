// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "support/testtimeout.h"

#include <QTest>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

/// Waits for an asynchronous operation that reports through a callback, running the event
/// loop meanwhile (tests only: production code never waits). Returns the value passed to
/// the callback, or nothing if it did not come within testTimeout(`timeout`).
///
///     const auto r = waitForResult<SecretResult>(
///             [&](auto done) { store.read(u"key"_s, done); });
///     QVERIFY2(r, "no answer");
///     QCOMPARE(r->status, SecretResult::Status::Ok);
template<class T>
std::optional<T> waitForResult(const std::function<void(std::function<void(T)>)> &start,
                               std::chrono::milliseconds timeout = std::chrono::seconds(30))
{
    // Shared, so a callback arriving after a timeout writes into live memory.
    auto slot = std::make_shared<std::optional<T>>();
    start([slot](T value) { slot->emplace(std::move(value)); });
    if (!QTest::qWaitFor([&slot] { return slot->has_value(); }, testTimeout(timeout)))
        return std::nullopt;
    return *slot;
}
