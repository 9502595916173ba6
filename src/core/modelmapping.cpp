// SPDX-License-Identifier: GPL-3.0-or-later
#include "modelmapping.h"

#include <QCoreApplication>

bool globMatch(QStringView pattern, QStringView text)
{
    // Iterative matcher with single backtracking point: linear for the patterns people write.
    qsizetype p = 0, t = 0, starP = -1, starT = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            starP = p++;
            starT = t;
        } else if (starP >= 0) {
            p = starP + 1;
            t = ++starT;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

Result<ModelRule> ModelMapping::parseRule(const QString &text)
{
    const qsizetype eq = text.indexOf(u'=');
    const QString pattern = text.left(eq).trimmed();
    const QString target = eq < 0 ? QString() : text.mid(eq + 1).trimmed();
    if (eq < 0 || pattern.isEmpty() || target.isEmpty()) {
        return Error::invalid(
            QCoreApplication::translate("ModelMapping",
                                        "Model mapping \"%1\" is not of the form PATTERN=MODEL, "
                                        "for example claude-opus-*=gpt-4o.")
                .arg(text));
    }
    return ModelRule {pattern, target};
}

QString ModelMapping::map(const QString &model) const
{
    for (const ModelRule &rule : m_rules) {
        if (rule.pattern == model)
            return rule.target;
    }
    for (const ModelRule &rule : m_rules) {
        if (globMatch(rule.pattern, model))
            return rule.target;
    }
    return model;
}
