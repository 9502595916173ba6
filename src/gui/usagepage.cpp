// SPDX-License-Identifier: GPL-3.0-or-later
#include "usagepage.h"

#include "backend.h"

UsagePage::UsagePage(Backend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{ }
