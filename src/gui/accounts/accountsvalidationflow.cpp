// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountsvalidationflow.h"

#include "gui/accounts/accountstatus.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statusline.h"

AccountsValidationFlow::AccountsValidationFlow(RuntimeFacade &runtime, StatusLine &status,
                                               QObject *parent)
    : QObject(parent)
    , m_runtime(runtime)
    , m_status(status)
{
    connect(&runtime, &RuntimeFacade::validated, this, &AccountsValidationFlow::onValidated);
    connect(&runtime, &RuntimeFacade::gatewayStateChanged, this, [this] {
        // A stopped endpoint answers nothing more: end the run instead of waiting forever.
        if (m_runtime.gatewayState() != RuntimeFacade::GatewayState::Running && m_run.isWaiting()) {
            m_run.stop();
            showProgress();
        }
    });
    connect(&runtime, &RuntimeFacade::accountsChanged, this, [this] {
        // An account deleted mid-run will not answer (the gateway skips it): stop waiting
        // for it. A disabled one is still checked once asked, so it stays on the list.
        m_run.forget([this](const QUuid &id) { return m_runtime.account(id) != nullptr; });
        if (m_run.isActive())
            showProgress();
    });
}

bool AccountsValidationFlow::gatewayRunning()
{
    if (m_runtime.gatewayState() == RuntimeFacade::GatewayState::Running)
        return true;
    m_status.setStatus(
        [] { return tr("The local gateway is stopped: start it to validate accounts."); }, true);
    return false;
}

void AccountsValidationFlow::validate(const QList<QUuid> &ids)
{
    if (ids.isEmpty() || !gatewayRunning())
        return;
    start(ids);
    for (const QUuid &id : ids)
        m_runtime.validate(id);
}

void AccountsValidationFlow::validateAll()
{
    if (!gatewayRunning())
        return;
    QList<QUuid> ids;
    for (const Account &a : m_runtime.accounts()) {
        if (a.enabled)
            ids << a.id;
    }
    if (ids.isEmpty()) {
        m_status.setStatus(
            [] { return tr("Every account is disabled: enable one to validate it."); }, true);
        return;
    }
    start(ids);
    m_runtime.validateAll();
}

void AccountsValidationFlow::start(const QList<QUuid> &ids)
{
    m_run.start(ids);
    showProgress();
}

void AccountsValidationFlow::onValidated(const ValidationResult &result)
{
    m_lastResults.insert(result.accountId, result);
    if (m_run.answer(result))
        showProgress();
}

void AccountsValidationFlow::showProgress()
{
    // A copy: the texts are rendered again after a language change, when the run moved on.
    const ValidationRun run = m_run;
    if (run.isWaiting()) {
        m_status.setProgress(run.answered(), run.total(), run.progressText());
        m_status.setStatus([run] { return run.statusText(); });
        return;
    }
    m_status.hideProgress();
    m_status.setStatus([run] { return run.statusText(); }, run.failed(),
                       [this, run] {
                           return run.details([this](const QUuid &id) {
                               const Account *a = m_runtime.account(id);
                               return a ? a->name : id.toString();
                           });
                       });
    if (m_run.isActive()) {
        m_run.finish();
        Q_EMIT finished(run.statusText());
    }
}

QString AccountsValidationFlow::lastResult(const QUuid &id) const
{
    const auto it = m_lastResults.constFind(id);
    return it == m_lastResults.cend() ? QString() : AccountStatus::resultText(*it);
}
