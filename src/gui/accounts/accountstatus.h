// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/account.h"
#include "gateway/upstreamvalidator.h"
#include "gui/common/statuspalette.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

/// What the accounts table says about an account's health: a kind (for colour and the
/// health filter), a short text and the reason. Pure: computed from the account and "now".
struct HealthBadge
{
    enum class Kind {
        Valid, ///< good
        Unchecked, ///< muted: not validated yet
        Invalid, ///< error: the key was rejected
        Cooling, ///< info: rate limited or overloaded, back by itself
        Parked, ///< warning: out of credit or spend limit
        UserDisabled, ///< muted: switched off by the user
    };

    Kind kind = Kind::Unchecked;
    QString text; ///< "Cooling down · 2 min left"
    QString reason; ///< why, as the gateway put it; may be empty
    bool cooling = false; ///< the text changes with time

    /// The status colour the badge is filled with.
    static StatusPalette::Role role(Kind kind);
};

/// Texts of the accounts table, shared by the model and the validation summary.
class AccountStatus
{
    Q_DECLARE_TR_FUNCTIONS(AccountStatus)

public:
    static HealthBadge badge(const Account &account, const QDateTime &now);
    /// Every kind's name, as the health filter lists it ("Invalid key").
    static QString kindName(HealthBadge::Kind kind);
    /// "45 s left", "2 min left", "1 h 5 min left".
    static QString timeLeft(qint64 seconds);
    /// "just now", "5 min ago", "3 h ago", "2 days ago"; "never" for a null time.
    static QString relativeTime(const QDateTime &time, const QDateTime &now);
    /// What one validation found, in a few words: "Valid · 230 ms" or the message.
    static QString resultText(const ValidationResult &result);
    /// "4 valid, 1 invalid key" for the results of one run.
    static QString summary(const QList<ValidationResult> &results);
};
