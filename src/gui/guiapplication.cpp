// SPDX-License-Identifier: GPL-3.0-or-later
#include "guiapplication.h"

#include "backend.h"
#include "clock.h"
#include "localization.h"
#include "mainwindow.h"
#include "messagebox.h"
#include "runtime.h"
#include "startoptions.h"

#include <QApplication>

namespace GuiApplication {

int run(int argc, char *argv[], const StartOptions &options)
{
    QApplication app(argc, argv);
    app.setWindowIcon(QIcon(QStringLiteral(":/icons/switchboard.svg")));
    Localization::install(QStringLiteral("system"));
    // The window never touches the database or the network: the runtime's threads do.
    Runtime runtime(options.app, Clock::system());
    Backend backend(runtime, Clock::system());
    MainWindow window(backend);
    bool shown = false;
    QString language = QStringLiteral("system");
    QObject::connect(&backend, &Backend::settingsChanged, &window, [&] {
        // Switching language at run time: every widget retranslates on LanguageChange.
        if (backend.settings().language() != language) {
            language = backend.settings().language();
            Localization::install(language);
        }
        if (!shown) {
            shown = true;
            if (!backend.settings().startMinimized())
                window.show();
        }
    });
    QObject::connect(&backend, &Backend::storageFailed, &window, [&window](const QString &message) {
        MessageBox::warn(&window, QCoreApplication::translate("GuiApplication", "Switchboard"),
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
