// SPDX-License-Identifier: GPL-3.0-or-later
#include "logspage.h"

#include "backend.h"

LogsPage::LogsPage(Backend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{ }
