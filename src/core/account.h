// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/modelmapping.h"

#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QUuid>

#include <optional>

enum class ProviderKind { Anthropic, OpenAI };
enum class AuthStyle { XApiKey, Bearer };

/// What the router knows about an account's ability to serve requests.
enum class HealthState {
    Unknown, ///< never validated, or validation pending
    Valid, ///< last request or validation succeeded
    Invalid, ///< the key was rejected (401): auto-disabled until the user acts
    Disabled, ///< parked by a rule (out of credit, spend limit): see the reason
};

QString toString(ProviderKind kind);
QString toString(AuthStyle style);
QString toString(HealthState state);
std::optional<ProviderKind> providerKindFromString(QStringView text);
std::optional<AuthStyle> authStyleFromString(QStringView text);
std::optional<HealthState> healthStateFromString(QStringView text);

/// The default auth style of a provider kind: Anthropic uses x-api-key, OpenAI bearer.
AuthStyle defaultAuthStyle(ProviderKind kind);
/// The official base URL of a provider kind, used when none is given.
QUrl defaultBaseUrl(ProviderKind kind);

/// Health fields of an account, changed by requests and validation.
struct AccountHealth
{
    HealthState state = HealthState::Unknown;
    QString reason; ///< a person-readable explanation of the state
    QDateTime lastValidated;
    QDateTime lastUsed;
    qint64 usageCount = 0;
    int errorCount = 0; ///< consecutive errors
    QDateTime cooldownUntil; ///< null when not cooling down
    int validationLatencyMs = -1; ///< how long the last validation took; -1: never validated
    QString validationMessage; ///< what the last validation found

    /// The health after the user re-enables an account: state unknown, errors and
    /// cooldown cleared, history (last used/validated, usage count) kept.
    AccountHealth resetByUser() const;

    friend bool operator==(const AccountHealth &, const AccountHealth &) = default;
};

using HeaderList = QList<QPair<QString, QString>>;

/// An upstream API account. The secret is not part of it: it lives in the SecretStore,
/// keyed by the account id.
struct Account
{
    QUuid id;
    QString name;
    ProviderKind provider = ProviderKind::Anthropic;
    QUrl baseUrl;
    AuthStyle authStyle = AuthStyle::XApiKey;
    int tier = 1; ///< 1 is tried first; tier 2 only when tier 1 has no healthy account
    int priority = 0; ///< higher first, within a tier
    int weight = 1; ///< share for the weighted strategy
    bool enabled = true;
    QStringList allowedModels; ///< empty: every model
    ModelMapping modelMapping;
    HeaderList extraHeaders;
    QString notes;
    QDateTime createdAt;
    QDateTime updatedAt;
    AccountHealth health;

    /// The key under which the account's secret is stored.
    QString secretKey() const { return id.toString(QUuid::WithoutBraces); }
    QString idString() const { return id.toString(QUuid::WithoutBraces); }

    friend bool operator==(const Account &, const Account &) = default;
};

/// Limits shared by every place that edits accounts.
namespace AccountLimits {
inline constexpr int minTier = 1;
inline constexpr int maxTier = 9;
inline constexpr int minPriority = -1000;
inline constexpr int maxPriority = 1000;
inline constexpr int minWeight = 1;
inline constexpr int maxWeight = 1000;
inline constexpr int maxNameLength = 100;
} // namespace AccountLimits
