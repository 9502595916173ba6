// SPDX-License-Identifier: GPL-3.0-or-later
#include "validationrun.h"

#include "gui/accounts/accountstatus.h"

void ValidationRun::start(const QList<QUuid> &ids)
{
    if (m_waiting.isEmpty()) {
        m_total = 0;
        m_stopped = false;
        m_results.clear();
    }
    for (const QUuid &id : ids) {
        if (!m_waiting.contains(id)) {
            m_waiting.insert(id);
            ++m_total;
        }
    }
}

bool ValidationRun::answer(const ValidationResult &result)
{
    if (!m_waiting.remove(result.accountId))
        return false;
    m_results.append(result);
    return true;
}

void ValidationRun::forget(const std::function<bool(const QUuid &)> &exists)
{
    for (auto it = m_waiting.begin(); it != m_waiting.end();) {
        if (!exists(*it))
            it = m_waiting.erase(it);
        else
            ++it;
    }
}

void ValidationRun::stop()
{
    if (m_waiting.isEmpty())
        return;
    m_waiting.clear();
    m_stopped = true;
}

bool ValidationRun::failed() const
{
    return m_stopped
        || std::any_of(m_results.cbegin(), m_results.cend(),
                       [](const ValidationResult &r) { return !r.ok; });
}

QString ValidationRun::progressText() const
{
    return tr("%1 of %2").arg(answered()).arg(m_total);
}

QString ValidationRun::statusText() const
{
    if (isWaiting())
        return tr("Validating %1 of %2…").arg(std::min(answered() + 1, m_total)).arg(m_total);
    if (m_stopped) {
        return tr("The check stopped because the local endpoint stopped: %1 of %2 accounts "
                  "answered.")
            .arg(m_results.size())
            .arg(m_total);
    }
    return AccountStatus::summary(m_results);
}

QString ValidationRun::details(const std::function<QString(const QUuid &)> &name) const
{
    QStringList lines;
    for (const ValidationResult &r : m_results)
        lines << tr("%1: %2").arg(name(r.accountId), AccountStatus::resultText(r));
    return lines.join(u'\n');
}
