// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingspage.h"

#include "gui/common/backgroundtask.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "gui/settings/accesskeydialog.h"
#include "gui/settings/accesskeyspanel.h"
#include "gui/settings/autostart.h"
#include "gui/settings/connectpanel.h"
#include "gui/settings/settingsform.h"

#include <QDir>
#include <QEvent>
#include <QLabel>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

namespace K = SettingKeys;

QScrollArea *scrolling(QWidget *content, QWidget *parent)
{
    auto *area = new QScrollArea(parent);
    area->setWidget(content);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    return area;
}

QLabel *note(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

SettingsPage::SettingsPage(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_tabs(new QTabWidget(this))
    , m_gateway(new SettingsForm(
          runtime,
          {{QT_TRANSLATE_NOOP("SettingsForm", "Local endpoint"), {K::listenAddress, K::listenPort}},
           {QT_TRANSLATE_NOOP("SettingsForm", "Routing"), {K::strategy, K::stickyTtl}},
           {QT_TRANSLATE_NOOP("SettingsForm", "Health checks"),
            {K::validationInterval, K::errorThreshold}},
           {QT_TRANSLATE_NOOP("SettingsForm", "Cooldowns"),
            {K::rateLimitCooldown, K::overloadedCooldown, K::circuitCooldown,
             K::permissionCooldown}},
           {QT_TRANSLATE_NOOP("SettingsForm", "Diagnostics"), {K::debugLogging}},
           {QT_TRANSLATE_NOOP("SettingsForm", "Advanced"),
            {K::upstreamTimeout, K::requestDeadline, K::allowedOrigins, K::passthrough}}},
          this))
    , m_app(new SettingsForm(runtime,
                             {{QT_TRANSLATE_NOOP("SettingsForm", "Startup and tray"),
                               {K::startAtLogin, K::startMinimized, K::closeToTray}},
                              {QT_TRANSLATE_NOOP("SettingsForm", "Language"), {K::language}}},
                             this))
    , m_keys(new AccessKeysPanel(runtime, this))
    , m_connect(new ConnectPanel(runtime, this))
    , m_endpoint(note(u"endpointState"_s, this))
    , m_debugNote(note(u"debugNote"_s, this))
    , m_autoStart(note(u"autoStartState"_s, this))
{
    setObjectName(u"settingsPage"_s);
    m_tabs->setObjectName(u"settingsTabs"_s);
    m_gateway->setObjectName(u"gatewaySettings"_s);
    m_app->setObjectName(u"appSettings"_s);
    m_gateway->addToGroup(0, m_endpoint);
    m_gateway->addToGroup(4, m_debugNote);
    m_app->addToGroup(0, m_autoStart);
    m_autoStart->hide();
    StatusPalette::paintText(m_autoStart, StatusPalette::Role::Error);
    m_tabs->addTab(scrolling(m_gateway, this), QString());
    m_tabs->addTab(scrolling(m_app, this), QString());
    m_tabs->addTab(m_keys, QString());
    m_tabs->addTab(scrolling(m_connect, this), QString());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);

    // A key made here is the one Connect Claude Code can use: its plaintext exists now only.
    connect(m_keys, &AccessKeysPanel::keyCreated, m_connect, &ConnectPanel::setAccessKey);
    connect(m_connect, &ConnectPanel::createKeyRequested, this,
            [this] { m_keys->createKey(tr("Claude Code")); });
    connect(m_app, &SettingsForm::saved, this, [this](const QString &key, const QVariant &value) {
        if (key == K::startAtLogin)
            applyAutoStart(value.toBool());
    });
    connect(&m_runtime, &RuntimeFacade::gatewayStateChanged, this, &SettingsPage::updateEndpoint);
    connect(&m_runtime, &RuntimeFacade::settingsChanged, this, &SettingsPage::updateDebugNote);
    retranslate();
}

AccessKeyDialog *SettingsPage::createAccessKey()
{
    showSection(Section::AccessKeys);
    return m_keys->createKey();
}

ConnectPanel *SettingsPage::showConnect()
{
    showSection(Section::Connect);
    return m_connect;
}

void SettingsPage::showSection(Section section)
{
    m_tabs->setCurrentIndex(int(section));
}

SettingsPage::Section SettingsPage::currentSection() const
{
    return Section(m_tabs->currentIndex());
}

void SettingsPage::applyAutoStart(bool enabled)
{
    m_autoStartError.clear();
    BackgroundTask::run<Status>(
        this, [enabled] { return AutoStart::forThisSystem().setEnabled(enabled); },
        [this](Status applied) {
            m_autoStartError = applied ? QString() : applied.error().message;
            retranslate();
        });
}

void SettingsPage::updateEndpoint()
{
    QString text;
    std::optional<StatusPalette::Role> role;
    switch (m_runtime.gatewayState()) {
    case RuntimeFacade::GatewayState::Starting:
        text = tr("Starting the local endpoint…");
        break;
    case RuntimeFacade::GatewayState::Running:
        text = tr("✔ Running at %1").arg(m_runtime.endpointUrl());
        role = StatusPalette::Role::Good;
        break;
    case RuntimeFacade::GatewayState::Stopped:
        text = tr("The local endpoint is stopped. Start it from the tray menu.");
        break;
    case RuntimeFacade::GatewayState::Failed:
        // The error says what to do; for a busy port: choose another one above.
        text = tr("The local endpoint could not start: %1").arg(m_runtime.gatewayError());
        role = StatusPalette::Role::Error;
        break;
    }
    StatusPalette::paintText(m_endpoint, role);
    m_endpoint->setText(text);
}

void SettingsPage::updateDebugNote()
{
    const QString log = m_runtime.dataDir().isEmpty()
        ? u"logs/debug.jsonl"_s
        : QDir::toNativeSeparators(QDir(m_runtime.dataDir()).filePath(u"logs/debug.jsonl"_s));
    m_debugNote->setText(
        m_runtime.settings().debugLogging()
            ? tr("⚠ Debug logging is on: request and response bodies (your prompts and the "
                 "answers) are written to %1, with keys masked to their last 4 characters. "
                 "Turn it off when you are done.")
                  .arg(log)
            : tr("When on, request and response bodies (your prompts and the answers) are "
                 "written to %1 on this computer, with keys masked to their last 4 characters.")
                  .arg(log));
    StatusPalette::paintText(m_debugNote,
                             m_runtime.settings().debugLogging()
                                 ? std::optional(StatusPalette::Role::Warning)
                                 : std::nullopt);
}

void SettingsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SettingsPage::retranslate()
{
    m_tabs->setTabText(0, tr("Gateway"));
    m_tabs->setTabText(1, tr("App"));
    m_tabs->setTabText(2, tr("Access keys"));
    m_tabs->setTabText(3, tr("Connect Claude Code"));
    m_autoStart->setVisible(!m_autoStartError.isEmpty());
    m_autoStart->setText(tr("Start at login was saved, but the desktop entry was not changed: "
                            "%1")
                             .arg(m_autoStartError));
    updateEndpoint();
    updateDebugNote();
}
