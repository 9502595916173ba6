// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class Backend;

/// Live usage charts.
class UsagePage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(UsagePage)

public:
    explicit UsagePage(Backend &backend, QWidget *parent = nullptr);

private:
    Backend &m_backend;
};
