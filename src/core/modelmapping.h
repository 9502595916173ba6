// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QList>
#include <QString>

/// One rule of an account's model mapping: a Claude model name (exact or with `*`/`?`
/// wildcards) and the upstream model to send instead.
struct ModelRule
{
    QString pattern;
    QString target;
    friend bool operator==(const ModelRule &, const ModelRule &) = default;
};

/// Ordered model mapping rules. An exact rule wins over wildcards; among wildcards the
/// first listed wins; `*` alone is the default. No match leaves the model unchanged.
class ModelMapping
{
public:
    ModelMapping() = default;
    explicit ModelMapping(QList<ModelRule> rules)
        : m_rules(std::move(rules))
    { }

    /// Parses `pattern=target`.
    static Result<ModelRule> parseRule(const QString &text);

    const QList<ModelRule> &rules() const { return m_rules; }
    bool isEmpty() const { return m_rules.isEmpty(); }
    QString map(const QString &model) const;

    friend bool operator==(const ModelMapping &, const ModelMapping &) = default;

private:
    QList<ModelRule> m_rules;
};

/// Glob match with `*` (any run) and `?` (one character), case-sensitive.
bool globMatch(QStringView pattern, QStringView text);
