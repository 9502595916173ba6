// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "account.h"

#include <QHostAddress>
#include <QMainWindow>

class QLabel;
class QTableWidget;

/// The main window: the local endpoint's address and state, and the accounts.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget *parent = nullptr);

    void setAccounts(const QList<Account> &accounts);
    void showGatewayStarted(const QHostAddress &address, quint16 port);
    void showGatewayFailed(const QString &message);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();

    QLabel *m_endpoint = nullptr;
    QTableWidget *m_table = nullptr;
    QList<Account> m_accounts;
    QString m_endpointUrl;
    QString m_gatewayError;
};
