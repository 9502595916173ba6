// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretmask.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace SecretMask {

QString value(const QString &secret)
{
    return secret.size() <= 4 ? u"…"_s : u"…"_s + secret.right(4);
}

QString text(const QString &text, const QString &secret)
{
    QString masked = text;
    // The account's own key first: it may have any shape.
    if (secret.size() >= 8)
        masked.replace(secret, value(secret));
    static const QRegularExpression keys(
        uR"((sk-[A-Za-z0-9_\-]{8,}|sbk_[A-Za-z0-9_\-]{8,}|AIza[A-Za-z0-9_\-]{20,})"
        uR"(|(?<=Bearer )[A-Za-z0-9_\-\.=]{8,}))"_s,
        QRegularExpression::CaseInsensitiveOption);
    QString out;
    qsizetype last = 0;
    for (const QRegularExpressionMatch &match : keys.globalMatch(masked)) {
        out += QStringView(masked).sliced(last, match.capturedStart() - last);
        out += value(match.captured());
        last = match.capturedEnd();
    }
    out += QStringView(masked).sliced(last);
    return out;
}

} // namespace SecretMask
