// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/admission.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QMetaType>

/// Requests refused at admission from one client with one status, since the last look.
struct AdmissionRefusal
{
    QDateTime time; ///< of the latest
    int status = 0;
    QString errorType;
    QString client; ///< Admission::Decision::client
    QString reason; ///< what the client was told
    int count = 0;
};

Q_DECLARE_METATYPE(AdmissionRefusal)

/// Refusals summed up per client and status between two looks, so that a flood of refused
/// requests costs the window a line per client, not one per request. Bounded: past
/// maxClients distinct clients the rest count as "other clients". Pure.
class RefusalTally final
{
    Q_DECLARE_TR_FUNCTIONS(RefusalTally)

public:
    static constexpr qsizetype maxClients = 16;

    void add(const Admission::Decision &decision, const QDateTime &now);
    bool isEmpty() const { return m_pending.isEmpty(); }
    /// What came since the last take(), oldest client first; empties the tally.
    QList<AdmissionRefusal> take() { return std::exchange(m_pending, {}); }

private:
    QList<AdmissionRefusal> m_pending;
};
