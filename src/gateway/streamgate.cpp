// SPDX-License-Identifier: GPL-3.0-or-later
#include "streamgate.h"

#include "gateway/answerpolicy.h"
#include "gateway/apierror.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QJsonObject parsed(const QByteArray &data)
{
    return QJsonDocument::fromJson(data).object();
}

} // namespace

StreamGate::Decision StreamGate::take(const SseEvent &event)
{
    Decision decision;
    if (event.event == "message_start") {
        decision.usage = parsed(event.data).value(u"message").toObject().value(u"usage").toObject();
    } else if (event.event == "message_delta") {
        decision.usage = parsed(event.data).value(u"usage").toObject();
    } else if (event.event == "message_stop") {
        m_sawStop = true;
    } else if (event.event == "error") {
        // An error event has no status of its own: its type stands for one.
        decision.errorType
            = parsed(event.data).value(u"error").toObject().value(u"type").toString();
        decision.outcome.status = ApiError::statusForType(decision.errorType);
        decision.outcome.body = event.data;
        decision.action = m_committed ? Action::End : Action::FailOver;
        return decision;
    }
    if (m_committed)
        return decision;
    if (event.event == "message_start" || event.event == "ping") {
        m_heldBytes += event.data.size();
        if (m_heldBytes > AnswerPolicy::maxHeldBytes) {
            decision.action = Action::FailOver;
            decision.outcome = AnswerPolicy::heldTooMuch();
            return decision;
        }
        m_held.append(event);
        decision.action = Action::Hold;
    } else {
        m_committed = true;
        decision.action = Action::Commit;
    }
    return decision;
}
