// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomepage.h"

#include "backend.h"

WelcomePage::WelcomePage(Backend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{ }
