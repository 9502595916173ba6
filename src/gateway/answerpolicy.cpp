// SPDX-License-Identifier: GPL-3.0-or-later
#include "answerpolicy.h"

#include "gateway/apierror.h"

using namespace Qt::StringLiterals;

namespace {

UpstreamOutcome unusable(const QString &problem)
{
    UpstreamOutcome outcome;
    outcome.transport = UpstreamOutcome::Transport::Unusable;
    outcome.networkError = problem;
    return outcome;
}

constexpr qsizetype mebibytes(qsizetype bytes)
{
    return bytes / (1024 * 1024);
}

} // namespace

std::optional<UpstreamOutcome> AnswerPolicy::refusal(int status, bool eventStream,
                                                     bool clientStreams, qsizetype bodyBytes)
{
    if (!eventStream && bodyBytes > maxBodyBytes)
        return unusable(
            tr("the upstream's answer is larger than %1 MiB").arg(mebibytes(maxBodyBytes)));
    // Errors come as one JSON body whatever was asked for, as the API sends them.
    if (status != 200 || eventStream == clientStreams)
        return std::nullopt;
    return unusable(eventStream ? tr("the upstream answered with an event stream, but the "
                                     "client asked for one message")
                                : tr("the upstream answered with one message, but the client "
                                     "asked for an event stream"));
}

UpstreamOutcome AnswerPolicy::heldTooMuch()
{
    return unusable(tr("the upstream's stream sent more than %1 MiB before any content")
                        .arg(mebibytes(maxHeldBytes)));
}

SseEvent AnswerPolicy::eventTooLarge()
{
    return {"error"_ba,
            ApiError::body(u"api_error"_s,
                           tr("The upstream sent a stream event larger than %1 MiB.")
                               .arg(mebibytes(maxEventBytes)))};
}
