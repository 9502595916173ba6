// SPDX-License-Identifier: GPL-3.0-or-later
#include "answerpolicy.h"

QString AnswerPolicy::refusal(int status, bool eventStream, bool clientStreams)
{
    // Errors come as one JSON body whatever was asked for, as the API sends them.
    if (status != 200 || eventStream == clientStreams)
        return {};
    return eventStream ? tr("the upstream answered with an event stream, but the client asked "
                            "for one message")
                       : tr("the upstream answered with one message, but the client asked for "
                            "an event stream");
}
