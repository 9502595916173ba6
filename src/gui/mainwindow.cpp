// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QStatusBar>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    m_endpoint = new QLabel(central);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_endpoint->setWordWrap(true);
    m_table = new QTableWidget(0, 5, central);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_endpoint);
    layout->addWidget(m_table);
    setCentralWidget(central);
    resize(820, 480);
    retranslate();
}

void MainWindow::setAccounts(const QList<Account> &accounts)
{
    m_accounts = accounts;
    retranslate();
}

void MainWindow::showGatewayStarted(const QHostAddress &address, quint16 port)
{
    m_endpointUrl = u"http://%1:%2"_s.arg(address.toString()).arg(port);
    m_gatewayError.clear();
    retranslate();
}

void MainWindow::showGatewayFailed(const QString &message)
{
    m_endpointUrl.clear();
    m_gatewayError = message;
    retranslate();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("Switchboard"));
    if (!m_gatewayError.isEmpty())
        m_endpoint->setText(tr("The local endpoint is not running: %1").arg(m_gatewayError));
    else if (m_endpointUrl.isEmpty())
        m_endpoint->setText(tr("Starting the local endpoint…"));
    else
        m_endpoint->setText(
            tr("Local endpoint: %1 (set ANTHROPIC_BASE_URL to this address)").arg(m_endpointUrl));

    m_table->setHorizontalHeaderLabels(
        {tr("Name"), tr("Provider"), tr("Tier"), tr("Priority"), tr("Status")});
    m_table->setRowCount(int(m_accounts.size()));
    for (int row = 0; row < m_accounts.size(); ++row) {
        const Account &a = m_accounts[row];
        QString status;
        if (!a.enabled)
            status = tr("Disabled");
        else if (a.health.state == HealthState::Valid)
            status = tr("Valid");
        else if (a.health.state == HealthState::Invalid)
            status = tr("Invalid key");
        else if (a.health.state == HealthState::Disabled)
            status = tr("Parked: %1").arg(a.health.reason);
        else
            status = tr("Not checked yet");
        const QStringList cells = {a.name, toString(a.provider), QString::number(a.tier),
                                   QString::number(a.priority), status};
        for (int column = 0; column < cells.size(); ++column)
            m_table->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
    if (m_accounts.isEmpty())
        statusBar()->showMessage(tr("No accounts yet: add one with switchboard accounts add."));
    else
        statusBar()->clearMessage();
}
