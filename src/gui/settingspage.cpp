// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingspage.h"

#include "backend.h"

SettingsPage::SettingsPage(Backend &backend, QWidget *parent)
    : QWidget(parent)
    , m_backend(backend)
{ }

void SettingsPage::createAccessKey() { }

void SettingsPage::showConnect() { }
