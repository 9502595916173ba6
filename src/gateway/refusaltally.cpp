// SPDX-License-Identifier: GPL-3.0-or-later
#include "refusaltally.h"

void RefusalTally::add(const Admission::Decision &decision, const QDateTime &now)
{
    auto same = [&decision](const AdmissionRefusal &r) {
        return r.status == decision.status && r.client == decision.client;
    };
    auto it = std::find_if(m_pending.begin(), m_pending.end(), same);
    if (it == m_pending.end() && m_pending.size() >= maxClients) {
        // Full: the last line stands for every client beyond.
        it = m_pending.end() - 1;
        it->client = tr("other clients");
        it->reason = tr("Several clients were refused; each was told why.");
    }
    if (it == m_pending.end()) {
        m_pending.append(
            {now, decision.status, decision.errorType, decision.client, decision.message, 0});
        it = m_pending.end() - 1;
    }
    it->time = now;
    ++it->count;
}
