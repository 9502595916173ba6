// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/upstreamvalidator.h"

#include <QCoreApplication>
#include <QList>
#include <QSet>
#include <QUuid>

#include <functional>

/// One "Validate" run of the accounts page: which accounts were asked, which answered, and
/// whether the run ended early, and what to say about it. Pure: no widgets, no clock.
class ValidationRun
{
    Q_DECLARE_TR_FUNCTIONS(ValidationRun)

public:
    /// Waits for these accounts too; starts a new run when none is in progress.
    void start(const QList<QUuid> &ids);
    /// Records an answer; false if nobody waited for this account.
    bool answer(const ValidationResult &result);
    /// Stops waiting for the accounts that no longer exist: the gateway skips them.
    void forget(const std::function<bool(const QUuid &)> &exists);
    /// The endpoint stopped: nothing more will answer, the run ends now.
    void stop();
    /// The end was reported: the next start() begins a new run.
    void finish() { m_total = 0; }

    bool isWaiting() const { return !m_waiting.isEmpty(); }
    /// A run that started and whose end was not reported yet.
    bool isActive() const { return m_total > 0; }
    bool wasStopped() const { return m_stopped; }
    int total() const { return m_total; }
    int answered() const { return m_total - int(m_waiting.size()); }
    const QList<ValidationResult> &results() const { return m_results; }
    /// Some account failed, or the run stopped before every answer.
    bool failed() const;

    /// "2 of 5", for the progress bar.
    QString progressText() const;
    /// "Validating 3 of 5…" while waiting, then the summary ("4 valid, 1 invalid key") or
    /// why the run stopped.
    QString statusText() const;
    /// One line per answer: "name: Valid · 230 ms".
    QString details(const std::function<QString(const QUuid &)> &name) const;

private:
    QSet<QUuid> m_waiting;
    int m_total = 0;
    bool m_stopped = false;
    QList<ValidationResult> m_results;
};
