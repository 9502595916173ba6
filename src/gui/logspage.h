// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class Backend;

/// Recent requests.
class LogsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsPage)

public:
    explicit LogsPage(Backend &backend, QWidget *parent = nullptr);

private:
    Backend &m_backend;
};
