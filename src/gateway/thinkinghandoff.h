// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gateway/clientrequest.h"
#include "gateway/sse.h"
#include "gateway/thinkingblocks.h"

#include <QCoreApplication>
#include <QStringList>
#include <QUuid>

class HealthBook;
struct UpstreamOutcome;

/// One request's signed thinking as it moves between accounts (docs/protocol.md): what each
/// attempt at an Anthropic-format account may carry, which account signed what (learned
/// from the requests accounts accept and the answers they give), and the one retry when an
/// account refuses thinking the gateway did not know to be foreign.
class ThinkingHandoff final
{
    Q_DECLARE_TR_FUNCTIONS(ThinkingHandoff)

public:
    /// `accounts` names the signers in the usage log's note.
    ThinkingHandoff(SignatureBook &book, const HealthBook &accounts);

    /// A new attempt (any account, any format): nothing of the last one's changes remains.
    void begin(const QUuid &account);
    /// The request as the attempted account may get it: without the thinking blocks another
    /// account signed (after a refusal: every block not known to be its own), and with
    /// thinking turned off when a tool loop lost its leading block (`thinking`, its betas and
    /// context edits go). The same request when nothing has to change.
    const ClientRequest &requestFor(const ClientRequest &request);
    /// What this attempt changed, for the usage log: "thinking dropped: signed by work";
    /// empty when nothing.
    const QString &note() const { return m_note; }

    /// A stream event of the attempt's answer (only signature-carrying events are parsed).
    void eventSeen(const SseEvent &event);
    /// The attempt's JSON answer.
    void answerSeen(const QJsonObject &answer);
    /// The attempt succeeded: the thinking it was sent is its own.
    void succeeded();
    /// True when the attempted account refused the thinking it got and should be tried
    /// again without every block not known to be its own (once per request). Not the
    /// client's mistake nor the account's: nothing to count against either.
    bool retryAfter(const UpstreamOutcome &outcome);

private:
    SignatureBook &m_book;
    const HealthBook &m_accounts;
    QUuid m_account;
    bool m_strict = false;
    ClientRequest m_rewritten;
    QString m_note;
    QStringList m_sent; ///< signatures the attempt's request carried
};
