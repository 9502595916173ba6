// SPDX-License-Identifier: GPL-3.0-or-later
#include "guiapplication.h"

#include "clock.h"
#include "localization.h"
#include "mainwindow.h"
#include "runtime.h"
#include "startoptions.h"

#include <QApplication>
#include <QMessageBox>

namespace GuiApplication {

int run(int argc, char *argv[], const StartOptions &options)
{
    QApplication app(argc, argv);
    Localization::install(QStringLiteral("system"));
    MainWindow window;
    // The window never touches the database: the runtime's storage thread does.
    Runtime runtime(options.app, Clock::system());
    QObject::connect(&runtime.gateway(), &Gateway::started, &window,
                     &MainWindow::showGatewayStarted);
    QObject::connect(&runtime.gateway(), &Gateway::failed, &window, &MainWindow::showGatewayFailed);
    QObject::connect(&runtime, &Runtime::loaded, &window,
                     [&window](const QList<Account> &accounts, const QList<AccessKey> &,
                               const Settings &settings) {
                         if (Localization::current() != settings.language()
                             && settings.language() != QStringLiteral("system"))
                             Localization::install(settings.language());
                         window.setAccounts(accounts);
                     });
    QObject::connect(&runtime, &Runtime::failed, &window, [&window](const QString &message) {
        QMessageBox::critical(
            &window, QCoreApplication::translate("GuiApplication", "Switchboard"),
            QCoreApplication::translate("GuiApplication", "Switchboard cannot open its data: %1")
                .arg(message));
        QApplication::exit(1);
    });
    runtime.start(options.listenAddress, options.listenPort);
    window.show();
    return app.exec();
}

} // namespace GuiApplication
