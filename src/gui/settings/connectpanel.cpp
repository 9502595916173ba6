// SPDX-License-Identifier: GPL-3.0-or-later
#include "connectpanel.h"

#include "gui/common/backgroundtask.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"

#include <QClipboard>
#include <QDir>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

ConnectPanel::ConnectPanel(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_intro(new QLabel(this))
    , m_shells(new QTabBar(this))
    , m_lines {new QLineEdit(this), new QLineEdit(this)}
    , m_copy {new QPushButton(this), new QPushButton(this)}
    , m_copyBoth(new QPushButton(this))
    , m_keyNote(new QLabel(this))
    , m_createKey(new QPushButton(this))
    , m_fileIntro(new QLabel(this))
    , m_write(new QPushButton(this))
    , m_undo(new QPushButton(this))
    , m_message(new QLabel(this))
{
    setObjectName(u"connectPanel"_s);
    m_status->setObjectName(u"connectStatus"_s);
    m_shells->setObjectName(u"shellTabs"_s);
    m_createKey->setObjectName(u"createKeyForClaude"_s);
    m_write->setObjectName(u"writeClaudeSettings"_s);
    m_undo->setObjectName(u"undoClaudeSettings"_s);
    m_message->setObjectName(u"connectMessage"_s);
    QFont title = m_title->font();
    title.setPointSizeF(title.pointSizeF() * 1.3);
    title.setBold(true);
    m_title->setFont(title);
    for (QLabel *label : {m_status, m_intro, m_keyNote, m_fileIntro, m_message}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_shells->addTab(QString());
    m_shells->addTab(QString());
    m_shells->setDrawBase(false);
    m_shells->setExpanding(false);

    auto *lines = new QGridLayout;
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int i = 0; i < 2; ++i) {
        m_lines[i]->setReadOnly(true);
        m_lines[i]->setFont(mono);
        m_lines[i]->setObjectName(i == 0 ? u"baseUrlLine"_s : u"tokenLine"_s);
        m_copy[i]->setObjectName(i == 0 ? u"copyBaseUrl"_s : u"copyToken"_s);
        lines->addWidget(m_lines[i], i, 0);
        lines->addWidget(m_copy[i], i, 1);
        connect(m_copy[i], &QPushButton::clicked, this, [this, i] {
            QGuiApplication::clipboard()->setText(m_lines[i]->text());
            setMessage(tr("Copied to the clipboard."), false);
        });
    }
    connect(m_copyBoth, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(line(0) + u'\n' + line(1) + u'\n');
        setMessage(tr("Both lines copied to the clipboard."), false);
    });
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyNote, 1);
    keyRow->addWidget(m_createKey);

    auto *envBox = new QGroupBox(this);
    envBox->setObjectName(u"envBox"_s);
    auto *envLayout = new QVBoxLayout(envBox);
    envLayout->addWidget(m_intro);
    envLayout->addWidget(m_shells);
    envLayout->addLayout(lines);
    auto *copyRow = new QHBoxLayout;
    copyRow->addStretch(1);
    copyRow->addWidget(m_copyBoth);
    envLayout->addLayout(copyRow);
    envLayout->addLayout(keyRow);

    auto *fileBox = new QGroupBox(this);
    fileBox->setObjectName(u"fileBox"_s);
    auto *fileLayout = new QVBoxLayout(fileBox);
    fileLayout->addWidget(m_fileIntro);
    auto *fileButtons = new QHBoxLayout;
    fileButtons->addWidget(m_write);
    fileButtons->addWidget(m_undo);
    fileButtons->addStretch(1);
    fileLayout->addLayout(fileButtons);
    fileLayout->addWidget(m_message);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_status);
    layout->addWidget(envBox);
    layout->addWidget(fileBox);
    layout->addStretch(1);

    m_message->hide();
    connect(m_shells, &QTabBar::currentChanged, this, &ConnectPanel::updateLines);
    connect(m_createKey, &QPushButton::clicked, this, &ConnectPanel::createKeyRequested);
    connect(m_write, &QPushButton::clicked, this, &ConnectPanel::writeSettings);
    connect(m_undo, &QPushButton::clicked, this, &ConnectPanel::undo);
    connect(&m_runtime, &RuntimeFacade::gatewayStateChanged, this, [this] {
        updateLines();
        refresh();
    });
    connect(&m_runtime, &RuntimeFacade::settingsChanged, this, &ConnectPanel::updateLines);
    retranslate();
}

void ConnectPanel::setAccessKey(const NewAccessKey &key)
{
    m_key = key;
    retranslate();
}

void ConnectPanel::setSettingsPath(const QString &path)
{
    m_path = path;
    m_change.reset();
    refresh();
}

QString ConnectPanel::settingsPath() const
{
    return m_path.isEmpty() ? ClaudeSettingsFile::defaultPath() : m_path;
}

void ConnectPanel::setShell(Shell shell)
{
    m_shells->setCurrentIndex(shell == Shell::Posix ? 0 : 1);
}

QString ConnectPanel::line(int index) const
{
    return m_lines[index]->text();
}

QString ConnectPanel::baseUrl() const
{
    const QString running = m_runtime.endpointUrl();
    if (!running.isEmpty())
        return running;
    // Not running: the address it will listen on, so the lines stay useful.
    const QHostAddress address = m_runtime.settings().listenAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
        ? u"[%1]"_s.arg(address.toString())
        : address.toString();
    return u"http://%1:%2"_s.arg(host).arg(m_runtime.settings().listenPort());
}

void ConnectPanel::updateLines()
{
    const QString url = baseUrl();
    const QString token = m_key ? m_key->plaintext : tr("<your access key>");
    if (m_shells->currentIndex() == 1) {
        m_lines[0]->setText(u"$env:ANTHROPIC_BASE_URL=\"%1\""_s.arg(url));
        m_lines[1]->setText(u"$env:ANTHROPIC_AUTH_TOKEN=\"%1\""_s.arg(token));
    } else {
        m_lines[0]->setText(u"export ANTHROPIC_BASE_URL=%1"_s.arg(url));
        m_lines[1]->setText(u"export ANTHROPIC_AUTH_TOKEN=%1"_s.arg(token));
    }
    for (QLineEdit *edit : m_lines)
        edit->setCursorPosition(0);
}

void ConnectPanel::refresh()
{
    const QString path = settingsPath();
    BackgroundTask::run<Result<ClaudeSettingsFile::Connection>>(
        this, [path] { return ClaudeSettingsFile(path).read(); },
        [this](Result<ClaudeSettingsFile::Connection> read) {
            const bool was = m_connected;
            m_readError = read ? QString() : read.error().message;
            m_connected = read && ClaudeSettingsFile::pointsAt(*read, m_runtime.endpointUrl());
            updateStatus();
            if (was != m_connected)
                Q_EMIT connectionChanged(m_connected);
        });
}

void ConnectPanel::writeSettings()
{
    if (!m_key || m_busy)
        return;
    m_busy = true;
    m_write->setEnabled(false);
    const QString path = settingsPath();
    const QString url = baseUrl();
    const QString token = m_key->plaintext;
    BackgroundTask::run<Result<ClaudeSettingsFile::Change>>(
        this, [path, url, token] { return ClaudeSettingsFile(path).write(url, token); },
        [this, path](Result<ClaudeSettingsFile::Change> written) {
            m_busy = false;
            if (!written) {
                setMessage(written.error().message, true);
            } else {
                m_change = *written;
                setMessage(
                    written->existed
                        ? tr("Written to %1. The previous file is kept in %2; Undo puts "
                             "it back. Restart Claude Code to use Switchboard.")
                              .arg(QDir::toNativeSeparators(path),
                                   QDir::toNativeSeparators(ClaudeSettingsFile(path).backupPath()))
                        : tr("Created %1. Restart Claude Code to use Switchboard.")
                              .arg(QDir::toNativeSeparators(path)),
                    false);
            }
            retranslate();
            refresh();
            Q_EMIT fileChanged();
        });
}

void ConnectPanel::undo()
{
    if (!m_change || m_busy)
        return;
    m_busy = true;
    const QString path = settingsPath();
    const ClaudeSettingsFile::Change change = *m_change;
    BackgroundTask::run<Status>(
        this, [path, change] { return ClaudeSettingsFile(path).undo(change); },
        [this, change, path](Status undone) {
            m_busy = false;
            if (!undone) {
                setMessage(undone.error().message, true);
            } else {
                m_change.reset();
                setMessage(change.existed
                               ? tr("Restored the previous %1.").arg(QDir::toNativeSeparators(path))
                               : tr("Removed %1 again.").arg(QDir::toNativeSeparators(path)),
                           false);
            }
            retranslate();
            refresh();
            Q_EMIT fileChanged();
        });
}

void ConnectPanel::setMessage(const QString &text, bool error)
{
    StatusPalette::showMessage(m_message, text,
                               error ? std::optional(StatusPalette::Role::Error) : std::nullopt);
}

void ConnectPanel::updateStatus()
{
    QString text;
    std::optional<StatusPalette::Role> role;
    if (!m_readError.isEmpty()) {
        text = m_readError;
        role = StatusPalette::Role::Error;
    } else if (m_connected) {
        text = tr("✔ Claude Code is connected: its settings file sends requests to %1.")
                   .arg(m_runtime.endpointUrl());
        role = StatusPalette::Role::Good;
    } else if (m_runtime.endpointUrl().isEmpty()) {
        text = tr("The local endpoint is not running, so Claude Code cannot connect. Start it "
                  "from the tray menu, or choose a free port on the Gateway tab.");
        role = StatusPalette::Role::Warning;
    } else {
        text = tr("Claude Code is not connected to Switchboard yet.");
    }
    StatusPalette::paintText(m_status, role);
    m_status->setText(text);
}

void ConnectPanel::showEvent(QShowEvent *event)
{
    refresh();
    QWidget::showEvent(event);
}

void ConnectPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        // The message answers the last click ("Copied", "Written to …"): it would stay in
        // the old language, and the state it reported is on screen anyway, so drop it.
        setMessage({}, false);
        retranslate();
    }
    QWidget::changeEvent(event);
}

void ConnectPanel::retranslate()
{
    m_title->setText(tr("Connect Claude Code"));
    qobject_cast<QGroupBox *>(m_intro->parentWidget())->setTitle(tr("Environment variables"));
    qobject_cast<QGroupBox *>(m_fileIntro->parentWidget())
        ->setTitle(tr("Claude Code settings file"));
    m_intro->setText(tr("Claude Code sends its requests to ANTHROPIC_BASE_URL with the key in "
                        "ANTHROPIC_AUTH_TOKEN. Set both in the shell you start Claude Code from:"));
    m_shells->setTabText(0, tr("bash / zsh"));
    m_shells->setTabText(1, tr("Windows PowerShell"));
    for (QPushButton *copy : m_copy)
        copy->setText(tr("Copy"));
    m_copyBoth->setText(tr("Copy both lines"));
    m_keyNote->setText(
        m_key ? tr("The lines use the key \"%1\" you just created.").arg(m_key->key.name)
              : tr("Switchboard keeps only a hash of each access key, so it "
                   "cannot fill in an existing one. Paste yours, or create a "
                   "new key for Claude Code."));
    m_createKey->setText(tr("Create a key for Claude Code"));
    m_createKey->setVisible(!m_key);
    const QString path = QDir::toNativeSeparators(settingsPath());
    m_fileIntro->setText(
        m_key ? tr("Or let Switchboard write both values into the \"env\" section of %1. "
                   "Other settings stay as they are, and the previous file is kept as a "
                   "backup.")
                    .arg(path)
              : tr("Or let Switchboard write both values into the \"env\" section of %1. This "
                   "needs the key itself: create a key for Claude Code first.")
                    .arg(path));
    m_write->setText(tr("Write to %1")
                         .arg(path.startsWith(QDir::toNativeSeparators(QDir::homePath())) ? u"~"_s
                                      + path.mid(QDir::toNativeSeparators(QDir::homePath()).size())
                                                                                          : path));
    m_write->setEnabled(m_key.has_value() && !m_busy);
    m_undo->setText(tr("Undo"));
    m_undo->setVisible(m_change.has_value());
    updateLines();
    updateStatus();
}
