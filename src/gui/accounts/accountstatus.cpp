// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountstatus.h"

#include <QLocale>

using namespace Qt::StringLiterals;

StatusPalette::Role HealthBadge::role(Kind kind)
{
    using Role = StatusPalette::Role;
    switch (kind) {
    case Kind::Valid:
        return Role::Good;
    case Kind::Invalid:
        return Role::Error;
    case Kind::Cooling:
        return Role::Info;
    case Kind::Parked:
        return Role::Warning;
    case Kind::Unchecked:
    case Kind::UserDisabled:
        break;
    }
    return Role::Muted;
}

namespace {

/// The first clause of a reason, short enough for a badge; the tooltip has all of it.
QString shortReason(const QString &reason)
{
    constexpr qsizetype maxLength = 32;
    QString text = reason;
    // At the first clause break, in English or in Chinese (translated reasons).
    for (const QString &cut :
         {u" ("_s, u". "_s, u": "_s, u"; "_s, u"，"_s, u"。"_s, u"："_s, u"；"_s, u"（"_s}) {
        const qsizetype at = text.indexOf(cut);
        if (at > 0)
            text.truncate(at);
    }
    if (text.endsWith(u'.'))
        text.chop(1);
    if (text.size() > maxLength)
        text = text.left(maxLength - 1).trimmed() + u'…';
    return text;
}

} // namespace

HealthBadge AccountStatus::badge(const Account &account, const QDateTime &now)
{
    const AccountHealth &h = account.health;
    HealthBadge badge;
    badge.reason = h.reason;
    if (!account.enabled) {
        badge.kind = HealthBadge::Kind::UserDisabled;
        badge.text = tr("Disabled");
        badge.reason = tr("Switched off by you: enable it to use it again.");
        return badge;
    }
    // A key the provider rejected stays red even while a cooldown runs: only the user fixes it.
    if (h.state != HealthState::Invalid && h.cooldownUntil.isValid() && h.cooldownUntil > now) {
        badge.kind = HealthBadge::Kind::Cooling;
        badge.cooling = true;
        // Round up, so the badge never says "0 s left" while still cooling.
        const qint64 left = (now.msecsTo(h.cooldownUntil) + 999) / 1000;
        badge.text = tr("Cooling down · %1").arg(timeLeft(left));
        return badge;
    }
    switch (h.state) {
    case HealthState::Valid:
        badge.kind = HealthBadge::Kind::Valid;
        badge.text = tr("Valid");
        break;
    case HealthState::Invalid:
        badge.kind = HealthBadge::Kind::Invalid;
        badge.text = tr("Invalid key");
        break;
    case HealthState::Disabled:
        badge.kind = HealthBadge::Kind::Parked;
        badge.text
            = h.reason.isEmpty() ? tr("Parked") : tr("Parked · %1").arg(shortReason(h.reason));
        break;
    case HealthState::Unknown:
        badge.kind = HealthBadge::Kind::Unchecked;
        if (h.lastValidated.isValid() && !h.validationMessage.isEmpty()) {
            // Checked, but no verdict on the key: the provider could not be reached.
            badge.text = tr("Check failed");
            if (badge.reason.isEmpty())
                badge.reason = h.validationMessage;
        } else {
            badge.text = tr("Not checked yet");
        }
        break;
    }
    return badge;
}

QString AccountStatus::kindName(HealthBadge::Kind kind)
{
    switch (kind) {
    case HealthBadge::Kind::Valid:
        return tr("Valid");
    case HealthBadge::Kind::Unchecked:
        return tr("Not checked yet");
    case HealthBadge::Kind::Invalid:
        return tr("Invalid key");
    case HealthBadge::Kind::Cooling:
        return tr("Cooling down");
    case HealthBadge::Kind::Parked:
        return tr("Parked");
    case HealthBadge::Kind::UserDisabled:
        break;
    }
    return tr("Disabled");
}

QString AccountStatus::timeLeft(qint64 seconds)
{
    seconds = std::max<qint64>(seconds, 0);
    if (seconds < 60)
        return tr("%n s left", nullptr, int(seconds));
    const qint64 minutes = (seconds + 59) / 60;
    if (minutes < 60)
        return tr("%n min left", nullptr, int(minutes));
    const qint64 hours = minutes / 60;
    if (hours >= 24)
        return tr("%n d left", nullptr, int((hours + 23) / 24));
    return tr("%1 h %2 min left").arg(hours).arg(minutes % 60);
}

QString AccountStatus::relativeTime(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return tr("never");
    const qint64 seconds = time.secsTo(now);
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%n min ago", nullptr, int(seconds / 60));
    if (seconds < 24 * 3600)
        return tr("%n h ago", nullptr, int(seconds / 3600));
    return tr("%n d ago", nullptr, int(seconds / (24 * 3600)));
}

QString AccountStatus::resultText(const ValidationResult &result)
{
    if (result.ok)
        return tr("Valid · %1 ms").arg(result.latencyMs);
    if (!result.message.isEmpty())
        return result.message;
    return tr("The check failed without a message.");
}

QString AccountStatus::summary(const QList<ValidationResult> &results)
{
    int valid = 0, invalid = 0, parked = 0, cooling = 0, failed = 0;
    for (const ValidationResult &r : results) {
        if (r.ok)
            ++valid;
        else if (r.verdict.effect == Verdict::Effect::Invalid)
            ++invalid;
        else if (r.verdict.effect == Verdict::Effect::Park)
            ++parked;
        else if (r.verdict.effect == Verdict::Effect::Cooldown)
            ++cooling;
        else
            ++failed;
    }
    QStringList parts;
    if (valid)
        parts << tr("%n valid", nullptr, valid);
    if (invalid)
        parts << tr("%n invalid", nullptr, invalid);
    if (parked)
        parts << tr("%n parked", nullptr, parked);
    if (cooling)
        parts << tr("%n cooling down", nullptr, cooling);
    if (failed)
        parts << tr("%n could not be checked", nullptr, failed);
    if (parts.isEmpty())
        return tr("Nothing was checked.");
    return parts.join(tr(", ", "separator of the validation summary"));
}
