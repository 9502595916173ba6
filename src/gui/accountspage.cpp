// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountspage.h"

#include "backend.h"

AccountsPage::AccountsPage(Backend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{ }

void AccountsPage::addAccount() { }
