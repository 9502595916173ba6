// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountbatch.h"

#include "core/accountservice.h"

#include <QSet>

using namespace Qt::StringLiterals;

AccountBatch::Keys AccountBatch::parseKeys(const QString &text)
{
    Keys result;
    QSet<QString> seen;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString key = lines[i].trimmed();
        if (key.isEmpty())
            continue;
        if (Status ok = AccountService::checkSecret(key); !ok) {
            result.problems << tr("Line %1: %2").arg(i + 1).arg(ok.error().message);
            continue;
        }
        if (seen.contains(key)) {
            ++result.duplicates;
            continue;
        }
        seen.insert(key);
        result.keys << key;
    }
    return result;
}

QStringList AccountBatch::names(const QString &prefix, int count, const QStringList &existing)
{
    const QString stem = prefix.trimmed() + u'-';
    int highest = 0;
    for (const QString &name : existing) {
        if (!name.startsWith(stem))
            continue;
        bool ok = false;
        const int n = QStringView(name).mid(stem.size()).toInt(&ok);
        if (ok && n > highest)
            highest = n;
    }
    QStringList names;
    for (int i = 1; i <= count; ++i)
        names << stem + QString::number(highest + i);
    return names;
}

QString AccountBatch::defaultPrefix(const QString &presetId)
{
    QString prefix = presetId;
    if (prefix.endsWith(u"-anthropic"))
        prefix.chop(10);
    if (prefix.startsWith(u"other-"))
        return u"account"_s;
    return prefix;
}
