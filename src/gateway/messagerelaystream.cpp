// SPDX-License-Identifier: GPL-3.0-or-later
// The relay's streams: events through the gate to the client, and how a stream ends once
// content has reached the client.
#include "core/clock.h"
#include "gateway/apierror.h"
#include "gateway/failureclassifier.h"
#include "gateway/gatewayparts.h"
#include "gateway/healthbook.h"
#include "gateway/messagerelay.h"
#include "gateway/relaydebug.h"
#include "gateway/router.h"
#include "gateway/upstreamreply.h"

using namespace Qt::StringLiterals;

void MessageRelay::handleEvents(const QList<SseEvent> &events)
{
    for (qsizetype i = 0; i < events.size() && !m_done; ++i) {
        m_thinking.eventSeen(events[i]);
        const StreamGate::Decision decision = m_attempt.gate.take(events[i]);
        m_attempt.takeUsage(decision.usage);
        switch (decision.action) {
        case StreamGate::Action::Hold:
            break;
        case StreamGate::Action::Commit:
            commitStream();
            Q_FALLTHROUGH();
        case StreamGate::Action::Write:
            writeEvent(events[i]);
            break;
        case StreamGate::Action::FailOver:
            // Nothing reached the client yet: this account failed, try the next.
            dropReply();
            if (judge(decision.outcome))
                nextAttempt();
            return;
        case StreamGate::Action::End:
            // A translated stream closes the message after its error (message_delta, stop).
            for (qsizetype rest = i; rest < events.size(); ++rest)
                writeEvent(events[rest]);
            return endCommittedStream(
                FailureClassifier::classify(decision.outcome, m_ctx.cooldowns, m_ctx.clock.now()),
                decision.errorType);
        }
    }
}

void MessageRelay::commitStream()
{
    m_usage.firstTokenMs = int(m_elapsed.elapsed());
    m_client.beginStream(m_attempt.relayedHeaders(m_reply->headers()));
    const QList<SseEvent> held = m_attempt.gate.takeHeld();
    for (const SseEvent &event : held)
        writeEvent(event);
}

void MessageRelay::writeEvent(const SseEvent &event)
{
    const QByteArray wire = event.serialize();
    if (m_ctx.settings.debugLogging() && m_debugResponse.size() < RelayDebug::bodyLimit)
        m_debugResponse += wire;
    m_client.streamChunk(wire);
    m_ping.start();
    m_pacer.check();
}

void MessageRelay::endCommittedStream(const Verdict &verdict, const QString &errorType)
{
    dropReply();
    m_ctx.health.apply(m_attempt.account, verdict, m_ctx.cooldowns);
    m_ctx.router.endAttempt(m_attempt.account);
    m_path << u"%1 %2"_s.arg(m_attempt.accountName, errorType.isEmpty() ? u"200"_s : errorType);
    m_client.endStream();
    // The client saw a 200, but a stream ended by an error is a failed request.
    finish(errorType.isEmpty() ? 200 : ApiError::statusForType(errorType), errorType);
}

void MessageRelay::endBrokenStream(bool timedOut)
{
    // Content already reached the client: the stream ends with an error event.
    const QString message
        = tr("The upstream stream ended early (%1).")
              .arg(timedOut                               ? tr("no data for too long")
                       : m_reply->errorString().isEmpty() ? tr("it closed without message_stop")
                                                          : m_reply->errorString());
    if (m_attempt.translator) {
        for (const SseEvent &event : m_attempt.translator->fail(u"api_error"_s, message))
            writeEvent(event);
    } else {
        writeEvent({"error", ApiError::body(u"api_error"_s, message)});
    }
    UpstreamOutcome broken;
    broken.transport
        = timedOut ? UpstreamOutcome::Transport::Timeout : UpstreamOutcome::Transport::Reset;
    broken.networkError = message;
    endCommittedStream(FailureClassifier::classify(broken, m_ctx.cooldowns, m_ctx.clock.now()),
                       u"api_error"_s);
}
