// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless.h"

#include "accountstore.h"
#include "appcontext.h"
#include "clock.h"
#include "gateway.h"
#include "settingsstore.h"
#include "signalwatcher.h"

#include <QTextStream>

#include <cstdio>

HeadlessServer::HeadlessServer(StartOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

HeadlessServer::~HeadlessServer() = default;

void HeadlessServer::fail(const QString &message)
{
    QTextStream(stderr) << "switchboard: " << message << '\n';
    Q_EMIT finished(1);
}

void HeadlessServer::start()
{
    auto app = AppContext::open(m_options.app, Clock::system());
    if (!app)
        return fail(app.error().message);
    m_app = std::move(*app);
    auto settings = m_app->settings().load();
    if (!settings)
        return fail(settings.error().message);
    auto accounts = m_app->accounts().list();
    if (!accounts)
        return fail(accounts.error().message);

    auto *watcher = new SignalWatcher(this);
    m_gateway = new Gateway(this);
    connect(watcher, &SignalWatcher::terminationRequested, this, [this](int signalNumber) {
        QTextStream(stdout) << tr("Received signal %1, shutting down.").arg(signalNumber) << '\n';
        m_gateway->stop();
    });
    connect(m_gateway, &Gateway::started, this, [](const QHostAddress &address, quint16 port) {
        const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + address.toString() + u']'
            : address.toString();
        QTextStream(stdout) << tr("Switchboard is listening on http://%1:%2").arg(host).arg(port)
                            << Qt::endl;
    });
    connect(m_gateway, &Gateway::failed, this, &HeadlessServer::fail);
    connect(m_gateway, &Gateway::stopped, this, [this] { Q_EMIT finished(0); });

    m_gateway->setAccounts(*accounts);
    m_gateway->start(m_options.listenAddress.value_or(settings->listenAddress()),
                     m_options.listenPort.value_or(settings->listenPort()));
}
