// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QString>

/// Which upstream answers the relay passes on (docs/protocol.md, "What clients get"): a
/// success in the form the client asked for, an event stream for `"stream": true` and one
/// JSON message otherwise. Anything else is the upstream's fault: the attempt fails over
/// as a transient error and the client never sees it. Pure.
class AnswerPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(AnswerPolicy)

public:
    /// Why the answer begun so far cannot be relayed, or an empty string. `status` is 0
    /// until the status line arrived; `eventStream`: a 200 of type text/event-stream.
    static QString refusal(int status, bool eventStream, bool clientStreams);
};
