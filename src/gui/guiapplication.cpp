// SPDX-License-Identifier: GPL-3.0-or-later
#include "guiapplication.h"

#include "accesskeystore.h"
#include "accountstore.h"
#include "appcontext.h"
#include "clock.h"
#include "gateway.h"
#include "localization.h"
#include "mainwindow.h"
#include "secretstore.h"
#include "settingsstore.h"
#include "startoptions.h"

#include <QApplication>
#include <QMessageBox>

namespace GuiApplication {

int run(int argc, char *argv[], const StartOptions &options)
{
    QApplication app(argc, argv);
    auto context = AppContext::open(options.app, Clock::system());
    if (!context) {
        Localization::install(QStringLiteral("system"));
        QMessageBox::critical(
            nullptr, QCoreApplication::translate("GuiApplication", "Switchboard"),
            QCoreApplication::translate("GuiApplication", "Switchboard cannot open its data: %1")
                .arg(context.error().message));
        return 1;
    }
    const Settings settings = (*context)->settings().load().value_or(Settings {});
    Localization::install(settings.language());

    MainWindow window;
    const AppOptions appOptions = options.app;
    Gateway gateway(Clock::system(),
                    [appOptions] { return AppContext::makeSecretStore(appOptions); });
    QObject::connect(&gateway, &Gateway::started, &window, &MainWindow::showGatewayStarted);
    QObject::connect(&gateway, &Gateway::failed, &window, &MainWindow::showGatewayFailed);
    if (auto accounts = (*context)->accounts().list()) {
        window.setAccounts(*accounts);
        gateway.setAccounts(*accounts);
    }
    gateway.setSettings(settings);
    if (auto keys = (*context)->accessKeys().list())
        gateway.setAccessKeys(*keys);
    gateway.start(options.listenAddress.value_or(settings.listenAddress()),
                  options.listenPort.value_or(settings.listenPort()));
    window.show();
    return app.exec();
}

} // namespace GuiApplication
