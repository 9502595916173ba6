// SPDX-License-Identifier: GPL-3.0-or-later
#include "upstreamoutcome.h"

QByteArray UpstreamOutcome::header(const QByteArray &lowercaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowercaseName)
            return value;
    }
    return {};
}
