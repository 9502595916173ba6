// SPDX-License-Identifier: GPL-3.0-or-later
#include "guifixture.h"

#include "core/accountservice.h"
#include "core/localization.h"
#include "core/storageworker.h"
#include "support/testtimeout.h"

#include <QJsonArray>
#include <QXYSeries>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTest>

using namespace Qt::StringLiterals;

double sumY(const QXYSeries *series)
{
    double sum = 0;
    for (const QPointF &point : series->points())
        sum += point.y();
    return sum;
}

GuiFixture::GuiFixture(Secrets secrets, Time time)
{
    // As the app starts: in the system's language, English here (with its plural forms).
    Localization::install(u"system"_s);
    m_options.dataDir = m_dir.path();
    if (secrets == Secrets::File)
        m_options.secretsFile = m_dir.filePath(u"secrets.json"_s);
    if (time == Time::Fake)
        m_fakeClock = std::make_unique<FakeClock>(m_clock.now());
    m_runtime = std::make_unique<Runtime>(m_options, m_clock);
    m_facade = std::make_unique<RuntimeFacade>(*m_runtime, clock());
}

const Clock &GuiFixture::clock() const
{
    if (m_fakeClock)
        return *m_fakeClock;
    return m_clock;
}

GuiFixture::~GuiFixture()
{
    m_facade.reset();
    m_runtime.reset();
}

bool GuiFixture::start()
{
    m_runtime->start(QHostAddress(QHostAddress::LocalHost), 0);
    return QTest::qWaitFor(
        [this] {
            return m_facade->isLoaded()
                && m_facade->gatewayState() == RuntimeFacade::GatewayState::Running;
        },
        testTimeout());
}

bool GuiFixture::restart()
{
    m_facade.reset();
    m_runtime.reset();
    m_runtime = std::make_unique<Runtime>(m_options, m_clock);
    m_facade = std::make_unique<RuntimeFacade>(*m_runtime, clock());
    return start();
}

AppContext &GuiFixture::stores()
{
    if (!m_stores) {
        auto opened = AppContext::open(m_options, m_clock);
        if (!opened)
            qFatal("Cannot open the test stores: %s", qPrintable(opened.error().message));
        m_stores = std::move(*opened);
    }
    return *m_stores;
}

Account GuiFixture::addAccount(const QString &name, const QString &secret, ProviderKind kind,
                               const QUrl &baseUrl, bool enabled)
{
    Account draft;
    draft.name = name;
    draft.provider = kind;
    draft.authStyle = defaultAuthStyle(kind);
    draft.enabled = enabled;
    // Never the real provider: tests talk to 127.0.0.1 only (port 1 refuses at once).
    draft.baseUrl = baseUrl.isEmpty() ? QUrl(u"http://127.0.0.1:1"_s) : baseUrl;
    std::optional<Result<Account>> created;
    stores().accountService().create(draft, secret, [&created](Result<Account> r) { created = r; });
    if (!QTest::qWaitFor([&created] { return created.has_value(); }, testTimeout()) || !*created)
        qFatal("Cannot seed account %s: %s", qPrintable(name),
               created ? qPrintable(created->error().message) : "timeout");
    reload();
    return **created;
}

void GuiFixture::reload()
{
    QMetaObject::invokeMethod(&m_runtime->storage(), &StorageWorker::reload);
}

QList<int> GuiFixture::sendMessages(const QString &key, int count, const QString &model)
{
    QNetworkAccessManager network;
    QList<int> statuses;
    for (int i = 0; i < count; ++i) {
        QNetworkRequest request(QUrl(m_facade->endpointUrl() + u"/v1/messages"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("x-api-key", key.toUtf8());
        request.setRawHeader("anthropic-version", "2023-06-01");
        const QJsonObject body {
            {u"model"_s, model},
            {u"max_tokens"_s, 16},
            {u"messages"_s,
             QJsonArray {QJsonObject {{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}}};
        QNetworkReply *reply = network.post(request, QJsonDocument(body).toJson());
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, testTimeout()))
            return statuses;
        statuses.append(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
        delete reply;
    }
    return statuses;
}
