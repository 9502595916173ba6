// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless.h"

#include "accesskeystore.h"
#include "accountstore.h"
#include "appcontext.h"
#include "clock.h"
#include "gateway.h"
#include "secretstore.h"
#include "settingsstore.h"
#include "signalwatcher.h"
#include "usagerecord.h"

#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>

namespace {

Q_LOGGING_CATEGORY(lcHeadless, "switchboard.headless", QtInfoMsg)

// How often changes made by other processes (the command line) are picked up.
constexpr int reloadIntervalMs = 5000;

} // namespace

HeadlessServer::HeadlessServer(StartOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

HeadlessServer::~HeadlessServer() = default;

void HeadlessServer::fail(const QString &message)
{
    QTextStream(stderr) << "switchboard: " << message << '\n';
    Q_EMIT finished(1);
}

bool HeadlessServer::reload()
{
    auto settings = m_app->settings().load();
    auto accounts = m_app->accounts().list();
    auto keys = m_app->accessKeys().list();
    for (const Error *error : {settings ? nullptr : &settings.error(),
                               accounts ? nullptr : &accounts.error(), keys ? nullptr : &keys.error()}) {
        if (error) {
            qCWarning(lcHeadless).noquote() << "Cannot reload:" << error->message;
            return false;
        }
    }
    m_gateway->setSettings(*settings);
    m_gateway->setAccessKeys(*keys);
    m_gateway->setAccounts(*accounts);
    return true;
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

    auto *watcher = new SignalWatcher(this);
    const AppOptions appOptions = m_options.app;
    m_gateway = new Gateway(Clock::system(), [appOptions] { return AppContext::makeSecretStore(appOptions); }, this);
    connect(watcher, &SignalWatcher::terminationRequested, this, [this](int signalNumber) {
        QTextStream(stdout) << tr("Received signal %1, shutting down.").arg(signalNumber) << Qt::endl;
        m_reload.stop();
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
    connect(m_gateway, &Gateway::healthChanged, this, [this](const QUuid &id, const AccountHealth &health) {
        if (Status saved = m_app->accounts().updateHealth(id, health); !saved)
            qCWarning(lcHeadless).noquote() << "Cannot save account health:" << saved.error().message;
    });
    connect(m_gateway, &Gateway::accountInvalidated, this,
            [](const QUuid &, const QString &name, const QString &reason) {
                qCWarning(lcHeadless).noquote() << "Account" << name << "was disabled:" << reason;
            });
    connect(m_gateway, &Gateway::requestFinished, this, &HeadlessServer::logRequest);

    if (!reload())
        return fail(tr("Cannot read the accounts from the database."));
    connect(&m_reload, &QTimer::timeout, this, &HeadlessServer::reload);
    m_reload.start(reloadIntervalMs);
    m_gateway->start(m_options.listenAddress.value_or(settings->listenAddress()),
                     m_options.listenPort.value_or(settings->listenPort()));
}

void HeadlessServer::logRequest(const UsageRecord &r)
{
    qCInfo(lcHeadless).noquote() << r.model << r.status << r.latencyMs << "ms" << r.path;
}
