// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/accounts/validationrun.h"

#include <QHash>
#include <QObject>
#include <QUuid>

class RuntimeFacade;
class StatusLine;

/// The accounts page's "Validate" and "Validate all": asks the gateway, follows the answers
/// (a ValidationRun) as progress and then a summary on the status line, ends the run when
/// the endpoint stops or an account is deleted, and keeps each account's latest result.
class AccountsValidationFlow final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountsValidationFlow)

public:
    AccountsValidationFlow(RuntimeFacade &runtime, StatusLine &status, QObject *parent);

    void validate(const QList<QUuid> &ids);
    /// Every enabled account: the gateway checks no other.
    void validateAll();
    bool isValidating() const { return m_run.isWaiting(); }
    /// The latest outcome for the account ("Valid · 230 ms" or the reason); empty if none.
    QString lastResult(const QUuid &id) const;

Q_SIGNALS:
    void finished(const QString &summary);

private:
    /// Says so on the status line when the endpoint is not running.
    bool gatewayRunning();
    void start(const QList<QUuid> &ids);
    void onValidated(const ValidationResult &result);
    void showProgress();

    RuntimeFacade &m_runtime;
    StatusLine &m_status;
    ValidationRun m_run;
    /// The latest result of every account validated while the page exists.
    QHash<QUuid, ValidationResult> m_lastResults;
};
