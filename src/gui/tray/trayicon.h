// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "gui/tray/traystate.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QUuid>

class CooldownWatch;
class RuntimeFacade;
class QAction;
class QActionGroup;
class QMenu;
class QSystemTrayIcon;

/// The tray icon: its colour says whether requests can be served (TrayState), its tooltip
/// what happened today, and its menu holds the quick actions (open the window, start or
/// stop the endpoint, strategy, pin an account, copy the base URL, quit). It owns no
/// window logic: it asks for the window through showWindowRequested().
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    explicit TrayIcon(RuntimeFacade &runtime, QObject *parent = nullptr);
    ~TrayIcon() override;

    void show();
    void hide();

    TrayState state() const { return m_state; }
    /// What serves and how much today, as the overview says it: the tooltip's first line
    /// and the menu's top line.
    QString statusLine() const;
    QString toolTip() const;
    QMenu *menu() const { return m_menu; }
    QSystemTrayIcon *systemTrayIcon() const { return m_tray; }
    /// The icon drawn for a state (the app glyph with coloured endpoints).
    static QIcon iconFor(TrayState::Level level);
    /// The window was closed into the tray: the first time ever, a message says that
    /// Switchboard keeps serving there.
    void windowClosedToTray();

Q_SIGNALS:
    void showWindowRequested();
    void quitRequested();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void update();
    void rebuildMenu();
    void updateMenu();
    /// An account in the pin menu: its name, and its health unless that is fine.
    QString pinText(const QUuid &id) const;

    RuntimeFacade &m_runtime;
    QSystemTrayIcon *m_tray;
    QMenu *m_menu; ///< top-level: the tray does not own its menu
    QMenu *m_strategyMenu = nullptr;
    QMenu *m_pinMenu = nullptr;
    QAction *m_status = nullptr;
    QAction *m_open = nullptr;
    QAction *m_startStop = nullptr;
    QAction *m_copyUrl = nullptr;
    QAction *m_quit = nullptr;
    QActionGroup *m_strategies = nullptr;
    QActionGroup *m_pins = nullptr;
    QList<QPair<QUuid, QString>> m_pinned; ///< what the pin menu lists
    CooldownWatch *m_cooldowns;
    TrayState m_state;
    bool m_hasState = false;
};
