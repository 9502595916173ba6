// SPDX-License-Identifier: GPL-3.0-or-later
// The real official clients against the real gateway: the Anthropic TypeScript SDK (through
// sdk-test.mjs) and the Claude Code CLI talk to `switchboard --headless`, which relays to a
// ScriptedUpstream served by this test's event loop. The npm packages (pinned by
// package-lock.json) are installed into the build folder on the first run.
#include "support/openaiupstream.h"
#include "support/scriptedthinking.h"
#include "support/scriptedupstream.h"
#include "support/testservices.h"
#include "support/testtimeout.h"
#include "switchboardprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

#include <algorithm>
#include <optional>
#include <tuple>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace {

const QString nodeDir = QStringLiteral(SWITCHBOARD_CLIENTS_NODE_DIR);

struct ClientRun
{
    bool started = false;
    bool finished = false;
    int exitCode = -1;
    qint64 elapsedMs = 0;
    QString out;
    QString err;

    bool ok() const { return started && finished && exitCode == 0; }
};

/// The whole test runs against one pool: SWITCHBOARD_CLIENTS_POOL=openai puts the gateway in
/// front of an OpenAI-compatible account (a strict Chat Completions upstream), else in front
/// of an Anthropic-format one.
bool openAIPool()
{
    static const bool openAI = qgetenv("SWITCHBOARD_CLIENTS_POOL") == "openai";
    return openAI;
}

/// Tool names of a Messages or Chat Completions body.
// The pool: the first account serves while it can, the spare takes over.
const QByteArray firstKey = "sk-ant-upstream-secret"_ba;
const QByteArray spareKey = "sk-ant-spare-secret"_ba;

QByteArray credentialOf(const RecordedRequest &request)
{
    return openAIPool() ? request.header("authorization").mid(7) : request.header("x-api-key");
}

QStringList toolNames(const QJsonObject &body)
{
    QStringList names;
    for (const QJsonValue &tool : body.value(u"tools").toArray()) {
        const QJsonObject object = tool.toObject();
        names.append(object.contains(u"function") ? object[u"function"][u"name"].toString()
                                                  : object.value(u"name").toString());
    }
    return names;
}

bool hasToolResult(const QJsonObject &body)
{
    for (const QJsonValue &message : body.value(u"messages").toArray()) {
        if (message[u"role"].toString() == u"tool")
            return true;
        for (const QJsonValue &block : message.toObject().value(u"content").toArray()) {
            if (block.toObject().value(u"type").toString() == u"tool_result")
                return true;
        }
    }
    return false;
}

/// The text of the last message: a plain string, or its text parts joined.
QString lastText(const QJsonObject &body)
{
    const QJsonArray messages = body.value(u"messages").toArray();
    if (messages.isEmpty())
        return {};
    const QJsonValue content = messages.last()[u"content"];
    QString text = content.toString();
    for (const QJsonValue &part : content.toArray())
        text += part[u"text"].toString();
    return text;
}

/// A text answer, streamed when the request asked for a stream.
ScriptedReply text(const QJsonObject &body, const QStringList &chunks)
{
    const bool stream = body.value(u"stream").toBool();
    if (openAIPool()) {
        return stream ? OpenAIReplies::stream(chunks)
                      : OpenAIReplies::completion(chunks.join(QString()));
    }
    if (stream)
        return ScriptedReply::stream(chunks);
    return ScriptedReply::message(chunks.join(QString()));
}

ScriptedReply toolCall(const QJsonObject &body, const QString &name, const QJsonObject &input)
{
    if (openAIPool()) {
        const OpenAIReplies::ToolCall call {u"call_"_s + QString::number(qHash(name), 16), name,
                                            input};
        return body.value(u"stream").toBool() ? OpenAIReplies::toolCallStream({call})
                                              : OpenAIReplies::toolCalls({call});
    }
    if (!body.value(u"stream").toBool())
        return ScriptedReply::toolUse(name, input);
    // In two pieces, as the API streams tool input: the client has to join them.
    const QString json = QString::fromUtf8(QJsonDocument(input).toJson(QJsonDocument::Compact));
    const qsizetype half = json.size() / 2;
    return ScriptedReply::toolUseStream(name, {json.left(half), json.mid(half)});
}

ScriptedReply modelList()
{
    QJsonArray data;
    for (const auto &[id, name] : {std::pair {u"claude-sonnet-4-6"_s, u"Claude Sonnet 4.6"_s},
                                   std::pair {u"claude-haiku-4-5"_s, u"Claude Haiku 4.5"_s}}) {
        data.append(QJsonObject {{u"type"_s, u"model"_s},
                                 {u"id"_s, id},
                                 {u"display_name"_s, name},
                                 {u"created_at"_s, u"2025-10-01T00:00:00Z"_s}});
    }
    return ScriptedReply::json(200,
                               {{u"data"_s, data},
                                {u"has_more"_s, false},
                                {u"first_id"_s, u"claude-sonnet-4-6"_s},
                                {u"last_id"_s, u"claude-haiku-4-5"_s}});
}

/// One line per request: method, path, and the shape of a messages body.
QString describe(const RecordedRequest &request)
{
    QString line = QString::fromLatin1(request.method) + u' ' + request.path;
    const QJsonObject body = request.json();
    if (body.contains(u"model"))
        line += u" model=%1"_s.arg(body.value(u"model").toString());
    if (body.value(u"stream").toBool())
        line += u" stream"_s;
    const QStringList tools = toolNames(body);
    if (!tools.isEmpty())
        line += u" tools=%1[%2]"_s.arg(tools.size()).arg(tools.mid(0, 8).join(u','));
    QStringList messages;
    for (const QJsonValue &value : body.value(u"messages").toArray()) {
        const QJsonObject message = value.toObject();
        QString shape = message.value(u"role").toString();
        const QJsonValue content = message.value(u"content");
        if (content.isArray()) {
            QStringList blocks;
            for (const QJsonValue &block : content.toArray())
                blocks.append(block.toObject().value(u"type").toString());
            shape += u'(' + blocks.join(u',') + u')';
        } else {
            shape += u"(string)"_s;
        }
        messages.append(shape);
    }
    if (!messages.isEmpty())
        line += u" messages=" + messages.join(u' ');
    if (const QByteArray beta = request.header("anthropic-beta"); !beta.isEmpty())
        line += u" anthropic-beta=" + QString::fromLatin1(beta);
    return line;
}

/// The requests for /v1/messages (or /v1/chat/completions), leaving out the gateway's own
/// validation calls.
QList<RecordedRequest> messageRequests(const ScriptedUpstream &upstream)
{
    QList<RecordedRequest> requests = upstream.requests();
    const QString path = openAIPool() ? u"/v1/chat/completions"_s : u"/v1/messages"_s;
    requests.removeIf([&path](const RecordedRequest &request) {
        return request.path.section(u'?', 0, 0) != path;
    });
    return requests;
}

/// Children end with this test even when it crashes or CTest kills it.
void endWithParent(QProcess &process)
{
#ifdef Q_OS_LINUX
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#else
    Q_UNUSED(process);
#endif
}

QString readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace

/// QVERIFY2 with the whole story of a client run. QVERIFY2 builds its message even when the
/// check passes, and report() logs: this builds it only on failure.
#define VERIFY_CLIENT(condition, run)                                                              \
    do {                                                                                           \
        if (!(condition))                                                                          \
            QFAIL(qPrintable(QStringLiteral(#condition) + u": "_s + report(run)));                 \
    } while (false)

class TestRealClients final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void sdkCreatesAMessage();
    void sdkStreamsAMessage();
    void sdkCompletesAToolRoundTrip();
    void sdkCountsTokens();
    void sdkListsTheModels();
    void sdkWrongKeyIsAuthenticationError();
    void sdkUpstreamErrorIsRelayed();
    void sdkErrorEventMidStreamIsRelayed();

    void claudeCodeWritesFile_data();
    void claudeCodeWritesFile();

private:
    QString installPackages();
    QString startGateway();
    ScriptedReply answer(const RecordedRequest &request);

    ClientRun run(const QString &program, const QStringList &arguments,
                  const QProcessEnvironment &environment, const QString &workingDirectory,
                  std::chrono::milliseconds timeout);
    ClientRun runSdk(const QString &check);
    QString report(const ClientRun &run) const;
    QString credentialProblem() const;
    bool waitUntilAccountAvailable();

    QString m_node;
    QString m_npm;
    std::optional<QTemporaryDir> m_dir;
    ScriptedUpstream m_upstream;
    QProcess m_gateway;
    QByteArray m_gatewayOutput;
    QString m_baseUrl;
    QString m_accessKey;
    /// Where Claude Code's Write call puts hello.txt; set by claudeCodeWritesFile().
    QString m_claudeWorkDir;
    /// The first account answers the next tool result with a 429 (then rests a second).
    bool m_rateLimitToolTurn = false;
};

void TestRealClients::initTestCase()
{
    m_node = QStandardPaths::findExecutable(u"node"_s);
    m_npm = QStandardPaths::findExecutable(u"npm"_s);
    SWITCHBOARD_REQUIRE_SERVICE(
        m_node.isEmpty() ? u"node is not on PATH (scripts/install-deps installs it)"_s : QString());
    SWITCHBOARD_REQUIRE_SERVICE(
        m_npm.isEmpty() ? u"npm is not on PATH (scripts/install-deps installs it)"_s : QString());
    SWITCHBOARD_REQUIRE_SERVICE(installPackages());

    m_dir.emplace();
    QVERIFY(m_dir->isValid());
    auto answer = [this](const RecordedRequest &request) { return this->answer(request); };
    if (openAIPool())
        m_upstream.setHandler(OpenAIStrict::handler(answer, {u"gpt-test"_s}));
    else
        m_upstream.setHandler(answer);
    // Thinking signed per account, refused by the other, as the real API does.
    m_upstream.setThinkingRules(!openAIPool());
    QVERIFY(m_upstream.listen());

    const QString failure = startGateway();
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
}

void TestRealClients::cleanupTestCase()
{
    if (m_gateway.state() == QProcess::NotRunning)
        return;
    m_gateway.terminate();
    if (!QTest::qWaitFor([this] { return m_gateway.state() == QProcess::NotRunning; },
                         testTimeout())) {
        m_gateway.kill();
        m_gateway.waitForFinished(testTimeout(5s));
        QFAIL("switchboard did not stop on SIGTERM");
    }
    QCOMPARE(m_gateway.exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_gateway.exitCode(), 0);
}

void TestRealClients::init()
{
    m_upstream.clearRequests();
}

/// Runs `npm ci` in the build folder unless the installed packages match the lock file.
/// Returns why the clients cannot be had, or nothing.
QString TestRealClients::installPackages()
{
    const QString lock = readFile(nodeDir + u"/package-lock.json"_s);
    if (lock.isEmpty())
        return u"%1/package-lock.json is missing: configure the build again"_s.arg(nodeDir);
    const QString stamp = nodeDir + u"/node_modules/.switchboard-installed.json"_s;
    if (readFile(stamp) == lock && QFile::exists(nodeDir + u"/node_modules/.bin/claude"_s))
        return {};

    qInfo().noquote() << "Installing the pinned npm packages into" << nodeDir
                      << "(once per lock file)";
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"npm_config_update_notifier"_s, u"false"_s);
    const ClientRun npm
        = run(m_npm, {u"ci"_s, u"--no-audit"_s, u"--no-fund"_s}, environment, nodeDir, 480s);
    if (!npm.ok()) {
        return u"npm ci in %1 failed (is the npm registry reachable?):\n%2"_s.arg(nodeDir,
                                                                                  report(npm));
    }
    QFile file(stamp);
    if (!file.open(QIODevice::WriteOnly) || file.write(lock.toUtf8()) < 0)
        return u"cannot write %1"_s.arg(stamp);
    return {};
}

QString TestRealClients::startGateway()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SWITCHBOARD_DATA_DIR"_s, m_dir->path());
    environment.remove(u"SWITCHBOARD_DATABASE_URL"_s);
    SwitchboardProcess cli(environment);
    const QString secrets = m_dir->filePath(u"secrets.json"_s);

    for (const auto &[name, key, priority] :
         {std::tuple {u"up"_s, firstKey, u"10"_s}, std::tuple {u"spare"_s, spareKey, u"0"_s}}) {
        QStringList add = {u"--secrets-file"_s, secrets,
                           u"accounts"_s,       u"add"_s,
                           u"--name"_s,         name,
                           u"--priority"_s,     priority,
                           u"--base-url"_s,     m_upstream.baseUrl().toString()};
        if (openAIPool()) {
            add.last() += u"/v1"_s;
            add << u"--provider"_s << u"openai"_s << u"--map"_s << u"*=gpt-test"_s;
        }
        const ProcessResult added = cli.run(add, key + '\n');
        if (added.exitCode != 0)
            return u"accounts add failed (%1): %2 %3"_s.arg(added.exitCode)
                .arg(added.out, added.err);
    }

    const ProcessResult key = cli.run(
        {u"--secrets-file"_s, secrets, u"keys"_s, u"create"_s, u"--name"_s, u"ci"_s, u"--json"_s});
    m_accessKey = QJsonDocument::fromJson(key.out.toUtf8()).object().value(u"key").toString();
    if (key.exitCode != 0 || m_accessKey.isEmpty())
        return u"keys create failed (%1): %2 %3"_s.arg(key.exitCode).arg(key.out, key.err);

    // sdkErrorEventMidStreamIsRelayed() rests the only account after an overloaded_error:
    // for one second instead of fifteen.
    const ProcessResult cooldown
        = cli.run({u"settings"_s, u"set"_s, u"cooldown.overloaded_seconds"_s, u"1"_s});
    if (cooldown.exitCode != 0)
        return u"settings set failed (%1): %2"_s.arg(cooldown.exitCode).arg(cooldown.err);

    m_gateway.setProcessEnvironment(cli.environment());
    endWithParent(m_gateway);
    m_gateway.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_gateway, &QProcess::readyRead, this,
            [this] { m_gatewayOutput += m_gateway.readAll(); });
    m_gateway.start(
        SwitchboardProcess::program(),
        {u"--secrets-file"_s, secrets, u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s});
    static const QRegularExpression listening(u"listening on (http://127\\.0\\.0\\.1:\\d+)"_s);
    QRegularExpressionMatch match;
    std::ignore = QTest::qWaitFor(
        [&] {
            match = listening.match(QString::fromUtf8(m_gatewayOutput));
            return match.hasMatch() || m_gateway.state() == QProcess::NotRunning;
        },
        testTimeout(20s));
    if (!match.hasMatch())
        return u"switchboard --headless did not start:\n"_s + QString::fromUtf8(m_gatewayOutput);
    m_baseUrl = match.captured(1);
    return {};
}

/// The scripted upstream: a tool call for the first request of a tool conversation
/// (Claude Code's Write, the SDK test's get_weather), a closing text once a tool_result
/// came back, a short text for anything else (titles, quota checks, plain messages).
ScriptedReply TestRealClients::answer(const RecordedRequest &request)
{
    const QString path = request.path.section(u'?', 0, 0);
    if (path.endsWith(u"/count_tokens"_s))
        return ScriptedReply::json(200, {{u"input_tokens"_s, 42}});
    if (path.endsWith(u"/models"_s))
        return modelList();

    const QJsonObject body = request.json();
    if (lastText(body) == u"Trigger a bad request") {
        return openAIPool()
            ? OpenAIReplies::error(400, u"invalid_request_error"_s, u"scripted refusal"_s)
            : ScriptedReply::badRequest(u"scripted refusal"_s);
    }
    if (lastText(body) == u"Fail mid-stream" && openAIPool()) {
        // OpenRouter's way: an error chunk with the HTTP status as its code.
        const QString model = body.value(u"model").toString();
        return OpenAIReplies::chunks(
            {OpenAIReplies::chunk(u"chatcmpl-1"_s, model,
                                  {{u"role"_s, u"assistant"_s}, {u"content"_s, u"Hello"_s}}),
             QJsonObject {
                 {u"error"_s,
                  QJsonObject {{u"message"_s, u"scripted overload"_s}, {u"code"_s, 503}}}}},
            false);
    }
    if (lastText(body) == u"Fail mid-stream") {
        // message_start, ping, content_block_start, the first delta; then the error event.
        return ScriptedReply::stream({u"Hello"_s, u" from"_s, u" upstream"_s})
            .withErrorEventAfterEvents(4);
    }
    const QStringList tools = toolNames(body);
    if (tools.contains(u"Write"_s)) {
        if (hasToolResult(body) && credentialOf(request) == firstKey
            && std::exchange(m_rateLimitToolTurn, false)) {
            return openAIPool()
                ? OpenAIReplies::error(429, u"rate_limit_exceeded"_s, u"scripted rate limit"_s)
                      .withHeader("retry-after"_ba, "1"_ba)
                : ScriptedReply::rateLimited(1);
        }
        if (hasToolResult(body))
            return text(body, {u"Created "_s, u"hello.txt."_s});
        return toolCall(body, u"Write"_s,
                        {{u"file_path"_s, QDir(m_claudeWorkDir).filePath(u"hello.txt"_s)},
                         {u"content"_s, u"hi"_s}});
    }
    if (tools.contains(u"get_weather"_s)) {
        if (hasToolResult(body))
            return text(body, {u"It is 22°C"_s, u" and sunny in Paris."_s});
        return toolCall(body, u"get_weather"_s, {{u"city"_s, u"Paris"_s}});
    }
    return text(body, {u"Hello"_s, u" from"_s, u" upstream"_s});
}

/// Runs a client to its end while this thread's event loop keeps serving the upstream.
ClientRun TestRealClients::run(const QString &program, const QStringList &arguments,
                               const QProcessEnvironment &environment,
                               const QString &workingDirectory, std::chrono::milliseconds timeout)
{
    ClientRun result;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(workingDirectory);
    endWithParent(process);
    QByteArray out;
    QByteArray err;
    connect(&process, &QProcess::readyReadStandardOutput, this,
            [&] { out += process.readAllStandardOutput(); });
    connect(&process, &QProcess::readyReadStandardError, this,
            [&] { err += process.readAllStandardError(); });
    bool failedToStart = false;
    connect(&process, &QProcess::errorOccurred, this, [&](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            failedToStart = true;
    });

    QElapsedTimer clock;
    clock.start();
    process.start(program, arguments);
    std::ignore = QTest::qWaitFor(
        [&] { return failedToStart || process.state() == QProcess::Running; }, testTimeout(10s));
    result.started = process.state() == QProcess::Running;
    if (result.started) {
        // Clients that read a prompt from a pipe get an empty one at once.
        process.closeWriteChannel();
        result.finished = QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; },
                                          testTimeout(timeout));
        if (!result.finished) {
            process.kill();
            std::ignore = QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; },
                                          testTimeout(5s));
        }
    } else if (!failedToStart) {
        process.kill();
    }
    result.elapsedMs = clock.elapsed();
    out += process.readAllStandardOutput();
    err += process.readAllStandardError();
    result.exitCode
        = result.started && process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(out);
    result.err = QString::fromUtf8(err);
    if (!result.started)
        result.err += u"\ncould not start %1: %2"_s.arg(program, process.errorString());
    else if (!result.finished)
        result.err += u"\nkilled after %1 ms"_s.arg(testTimeout(timeout));
    return result;
}

ClientRun TestRealClients::runSdk(const QString &check)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"SWITCHBOARD_URL"_s, m_baseUrl);
    environment.insert(u"SWITCHBOARD_KEY"_s, m_accessKey);
    environment.insert(u"SWITCHBOARD_CLIENTS_POOL"_s, openAIPool() ? u"openai"_s : u"anthropic"_s);
    const ClientRun result
        = run(m_node, {nodeDir + u"/sdk-test.mjs"_s, check}, environment, nodeDir, 60s);
    if (result.ok())
        qInfo().noquote() << result.out.trimmed();
    return result;
}

/// What a failure needs: the client's output, what the upstream saw, the gateway's log.
/// QTest cuts failure messages at 1 KiB, so all of it goes to the log and the returned
/// message points there.
QString TestRealClients::report(const ClientRun &run) const
{
    QString text = u"exit code %1 after %2 ms\n--- stdout\n%3\n--- stderr\n%4\n"_s.arg(run.exitCode)
                       .arg(run.elapsedMs)
                       .arg(run.out.trimmed(), run.err.trimmed());
    if (m_upstream.port() != 0) {
        text += u"--- the upstream saw %1 request(s)\n"_s.arg(m_upstream.requestCount());
        for (const RecordedRequest &request : m_upstream.requests())
            text += describe(request) + u'\n';
    }
    if (!m_gatewayOutput.isEmpty()) {
        text += u"--- gateway log (last 4000 bytes)\n"_s
            + QString::fromUtf8(m_gatewayOutput.right(4000));
    }
    qWarning().noquote() << text;
    const QString firstError = run.err.trimmed().section(u'\n', 0, 0);
    return u"exit code %1 (%2); the client's output, the upstream's requests and the gateway "
           "log are printed above"_s.arg(run.exitCode)
               .arg(firstError.left(300));
}

/// Every relayed request carries the account's key and never the client's access key.
QString TestRealClients::credentialProblem() const
{
    for (const RecordedRequest &request : m_upstream.requests()) {
        const QByteArray credential = credentialOf(request);
        const bool bearer = request.header("authorization").startsWith("Bearer ");
        if ((credential != firstKey && credential != spareKey) || bearer != openAIPool())
            return u"%1 reached the upstream without the account's key"_s.arg(describe(request));
        for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it) {
            if (it.value().contains(m_accessKey.toUtf8())) {
                return u"the client's access key was forwarded in %1"_s.arg(
                    QString::fromLatin1(it.key()));
            }
        }
    }
    return {};
}

void TestRealClients::sdkCreatesAMessage()
{
    const ClientRun r = runSdk(u"create"_s);
    VERIFY_CLIENT(r.ok(), r);
    const QList<RecordedRequest> requests = messageRequests(m_upstream);
    QCOMPARE(requests.size(), 1);
    const RecordedRequest request = requests.first();
    const QString credentials = credentialProblem();
    QVERIFY2(credentials.isEmpty(), qPrintable(credentials));
    // Anthropic headers go to Anthropic-format upstreams only.
    VERIFY_CLIENT(request.header("anthropic-version").isEmpty() == openAIPool(), r);
}

void TestRealClients::sdkStreamsAMessage()
{
    const ClientRun r = runSdk(u"stream"_s);
    VERIFY_CLIENT(r.ok(), r);
    const QList<RecordedRequest> requests = messageRequests(m_upstream);
    QCOMPARE(requests.size(), 1);
    QVERIFY(requests.first().json().value(u"stream").toBool());
}

void TestRealClients::sdkCompletesAToolRoundTrip()
{
    const ClientRun r = runSdk(u"tools"_s);
    VERIFY_CLIENT(r.ok(), r);
    const QList<RecordedRequest> requests = messageRequests(m_upstream);
    QCOMPARE(requests.size(), 2);
    const QJsonArray messages = requests.at(1).json().value(u"messages").toArray();
    if (openAIPool()) {
        // The call came back as the assistant's tool_calls and a tool message, same id.
        QCOMPARE(messages.size(), 3);
        const QJsonObject call = messages.at(1)[u"tool_calls"][0].toObject();
        QCOMPARE(messages.at(2)[u"role"].toString(), u"tool"_s);
        QCOMPARE(messages.at(2)[u"tool_call_id"].toString(), call[u"id"].toString());
        QCOMPARE(QJsonDocument::fromJson(call[u"function"][u"arguments"].toString().toUtf8())
                     .object()
                     .value(u"city")
                     .toString(),
                 u"Paris"_s);
        return;
    }
    // The tool_use block went back to the upstream unchanged, id included.
    QCOMPARE(messages.size(), 3);
    const QJsonObject call = messages.at(1)[u"content"][0].toObject();
    const QJsonObject result = messages.at(2)[u"content"][0].toObject();
    QCOMPARE(call.value(u"type").toString(), u"tool_use"_s);
    QCOMPARE(call.value(u"input").toObject().value(u"city").toString(), u"Paris"_s);
    QCOMPARE(result.value(u"tool_use_id").toString(), call.value(u"id").toString());
}

void TestRealClients::sdkCountsTokens()
{
    const ClientRun r = runSdk(u"count-tokens"_s);
    VERIFY_CLIENT(r.ok(), r);
    const QList<RecordedRequest> requests = m_upstream.requests();
    const bool counted
        = std::any_of(requests.cbegin(), requests.cend(), [](const RecordedRequest &request) {
              return request.path.startsWith(u"/v1/messages/count_tokens"_s);
          });
    // Without an Anthropic-format account the gateway estimates locally.
    VERIFY_CLIENT(counted != openAIPool(), r);
}

void TestRealClients::sdkListsTheModels()
{
    const ClientRun r = runSdk(u"models"_s);
    VERIFY_CLIENT(r.ok(), r);
}

void TestRealClients::sdkWrongKeyIsAuthenticationError()
{
    const ClientRun r = runSdk(u"wrong-key"_s);
    VERIFY_CLIENT(r.ok(), r);
    // Refused by the gateway itself.
    VERIFY_CLIENT(messageRequests(m_upstream).isEmpty(), r);
}

void TestRealClients::sdkUpstreamErrorIsRelayed()
{
    const ClientRun r = runSdk(u"upstream-error"_s);
    VERIFY_CLIENT(r.ok(), r);
    VERIFY_CLIENT(messageRequests(m_upstream).size() == 1, r);
}

void TestRealClients::sdkErrorEventMidStreamIsRelayed()
{
    const ClientRun r = runSdk(u"stream-error"_s);
    VERIFY_CLIENT(r.ok(), r);
    VERIFY_CLIENT(messageRequests(m_upstream).size() == 1, r);
    // The overload rests the account (cooldown.overloaded_seconds): later tests need it back.
    QVERIFY2(waitUntilAccountAvailable(), "the account did not come back after its cooldown");
}

/// Polls /health until the account is available again.
bool TestRealClients::waitUntilAccountAvailable()
{
    QNetworkAccessManager nam;
    const QNetworkRequest request(QUrl(m_baseUrl + u"/health"_s));
    const QDeadlineTimer deadline(testTimeout(10s));
    while (!deadline.hasExpired()) {
        QNetworkReply *reply = nam.get(request);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, testTimeout(5s)))
            return false;
        const QJsonObject health = QJsonDocument::fromJson(reply->readAll()).object();
        reply->deleteLater();
        if (health[u"accounts"_s][u"healthy"_s].toInt() == 2)
            return true;
        QTest::qWait(100);
    }
    return false;
}

void TestRealClients::claudeCodeWritesFile_data()
{
    QTest::addColumn<QString>("credentialVariable");
    // Sent as Authorization: Bearer and as x-api-key.
    QTest::newRow("ANTHROPIC_AUTH_TOKEN") << u"ANTHROPIC_AUTH_TOKEN"_s;
    QTest::newRow("ANTHROPIC_API_KEY") << u"ANTHROPIC_API_KEY"_s;
}

void TestRealClients::claudeCodeWritesFile()
{
    QFETCH(QString, credentialVariable);
    QTemporaryDir home;
    QTemporaryDir work;
    QVERIFY(home.isValid() && work.isValid());
    m_claudeWorkDir = QDir(work.path()).canonicalPath();

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Nothing of the machine's own Claude setup or proxies may leak in.
    for (const QString &name : environment.keys()) {
        if (name.startsWith(u"ANTHROPIC_"_s) || name.startsWith(u"CLAUDE"_s)
            || name.compare(u"http_proxy"_s, Qt::CaseInsensitive) == 0
            || name.compare(u"https_proxy"_s, Qt::CaseInsensitive) == 0
            || name.compare(u"all_proxy"_s, Qt::CaseInsensitive) == 0) {
            environment.remove(name);
        }
    }
    environment.insert(u"HOME"_s, home.path());
    environment.insert(u"USERPROFILE"_s, home.path());
    environment.insert(u"XDG_CONFIG_HOME"_s, home.filePath(u".config"_s));
    environment.insert(u"NO_PROXY"_s, u"127.0.0.1,localhost"_s);
    environment.insert(u"ANTHROPIC_BASE_URL"_s, m_baseUrl);
    environment.insert(credentialVariable, m_accessKey);
    environment.insert(u"CLAUDE_CODE_MAX_RETRIES"_s, u"0"_s);
    environment.insert(u"DISABLE_AUTOUPDATER"_s, u"1"_s);
    environment.insert(u"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"_s, u"1"_s);
    // Between the Write call and its result the first account gets rate-limited: the
    // conversation must go on on the spare, thinking signed by the first one and all.
    m_rateLimitToolTurn = true;

    const ClientRun r = run(nodeDir + u"/node_modules/.bin/claude"_s,
                            {u"-p"_s, u"Create a file named hello.txt containing hi"_s,
                             u"--permission-mode"_s, u"acceptEdits"_s},
                            environment, m_claudeWorkDir, 180s);
    qInfo().noquote() << "Claude Code ran for" << r.elapsedMs << "ms; the upstream saw:";
    for (const RecordedRequest &request : m_upstream.requests()) {
        QList<QByteArray> headers = request.headers.keys();
        std::sort(headers.begin(), headers.end());
        qInfo().noquote() << "  " << describe(request) << "headers:" << headers.join(',');
    }

    VERIFY_CLIENT(r.ok(), r);
    const QString written = readFile(QDir(m_claudeWorkDir).filePath(u"hello.txt"_s));
    if (written.trimmed() != u"hi"_s)
        QFAIL(qPrintable(u"hello.txt holds \"%1\"; "_s.arg(written) + report(r)));
    VERIFY_CLIENT(r.out.contains(u"Created hello.txt."_s), r);

    // The main conversation: a Write call, then the closing text after the tool_result.
    const QList<RecordedRequest> requests = messageRequests(m_upstream);
    const auto writes
        = std::count_if(requests.cbegin(), requests.cend(), [](const RecordedRequest &request) {
              return toolNames(request.json()).contains(u"Write"_s);
          });
    VERIFY_CLIENT(writes >= 2, r);
    const QString credentials = credentialProblem();
    QVERIFY2(credentials.isEmpty(), qPrintable(credentials));

    VERIFY_CLIENT(!m_rateLimitToolTurn, r); // the first account got the tool result, and a 429
    QList<RecordedRequest> onSpare = requests;
    onSpare.removeIf([](const RecordedRequest &request) {
        return credentialOf(request) != spareKey || !hasToolResult(request.json());
    });
    VERIFY_CLIENT(!onSpare.isEmpty(), r);
    // Claude Code asks for thinking (adaptive), so the first account's answer carried some.
    VERIFY_CLIENT(openAIPool() || requests.first().json().contains(u"thinking"), r);
    // Whatever thinking the first account signed, the spare never saw it.
    const QString firstTag = ScriptedThinking::sign(firstKey).section(u'.', 0, 1);
    for (const RecordedRequest &request : std::as_const(onSpare))
        VERIFY_CLIENT(!request.body.contains(firstTag.toUtf8()), r);
    QVERIFY2(waitUntilAccountAvailable(), "the first account did not come back after its 429");
}

QTEST_GUILESS_MAIN(TestRealClients)
#include "tst_realclients.moc"
