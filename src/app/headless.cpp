// SPDX-License-Identifier: GPL-3.0-or-later
#include "headless.h"

#include "app/signalwatcher.h"
#include "core/usagerecord.h"
#include "gateway/runtime.h"

#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {
Q_LOGGING_CATEGORY(lcHeadless, "switchboard.headless", QtInfoMsg)
}

HeadlessServer::HeadlessServer(StartOptions options, const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_clock(clock)
{ }

HeadlessServer::~HeadlessServer() = default;

void HeadlessServer::fail(const QString &message)
{
    QTextStream(stderr) << "switchboard: " << message << '\n';
    Q_EMIT finished(1);
}

void HeadlessServer::start()
{
    m_runtime = std::make_unique<Runtime>(m_options.app, m_clock);
    Gateway &gateway = m_runtime->gateway();

    auto *watcher = new SignalWatcher(this);
    connect(watcher, &SignalWatcher::terminationRequested, this, [this](int signalNumber) {
        QTextStream(stdout) << tr("Received signal %1, shutting down.").arg(signalNumber)
                            << Qt::endl;
        if (m_runtime->gateway().isRunning())
            m_runtime->stop();
        else
            Q_EMIT finished(0);
    });
    connect(&gateway, &Gateway::started, this, [](const QHostAddress &address, quint16 port) {
        const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + address.toString() + u']'
            : address.toString();
        QTextStream(stdout) << tr("Switchboard is listening on http://%1:%2").arg(host).arg(port)
                            << Qt::endl;
    });
    connect(&gateway, &Gateway::failed, this, &HeadlessServer::fail);
    connect(m_runtime.get(), &Runtime::failed, this, &HeadlessServer::fail);
    connect(&gateway, &Gateway::stopped, this, [this] { Q_EMIT finished(0); });
    connect(&gateway, &Gateway::requestFinished, this, &HeadlessServer::logRequest);
    connect(&gateway, &Gateway::accountInvalidated, this,
            [](const QUuid &, const QString &name, const QString &reason) {
                qCWarning(lcHeadless).noquote() << "Account" << name << "was disabled:" << reason;
            });
    m_runtime->start(m_options.listenAddress, m_options.listenPort);
}

void HeadlessServer::logRequest(const UsageRecord &r)
{
    qCInfo(lcHeadless).noquote() << r.status << r.model << r.latencyMs << "ms"
                                 << (r.path.isEmpty() ? u"(no account)"_s : r.path);
}
