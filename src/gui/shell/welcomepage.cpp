// SPDX-License-Identifier: GPL-3.0-or-later
#include "welcomepage.h"

#include "gui/common/backgroundtask.h"
#include "gui/common/runtimefacade.h"
#include "gui/common/statuspalette.h"
#include "gui/settings/claudesettingsfile.h"

#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

WelcomePage::WelcomePage(RuntimeFacade &runtime, QWidget *parent)
    : QWidget(parent)
    , m_runtime(runtime)
    , m_title(new QLabel(this))
    , m_subtitle(new QLabel(this))
{
    setObjectName(u"welcomePage"_s);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.8);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignHCenter);
    m_subtitle->setWordWrap(true);
    m_subtitle->setAlignment(Qt::AlignHCenter);

    auto *card = new QFrame(this);
    card->setObjectName(u"welcomeSteps"_s);
    card->setFrameShape(QFrame::StyledPanel);
    card->setMaximumWidth(720); // narrower windows wrap the texts
    auto *steps = new QVBoxLayout(card);
    steps->setContentsMargins(24, 20, 24, 20);
    steps->setSpacing(14);
    const QStringList names = {u"AddAccount"_s, u"CreateKey"_s, u"ConnectClaude"_s};
    for (int i = 0; i < 3; ++i) {
        StepWidgets &s = m_steps[i];
        s.mark = new QLabel(card);
        s.mark->setFixedSize(32, 32);
        s.mark->setAlignment(Qt::AlignCenter);
        s.mark->setObjectName(u"mark"_s + names[i]);
        s.title = new QLabel(card);
        QFont bold = s.title->font();
        bold.setBold(true);
        bold.setPointSizeF(bold.pointSizeF() * 1.1);
        s.title->setFont(bold);
        s.text = new QLabel(card);
        s.text->setWordWrap(true);
        // Two lines at least: a wrapped label in a box layout is otherwise cut at its descenders.
        s.text->setMinimumHeight(s.text->fontMetrics().lineSpacing() * 2 + 6);
        s.text->setAlignment(Qt::AlignLeft | Qt::AlignTop);
        StatusPalette::paintText(s.text, StatusPalette::Role::Muted);
        s.button = new QPushButton(card);
        s.button->setObjectName(u"step"_s + names[i]);
        auto *words = new QVBoxLayout;
        words->setSpacing(2);
        words->addWidget(s.title);
        words->addWidget(s.text);
        auto *row = new QHBoxLayout;
        row->setSpacing(16);
        row->addWidget(s.mark, 0, Qt::AlignTop);
        row->addLayout(words, 1);
        row->addWidget(s.button, 0, Qt::AlignVCenter);
        steps->addLayout(row);
        if (i < 2) {
            auto *line = new QFrame(card);
            line->setFrameShape(QFrame::HLine);
            line->setFrameShadow(QFrame::Sunken);
            steps->addWidget(line);
        }
    }
    connect(m_steps[0].button, &QPushButton::clicked, this, &WelcomePage::addAccountRequested);
    connect(m_steps[1].button, &QPushButton::clicked, this, &WelcomePage::createKeyRequested);
    connect(m_steps[2].button, &QPushButton::clicked, this, &WelcomePage::connectRequested);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addStretch(1);
    layout->addWidget(m_title);
    layout->addSpacing(6);
    layout->addWidget(m_subtitle);
    layout->addSpacing(24);
    auto *centred = new QHBoxLayout; // the card keeps to the middle once at its widest
    centred->addStretch(1);
    centred->addWidget(card, 100);
    centred->addStretch(1);
    layout->addLayout(centred);
    layout->addStretch(2);

    connect(&m_runtime, &RuntimeFacade::accountsChanged, this, &WelcomePage::updateSteps);
    connect(&m_runtime, &RuntimeFacade::accessKeysChanged, this, &WelcomePage::updateSteps);
    connect(&m_runtime, &RuntimeFacade::gatewayStateChanged, this, &WelcomePage::refresh);
    retranslate();
}

bool WelcomePage::isDone(Step step) const
{
    switch (step) {
    case Step::AddAccount:
        return !m_runtime.accounts().isEmpty();
    case Step::CreateKey:
        for (const AccessKey &key : m_runtime.accessKeys()) {
            if (!key.isRevoked() && !key.admin)
                return true;
        }
        return false;
    case Step::ConnectClaude:
        return m_connected;
    }
    return false;
}

QPushButton *WelcomePage::button(Step step) const
{
    return m_steps[int(step)].button;
}

void WelcomePage::setClaudeSettingsPath(const QString &path)
{
    m_claudePath = path;
    refresh();
}

void WelcomePage::refresh()
{
    const QString path = m_claudePath.isEmpty() ? ClaudeSettingsFile::defaultPath() : m_claudePath;
    BackgroundTask::run<Result<ClaudeSettingsFile::Connection>>(
        this, [path] { return ClaudeSettingsFile(path).read(); },
        [this](Result<ClaudeSettingsFile::Connection> read) {
            m_connected = read && ClaudeSettingsFile::pointsAt(*read, m_runtime.endpointUrl());
            updateSteps();
            Q_EMIT refreshed();
        });
}

void WelcomePage::showEvent(QShowEvent *event)
{
    refresh();
    QWidget::showEvent(event);
}

void WelcomePage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void WelcomePage::retranslate()
{
    m_title->setText(tr("Welcome to Switchboard"));
    m_subtitle->setText(tr("One local endpoint for Claude Code, served by all your API "
                           "accounts. Three steps and you are set:"));
    m_steps[0].title->setText(tr("Add an account"));
    m_steps[0].text->setText(tr("An Anthropic or OpenAI-compatible API key. Add more later: "
                                "Switchboard moves on when one is rate-limited."));
    m_steps[1].title->setText(tr("Create an access key"));
    m_steps[1].text->setText(tr("Claude Code presents it to Switchboard, so no other program "
                                "can use your accounts."));
    m_steps[2].title->setText(tr("Connect Claude Code"));
    m_steps[2].text->setText(tr("Point Claude Code at Switchboard with two environment "
                                "variables, or let Switchboard write its settings file."));
    updateSteps();
}

void WelcomePage::updateSteps()
{
    const QStringList todo = {tr("Add account…"), tr("Create key…"), tr("Connect…")};
    const QStringList again = {tr("Add another…"), tr("Create another…"), tr("Show settings")};
    for (int i = 0; i < 3; ++i) {
        StepWidgets &s = m_steps[i];
        const bool done = isDone(Step(i));
        s.mark->setText(done ? u"✔"_s : QString::number(i + 1));
        // Done: the good colour; to do: the theme's highlight, like the default button.
        const StatusPalette status(palette());
        const QColor fill
            = done ? status.color(StatusPalette::Role::Good) : palette().color(QPalette::Highlight);
        const QColor text = done ? status.textOnFill() : palette().color(QPalette::HighlightedText);
        s.mark->setStyleSheet(
            u"background: %1; color: %2; border-radius: 16px; font-weight: bold;"_s.arg(
                fill.name(), text.name()));
        s.mark->setToolTip(done ? tr("Done") : tr("To do"));
        s.button->setText(done ? again[i] : todo[i]);
        s.button->setDefault(!done && (i == 0 || isDone(Step(i - 1))));
    }
}
