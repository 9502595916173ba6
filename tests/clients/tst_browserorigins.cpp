// SPDX-License-Identifier: GPL-3.0-or-later
// A real browser against the real gateway: headless Chromium loads pages from other origins
// that try to use `switchboard --headless` with a stolen access key (browser-page.html), and
// a page on an allowed origin that does the same as the positive control. Chromium's own
// network log says what the gateway answered each request; a ScriptedUpstream behind the
// gateway counts what got through.
//
// Chromium resolves names by --host-resolver-rules, nothing else:
//   evil.test, trusted.test → 127.0.0.1 (this test's page server, on a port of its own)
//   rebind.test             → 127.0.0.2, where RebindRelay listens on the gateway's port
#include "support/scriptedupstream.h"
#include "support/testservices.h"
#include "support/testtimeout.h"
#include "switchboardprocess.h"

#include <QFile>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <csignal>
#include <memory>
#include <optional>
#include <sys/prctl.h>
#include <tuple>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString pageFile = QStringLiteral(SWITCHBOARD_BROWSER_PAGE);

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// One request as Chromium's network log (--log-net-log) tells it.
struct NetRequest
{
    QString method;
    QUrl url;
    QString initiator; ///< the origin of the page that made it
    QByteArrayList sentHeaders; ///< "Name: value", as sent
    QList<int> statuses; ///< every response head read for it
    int netError = 0;

    QByteArray header(QByteArrayView name) const
    {
        for (const QByteArray &line : sentHeaders) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.first(colon).compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
    /// For a report: never the headers' values nor the page's key parameter.
    QString describe() const
    {
        QUrl shown = url;
        QUrlQuery query(shown);
        if (query.hasQueryItem(u"key"_s)) {
            query.removeAllQueryItems(u"key"_s);
            query.addQueryItem(u"key"_s, u"(hidden)"_s);
            shown.setQuery(query);
        }
        QString statusText;
        for (int status : statuses)
            statusText += QString::number(status) + u' ';
        return u"%1 %2 from %3 (Host %4, Origin %5) -> %6%7"_s.arg(
            method, shown.toString(), initiator, QString::fromLatin1(header("host")),
            QString::fromLatin1(header("origin")),
            statuses.isEmpty() ? u"no answer "_s : statusText,
            netError != 0 ? u"net error %1"_s.arg(netError) : QString());
    }
};

/// Reads the log Chromium wrote: the first line holds the constants (event type numbers),
/// then one event a line. Lines that do not parse (the closing ones) are skipped, so a log
/// cut short by a killed browser still reads.
QList<NetRequest> readNetLog(const QString &path)
{
    const QByteArrayList lines = readFile(path).split('\n');
    if (lines.isEmpty())
        return {};
    QByteArray first = lines.first().trimmed();
    if (first.endsWith(','))
        first.chop(1);
    const QJsonObject types = QJsonDocument::fromJson(first + '}')
                                  .object()
                                  .value(u"constants")
                                  .toObject()
                                  .value(u"logEventTypes")
                                  .toObject();
    const int startJob = types.value(u"URL_REQUEST_START_JOB").toInt(-1);
    const int sendHeaders = types.value(u"HTTP_TRANSACTION_SEND_REQUEST_HEADERS").toInt(-1);
    const int readHeaders = types.value(u"HTTP_TRANSACTION_READ_RESPONSE_HEADERS").toInt(-1);

    QMap<int, NetRequest> bySource;
    for (QByteArray line : lines.mid(1)) {
        line = line.trimmed();
        if (line.endsWith(','))
            line.chop(1);
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        if (event.isEmpty())
            continue;
        const int type = event.value(u"type").toInt();
        const int source = event[u"source"][u"id"].toInt();
        const QJsonObject params = event.value(u"params").toObject();
        if (type == startJob && params.contains(u"url")) {
            NetRequest &request = bySource[source];
            request.method = params.value(u"method").toString();
            request.url = QUrl(params.value(u"url").toString());
            request.initiator = params.value(u"initiator").toString();
        } else if (type == startJob && params.contains(u"net_error") && bySource.contains(source)) {
            bySource[source].netError = params.value(u"net_error").toInt();
        } else if (type == sendHeaders && bySource.contains(source)) {
            NetRequest &request = bySource[source];
            request.sentHeaders.clear();
            for (const QJsonValue &header : params.value(u"headers").toArray())
                request.sentHeaders.append(header.toString().toLatin1());
        } else if (type == readHeaders && bySource.contains(source)) {
            const QString statusLine = params.value(u"headers").toArray().at(0).toString();
            bySource[source].statuses.append(statusLine.section(u' ', 1, 1).toInt());
        }
    }
    return bySource.values();
}

/// http://rebind.test:GATEWAYPORT as a DNS rebinding attack makes it: the name first leads
/// to the attacker's server, which serves the page, then to the gateway. Chromium maps
/// rebind.test to 127.0.0.2, where this listens on the gateway's port: a connection whose
/// first request is GET /page gets the page and closes; any other is relayed byte for byte
/// to the gateway on 127.0.0.1, its Host header (rebind.test:GATEWAYPORT) and all. For the
/// page, its requests to the gateway are same-origin.
class RebindRelay final : public QObject
{
    Q_OBJECT

public:
    explicit RebindRelay(QByteArray page, QObject *parent = nullptr)
        : QObject(parent)
        , m_page(std::move(page))
    {
        connect(&m_server, &QTcpServer::newConnection, this, &RebindRelay::accept);
    }

    bool listen(quint16 gatewayPort)
    {
        m_gatewayPort = gatewayPort;
        return m_server.listen(QHostAddress(u"127.0.0.2"_s), gatewayPort);
    }
    QString errorString() const { return m_server.errorString(); }
    int pagesServed() const { return m_pagesServed; }
    int relayed() const { return m_relayed; }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            client->setParent(this);
            auto head = std::make_shared<QByteArray>();
            auto gateway = std::make_shared<QPointer<QTcpSocket>>();
            connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            connect(client, &QTcpSocket::readyRead, this, [this, client, head, gateway] {
                if (*gateway) {
                    (*gateway)->write(client->readAll());
                    return;
                }
                *head += client->readAll();
                if (!head->contains("\r\n\r\n"))
                    return;
                if (head->startsWith("GET /page?") || head->startsWith("GET /page ")) {
                    ++m_pagesServed;
                    client->write(QByteArray(
                        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n"
                        "cache-control: no-store\r\nconnection: close\r\ncontent-length: "
                        + QByteArray::number(m_page.size()) + "\r\n\r\n" + m_page));
                    client->disconnectFromHost();
                    return;
                }
                ++m_relayed;
                relay(client, *head, *gateway);
            });
        }
    }

    void relay(QTcpSocket *client, const QByteArray &head, QPointer<QTcpSocket> &slot)
    {
        auto *gateway = new QTcpSocket(client);
        slot = gateway;
        connect(gateway, &QTcpSocket::readyRead, client,
                [client, gateway] { client->write(gateway->readAll()); });
        connect(gateway, &QTcpSocket::disconnected, client, [client, gateway] {
            client->write(gateway->readAll());
            client->disconnectFromHost();
        });
        connect(gateway, &QTcpSocket::errorOccurred, client,
                [client, gateway](QAbstractSocket::SocketError error) {
                    if (error == QAbstractSocket::RemoteHostClosedError)
                        return; // disconnected() follows
                    client->write(gateway->readAll());
                    client->disconnectFromHost();
                });
        connect(client, &QTcpSocket::disconnected, gateway, [gateway] {
            if (gateway->state() != QAbstractSocket::UnconnectedState)
                gateway->disconnectFromHost();
        });
        gateway->connectToHost(QHostAddress::LocalHost, m_gatewayPort);
        // Buffered until connected, and ahead of whatever the client sends next.
        gateway->write(head);
    }

    QTcpServer m_server;
    QByteArray m_page;
    quint16 m_gatewayPort = 0;
    int m_pagesServed = 0;
    int m_relayed = 0;
};

/// The results one page reported.
struct PageReport
{
    QJsonObject byName(const QString &name) const
    {
        for (const QJsonValue &result : results) {
            if (result[u"name"].toString() == name)
                return result.toObject();
        }
        return {};
    }
    QJsonArray results;
};

bool isAttack(const RecordedRequest &request)
{
    return request.path.contains(u"attack"_s) || request.body.contains("attack");
}

} // namespace

/// QVERIFY2 that prints the whole story (the pages' results, what Chromium saw, what the
/// upstream saw, the gateway's log) once, on the first failure.
#define CHECK(condition, what)                                                                     \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            printStory();                                                                          \
            QFAIL(qPrintable(QStringLiteral(#condition) + u": "_s + (what)));                      \
        }                                                                                          \
    } while (false)

class TestBrowserOrigins final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void simplePostFromAnotherOriginIsRefused();
    void preflightFromAnotherOriginIsRefused();
    void reboundHostIsRefused();
    void allowedOriginIsServed();
    void upstreamSawOnlyTheControl();

private:
    QString startGateway();
    QString allowOrigins(const QStringList &origins);
    QString runBrowser();
    void stopBrowser();
    QList<NetRequest> gatewayRequests(const QString &initiator) const;
    QString origin(const QString &host, quint16 port) const
    {
        return u"http://%1:%2"_s.arg(host).arg(port);
    }
    void printStory();

    QString m_chromium;
    std::optional<QTemporaryDir> m_dir;
    ScriptedUpstream m_upstream;
    QHttpServer m_pages;
    quint16 m_pagePort = 0;
    std::optional<RebindRelay> m_relay;
    QProcess m_gateway;
    QByteArray m_gatewayOutput;
    quint16 m_gatewayPort = 0;
    QString m_accessKey;
    QString m_adminKey;
    QProcess m_browser;
    pid_t m_browserGroup = 0; ///< Chromium's process group, until stopBrowser()
    QByteArray m_browserOutput;
    QStringList m_frames; ///< the pages /top shows
    QHash<QString, PageReport> m_reports;
    QList<NetRequest> m_netLog;
    bool m_storyPrinted = false;
};

void TestBrowserOrigins::initTestCase()
{
    m_chromium = QStandardPaths::findExecutable(u"chromium"_s);
    SWITCHBOARD_REQUIRE_SERVICE(
        m_chromium.isEmpty() ? u"chromium is not on PATH (scripts/install-deps installs it)"_s
                             : QString());
    const QByteArray page = readFile(pageFile);
    QVERIFY2(!page.isEmpty(), qPrintable(pageFile));
    m_dir.emplace();
    QVERIFY(m_dir->isValid());

    m_upstream.setHandler([](const RecordedRequest &request) {
        if (request.path.startsWith(u"/v1/models"_s)) {
            const QJsonObject model {{u"type"_s, u"model"_s},
                                     {u"id"_s, u"claude-test-model"_s},
                                     {u"display_name"_s, u"Test model"_s},
                                     {u"created_at"_s, u"2025-10-01T00:00:00Z"_s}};
            return ScriptedReply::json(200,
                                       {{u"data"_s, QJsonArray {model}},
                                        {u"has_more"_s, false},
                                        {u"first_id"_s, u"claude-test-model"_s},
                                        {u"last_id"_s, u"claude-test-model"_s}});
        }
        return ScriptedReply::message(u"Hello from upstream"_s);
    });
    QVERIFY(m_upstream.listen());

    m_pages.route(u"/page"_s, [page](const QHttpServerRequest &) {
        return QHttpServerResponse("text/html; charset=utf-8"_ba, page);
    });
    m_pages.route(u"/top"_s, [this](const QHttpServerRequest &) {
        // The three pages side by side, each in a frame of its own origin.
        QByteArray frames;
        for (const QString &src : std::as_const(m_frames))
            frames += "<iframe src=\"" + src.toHtmlEscaped().toUtf8() + "\"></iframe>\n";
        return QHttpServerResponse(
            "text/html; charset=utf-8"_ba,
            QByteArray("<!doctype html><html><body>\n" + frames + "</body></html>\n"));
    });
    m_pages.route(u"/report"_s, [this](const QHttpServerRequest &request) {
        const QJsonObject report = QJsonDocument::fromJson(request.body()).object();
        m_reports.insert(report.value(u"role").toString(),
                         PageReport {report.value(u"results").toArray()});
        return QHttpServerResponse(QHttpServerResponse::StatusCode::NoContent);
    });
    m_pagePort = m_pages.listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_pagePort != 0);

    const QString failure = startGateway();
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    // The positive control's origin, and the rebound one: for the rebinding page only its
    // Host stands in the way.
    const QString allowed = allowOrigins(
        {origin(u"trusted.test"_s, m_pagePort), origin(u"rebind.test"_s, m_gatewayPort)});
    QVERIFY2(allowed.isEmpty(), qPrintable(allowed));

    m_relay.emplace(page);
    QVERIFY2(
        m_relay->listen(m_gatewayPort),
        qPrintable(
            u"cannot listen on 127.0.0.2:%1: %2"_s.arg(m_gatewayPort).arg(m_relay->errorString())));

    const QString browser = runBrowser();
    if (!browser.isEmpty()) {
        printStory();
        QFAIL(qPrintable(browser));
    }
}

void TestBrowserOrigins::cleanupTestCase()
{
    stopBrowser();
    if (m_gateway.state() == QProcess::NotRunning)
        return;
    m_gateway.terminate();
    if (!QTest::qWaitFor([this] { return m_gateway.state() == QProcess::NotRunning; },
                         testTimeout())) {
        m_gateway.kill();
        m_gateway.waitForFinished(testTimeout(5s));
        QFAIL("switchboard did not stop on SIGTERM");
    }
    QCOMPARE(m_gateway.exitCode(), 0);
}

QString TestBrowserOrigins::startGateway()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SWITCHBOARD_DATA_DIR"_s, m_dir->filePath(u"data"_s));
    environment.remove(u"SWITCHBOARD_DATABASE_URL"_s);
    SwitchboardProcess cli(environment);
    const QString secrets = m_dir->filePath(u"secrets.json"_s);

    const ProcessResult added
        = cli.run({u"--secrets-file"_s, secrets, u"accounts"_s, u"add"_s, u"--name"_s, u"up"_s,
                   u"--base-url"_s, m_upstream.baseUrl().toString()},
                  "sk-ant-upstream-secret\n"_ba);
    if (added.exitCode != 0)
        return u"accounts add failed (%1): %2 %3"_s.arg(added.exitCode).arg(added.out, added.err);
    for (const auto &[name, admin, slot] : {std::tuple {u"browser"_s, false, &m_accessKey},
                                            std::tuple {u"ops"_s, true, &m_adminKey}}) {
        QStringList arguments = {u"--secrets-file"_s, secrets, u"keys"_s,  u"create"_s,
                                 u"--name"_s,         name,    u"--json"_s};
        if (admin)
            arguments << u"--admin"_s;
        const ProcessResult key = cli.run(arguments);
        *slot = QJsonDocument::fromJson(key.out.toUtf8()).object().value(u"key").toString();
        if (key.exitCode != 0 || slot->isEmpty())
            return u"keys create failed (%1): %2"_s.arg(key.exitCode).arg(key.err);
    }

    m_gateway.setProcessEnvironment(cli.environment());
    m_gateway.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_gateway.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_gateway, &QProcess::readyRead, this,
            [this] { m_gatewayOutput += m_gateway.readAll(); });
    m_gateway.start(
        SwitchboardProcess::program(),
        {u"--secrets-file"_s, secrets, u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s});
    static const QRegularExpression listening(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s);
    QRegularExpressionMatch match;
    std::ignore = QTest::qWaitFor(
        [&] {
            match = listening.match(QString::fromUtf8(m_gatewayOutput));
            return match.hasMatch() || m_gateway.state() == QProcess::NotRunning;
        },
        testTimeout(20s));
    if (!match.hasMatch())
        return u"switchboard --headless did not start:\n"_s + QString::fromUtf8(m_gatewayOutput);
    m_gatewayPort = match.captured(1).toUShort();
    return {};
}

/// Sets gateway.allowed_origins with the command line, then has the running gateway reload
/// it through the admin API.
QString TestBrowserOrigins::allowOrigins(const QStringList &origins)
{
    SwitchboardProcess cli(m_gateway.processEnvironment());
    const ProcessResult set
        = cli.run({u"settings"_s, u"set"_s, u"gateway.allowed_origins"_s, origins.join(u',')});
    if (set.exitCode != 0)
        return u"settings set failed (%1): %2"_s.arg(set.exitCode).arg(set.err);

    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(origin(u"127.0.0.1"_s, m_gatewayPort) + u"/admin/v1/reload"_s));
    request.setRawHeader("x-api-key", m_adminKey.toLatin1());
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    request.setTransferTimeout(testTimeout());
    QNetworkReply *reply = network.post(request, "{}"_ba);
    std::ignore = QTest::qWaitFor([reply] { return reply->isFinished(); }, testTimeout(20s));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->isFinished() ? reply->readAll() : QByteArray();
    delete reply;
    if (status != 200)
        return u"POST /admin/v1/reload answered %1: %2"_s.arg(status).arg(QString::fromUtf8(body));
    return {};
}

/// Loads the three pages in one headless Chromium, waits for their reports, stops it and
/// reads its network log. Returns what went wrong, or nothing.
QString TestBrowserOrigins::runBrowser()
{
    const QString profile = m_dir->filePath(u"chromium"_s);
    const QString netLog = m_dir->filePath(u"netlog.json"_s);
    const QString gateway = origin(u"127.0.0.1"_s, m_gatewayPort);
    const QString report = origin(u"evil.test"_s, m_pagePort) + u"/report"_s;
    auto pageUrl = [&](const QString &base, const QString &role) {
        QUrlQuery query;
        query.addQueryItem(u"role"_s, role);
        if (role != u"rebind")
            query.addQueryItem(u"gateway"_s, gateway);
        query.addQueryItem(u"key"_s, m_accessKey);
        query.addQueryItem(u"wait"_s, QString::number(testTimeout(10s)));
        query.addQueryItem(u"report"_s, report);
        QUrl url(base + u"/page"_s);
        url.setQuery(query);
        return url.toString(QUrl::FullyEncoded);
    };
    m_frames = {pageUrl(origin(u"evil.test"_s, m_pagePort), u"evil"_s),
                pageUrl(origin(u"rebind.test"_s, m_gatewayPort), u"rebind"_s),
                pageUrl(origin(u"trusted.test"_s, m_pagePort), u"trusted"_s)};

    const QStringList arguments = {
        u"--headless"_s, u"--no-sandbox"_s, u"--disable-gpu"_s, u"--no-first-run"_s,
        u"--no-default-browser-check"_s, u"--disable-background-networking"_s,
        u"--disable-component-update"_s, u"--disable-sync"_s, u"--disable-extensions"_s,
        u"--disable-default-apps"_s, u"--disable-breakpad"_s, u"--disable-crash-reporter"_s,
        u"--password-store=basic"_s, u"--user-data-dir="_s + profile, u"--log-net-log="_s + netLog,
        // Every other name fails to resolve: nothing leaves this machine.
        u"--host-resolver-rules=MAP evil.test 127.0.0.1, MAP trusted.test 127.0.0.1, "
        "MAP rebind.test 127.0.0.2, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2"_s,
        origin(u"evil.test"_s, m_pagePort) + u"/top"_s};

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, m_dir->filePath(u"home"_s));
    environment.insert(u"XDG_CONFIG_HOME"_s, m_dir->filePath(u"home/.config"_s));
    environment.insert(u"XDG_CACHE_HOME"_s, m_dir->filePath(u"home/.cache"_s));
    // Not the test services' D-Bus: Chromium would start accessibility services on it.
    environment.remove(u"DBUS_SESSION_BUS_ADDRESS"_s);
    m_browser.setProcessEnvironment(environment);
    // A process group of its own, so that stopBrowser() ends every Chromium process; and
    // gone with this test even when the test crashes.
    m_browser.setChildProcessModifier([] {
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    });
    m_browser.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_browser, &QProcess::readyRead, this,
            [this] { m_browserOutput += m_browser.readAll(); });
    m_browser.start(m_chromium, arguments);
    if (!m_browser.waitForStarted(testTimeout()))
        return u"cannot start %1: %2"_s.arg(m_chromium, m_browser.errorString());
    m_browserGroup = pid_t(m_browser.processId());
    // At most 4 attempts in a row per page, each given up after `wait`.
    std::ignore = QTest::qWaitFor(
        [this] { return m_reports.size() == 3 || m_browser.state() == QProcess::NotRunning; },
        testTimeout(60s));
    const bool exitedEarly = m_browser.state() == QProcess::NotRunning;
    stopBrowser();
    m_netLog = readNetLog(netLog);
    if (m_reports.size() != 3) {
        return u"only %1 of the 3 pages reported (%2)%3"_s.arg(m_reports.size())
            .arg(QStringList(m_reports.keys()).join(u", "),
                 exitedEarly ? u"; chromium ended first"_s : QString());
    }
    if (m_netLog.isEmpty())
        return u"chromium's network log %1 is empty"_s.arg(netLog);
    return {};
}

/// SIGTERM, so that Chromium ends its processes and writes the end of its network log; then
/// SIGKILL for whatever is left of its process group.
void TestBrowserOrigins::stopBrowser()
{
    const pid_t group = std::exchange(m_browserGroup, 0);
    if (group <= 0)
        return;
    ::kill(group, SIGTERM);
    if (!QTest::qWaitFor([this] { return m_browser.state() == QProcess::NotRunning; },
                         testTimeout(10s)))
        qWarning("chromium did not stop on SIGTERM: killed");
    ::kill(-group, SIGKILL);
    m_browser.waitForFinished(testTimeout(5s));
}

/// What Chromium sent to the gateway's port (directly or through the relay) from the page
/// of `initiator`.
QList<NetRequest> TestBrowserOrigins::gatewayRequests(const QString &initiator) const
{
    QList<NetRequest> requests;
    for (const NetRequest &request : m_netLog) {
        // The rebinding page itself comes from the gateway's port too (from the relay).
        if (request.url.port() == m_gatewayPort && request.initiator == initiator
            && request.url.path() != u"/page")
            requests.append(request);
    }
    return requests;
}

void TestBrowserOrigins::printStory()
{
    if (std::exchange(m_storyPrinted, true))
        return;
    QString text = u"--- the pages' results\n"_s;
    for (auto it = m_reports.cbegin(); it != m_reports.cend(); ++it) {
        text += it.key() + u": "_s
            + QString::fromUtf8(QJsonDocument(it->results).toJson(QJsonDocument::Compact)) + u'\n';
    }
    text += u"--- what chromium sent to the gateway's port %1\n"_s.arg(m_gatewayPort);
    for (const NetRequest &request : m_netLog) {
        if (request.url.port() == m_gatewayPort)
            text += request.describe() + u'\n';
    }
    if (m_relay)
        text += u"--- the relay served the page %1 time(s) and relayed %2 connection(s)\n"_s
                    .arg(m_relay->pagesServed())
                    .arg(m_relay->relayed());
    text += u"--- the upstream saw %1 request(s)\n"_s.arg(m_upstream.requestCount());
    for (const RecordedRequest &request : m_upstream.requests())
        text += QString::fromLatin1(request.method) + u' ' + request.path
            + (isAttack(request) ? u" (an attack)"_s : QString()) + u'\n';
    text += u"--- gateway log (last 3000 bytes)\n"_s
        + QString::fromUtf8(m_gatewayOutput.right(3000))
        + u"\n--- chromium's output (last 2000 bytes)\n"_s
        + QString::fromUtf8(m_browserOutput.right(2000));
    qWarning().noquote() << text;
}

/// A no-cors POST with text/plain goes out without a preflight from any page: the gateway
/// refuses it by its Origin, before reading the body.
void TestBrowserOrigins::simplePostFromAnotherOriginIsRefused()
{
    const QString evil = origin(u"evil.test"_s, m_pagePort);
    const QJsonObject result = m_reports.value(u"evil"_s).byName(u"simple-post"_s);
    CHECK(result[u"outcome"].toString() == u"opaque", u"the page got no opaque response"_s);

    int posts = 0;
    for (const NetRequest &request : gatewayRequests(evil)) {
        if (request.method != u"POST")
            continue;
        ++posts;
        CHECK(request.statuses == QList<int> {403}, request.describe());
        CHECK(request.header("origin") == evil.toLatin1(), request.describe());
    }
    CHECK(posts >= 1, u"chromium sent no simple POST to the gateway"_s);
    CHECK(m_gatewayOutput.contains(QByteArray("Refusing a request: Browser requests from "
                                              + evil.toLatin1() + " are refused")),
          u"the gateway did not log the refusal"_s);
}

/// Requests with x-api-key or JSON need a preflight: the gateway refuses it, so the
/// requests themselves never go out, and the page learns nothing.
void TestBrowserOrigins::preflightFromAnotherOriginIsRefused()
{
    const QString evil = origin(u"evil.test"_s, m_pagePort);
    const PageReport report = m_reports.value(u"evil"_s);
    for (const QString &name : {u"preflighted-post"_s, u"preflighted-models"_s}) {
        const QJsonObject result = report.byName(name);
        CHECK(result[u"outcome"].toString() == u"error"
                  && result[u"error"].toString().startsWith(u"TypeError"),
              name + u": the page was not refused"_s);
    }

    QStringList preflighted;
    for (const NetRequest &request : gatewayRequests(evil)) {
        CHECK(request.header("x-api-key").isEmpty(),
              u"a request with the key went out: "_s + request.describe());
        if (request.method == u"OPTIONS") {
            CHECK(request.statuses == QList<int> {403}, request.describe());
            preflighted.append(request.url.path());
        }
    }
    preflighted.sort();
    CHECK(preflighted.contains(u"/v1/messages"_s) && preflighted.contains(u"/v1/models"_s),
          u"preflights seen for: "_s + preflighted.join(u", "));
}

/// The rebinding page's requests are same-origin for the browser, carry the key and an
/// allowed Origin: the Host (rebind.test:PORT) alone has them refused, and what the page can
/// read is the refusal.
void TestBrowserOrigins::reboundHostIsRefused()
{
    const QString rebind = origin(u"rebind.test"_s, m_gatewayPort);
    const PageReport report = m_reports.value(u"rebind"_s);
    CHECK(report.results.size() == 4,
          u"the rebinding page made %1 attempts"_s.arg(report.results.size()));
    for (const QJsonValue &value : report.results) {
        const QJsonObject result = value.toObject();
        const QString name = result[u"name"].toString();
        const QString body = result[u"body"].toString();
        CHECK(result[u"outcome"].toString() == u"response" && result[u"status"].toInt() == 403,
              name + u": "_s + result[u"error"].toString() + body);
        CHECK(body.contains(u"permission_error"_s) && body.contains(u"rebind.test"_s),
              name + u": "_s + body);
    }

    const QList<NetRequest> requests = gatewayRequests(rebind);
    QSet<QString> answered;
    for (const NetRequest &request : requests) {
        CHECK(request.header("host") == u"rebind.test:%1"_s.arg(m_gatewayPort).toLatin1(),
              request.describe());
        CHECK(request.statuses == QList<int> {403}, request.describe());
        answered.insert(request.method + u' ' + request.url.path());
    }
    CHECK(answered.contains(u"GET /"_s) && answered.contains(u"GET /v1/models"_s)
              && answered.contains(u"POST /v1/messages"_s),
          u"answered: "_s + QStringList(answered.values()).join(u", "));
    CHECK(m_gatewayOutput.contains(QByteArray("Refusing a request: Host \"rebind.test:"
                                              + QByteArray::number(m_gatewayPort)
                                              + "\" is not this machine")),
          u"the gateway did not log the refusal"_s);
}

/// The positive control: the same preflighted requests from an allowed origin are served,
/// so the harness sees success when there is one.
void TestBrowserOrigins::allowedOriginIsServed()
{
    const PageReport report = m_reports.value(u"trusted"_s);
    const QJsonObject post = report.byName(u"post"_s);
    CHECK(post[u"status"].toInt() == 200
              && post[u"body"].toString().contains(u"Hello from upstream"_s),
          u"POST /v1/messages: "_s + post[u"error"].toString() + post[u"body"].toString());
    const QJsonObject models = report.byName(u"models"_s);
    CHECK(models[u"status"].toInt() == 200
              && models[u"body"].toString().contains(u"claude-test-model"_s),
          u"GET /v1/models: "_s + models[u"error"].toString() + models[u"body"].toString());

    int preflights = 0;
    for (const NetRequest &request : gatewayRequests(origin(u"trusted.test"_s, m_pagePort))) {
        if (request.method == u"OPTIONS") {
            ++preflights;
            CHECK(request.statuses == QList<int> {204}, request.describe());
        }
    }
    CHECK(preflights >= 2, u"%1 preflight(s) from the allowed origin"_s.arg(preflights));
}

/// Across the whole run the upstream saw the control's two requests (and the gateway's own
/// account checks), nothing from an attacking page.
void TestBrowserOrigins::upstreamSawOnlyTheControl()
{
    int messages = 0;
    int controlModels = 0;
    for (const RecordedRequest &request : m_upstream.requests()) {
        CHECK(!isAttack(request), u"an attack reached the upstream: "_s + request.path);
        if (request.path.section(u'?', 0, 0) == u"/v1/messages") {
            ++messages;
            CHECK(request.body.contains("trusted control"), request.path);
        }
        if (request.path == u"/v1/models?marker=trusted")
            ++controlModels;
    }
    CHECK(messages == 1, u"the upstream saw %1 message request(s)"_s.arg(messages));
    CHECK(controlModels == 1,
          u"the upstream saw %1 of the control's model lists"_s.arg(controlModels));
}

QTEST_GUILESS_MAIN(TestBrowserOrigins)
#include "tst_browserorigins.moc"
