// SPDX-License-Identifier: GPL-3.0-or-later
#include "guiapplication.h"

#include "cli/startoptions.h"
#include "core/localization.h"
#include "gateway/runtime.h"
#include "gui/common/messagebox.h"
#include "gui/common/runtimefacade.h"
#include "gui/settings/settingslanguage.h"
#include "gui/shell/mainwindow.h"
#include "gui/tray/trayicon.h"
#include "gui/tray/traynotifier.h"

#include <QApplication>
#include <QSystemTrayIcon>

#include <memory>

namespace GuiApplication {

int run(int argc, char *argv[], const StartOptions &options, const Clock &clock)
{
    QApplication app(argc, argv);
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/switchboard.svg")));
    Localization::install(QStringLiteral("system"));
    // The window never touches the database or the network: the runtime's threads do.
    Runtime runtime(options.app, clock);
    RuntimeFacade facade(runtime, clock);
    MainWindow window(facade);
    // Switching language at run time: every widget retranslates on LanguageChange.
    SettingsLanguage language(facade);

    // The tray keeps the app running when the window is closed, if there is a tray at all.
    std::unique_ptr<TrayIcon> tray;
    std::unique_ptr<TrayNotifier> notifier;
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        tray = std::make_unique<TrayIcon>(facade);
        notifier = std::make_unique<TrayNotifier>(facade, tray->systemTrayIcon());
        QObject::connect(tray.get(), &TrayIcon::showWindowRequested, &window, [&window] {
            window.showNormal();
            window.raise();
            window.activateWindow();
        });
        QObject::connect(tray.get(), &TrayIcon::quitRequested, &app, &QApplication::quit);
        window.setTrayAvailable(true);
        QObject::connect(&window, &MainWindow::closedToTray, tray.get(),
                         &TrayIcon::windowClosedToTray);
        // Only Quit ends the app: closing a dialog while the window is hidden must not.
        app.setQuitOnLastWindowClosed(false);
        tray->show();
    }

    bool shown = false;
    QObject::connect(&facade, &RuntimeFacade::settingsChanged, &window, [&] {
        if (!shown) {
            shown = true;
            // Minimised to the tray only when there is one: else the app would be invisible.
            if (!facade.settings().startMinimized() || !tray)
                window.show();
        }
    });
    QObject::connect(
        &facade, &RuntimeFacade::storageFailed, &window, [&window](const QString &message) {
            MessageBox::warn(
                &window, QCoreApplication::translate("GuiApplication", "Switchboard"),
                QCoreApplication::translate(
                    "GuiApplication",
                    "Switchboard cannot open its data: %1\nCheck that the data folder "
                    "is writable, or start with --data-dir pointing to another folder.")
                    .arg(message));
            window.show();
        });
    QObject::connect(&window, &MainWindow::quitRequested, &app, &QApplication::quit);
    runtime.start(options.listenAddress, options.listenPort);
    return app.exec();
}

} // namespace GuiApplication
