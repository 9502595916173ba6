// SPDX-License-Identifier: GPL-3.0-or-later
#include "localization.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<QTranslator> g_app;
std::unique_ptr<QTranslator> g_qt;
QString g_current = u"en"_s;

} // namespace

namespace Localization {

QString resolve(const QString &language)
{
    if (language != u"system")
        return available().contains(language) ? language : u"en"_s;
    // The OS's preferred languages in order; Chinese is told apart by script, since
    // Taiwan, Hong Kong and Macau read Traditional characters.
    for (const QString &name : QLocale::system().uiLanguages()) {
        const QLocale locale(name);
        switch (locale.language()) {
        case QLocale::English:
            return u"en"_s;
        case QLocale::Japanese:
            return u"ja"_s;
        case QLocale::Chinese:
            return locale.script() == QLocale::TraditionalHanScript ? u"zh_TW"_s : u"zh_CN"_s;
        default:
            break;
        }
    }
    return u"en"_s;
}

QStringList available()
{
    return {u"en"_s, u"zh_CN"_s, u"zh_TW"_s, u"ja"_s};
}

void install(const QString &language)
{
    for (auto *t : {&g_app, &g_qt}) {
        if (*t)
            QCoreApplication::removeTranslator(t->get());
        t->reset();
    }
    const QString code = resolve(language);
    // Dates and numbers follow the window's language when one is chosen, the OS otherwise.
    QLocale::setDefault(language == u"system" ? QLocale::system() : QLocale(code));
    g_current = u"en"_s;
    // English too has a file: its plural forms ("1 request", "2 requests").
    auto app = std::make_unique<QTranslator>();
    if (app->load(u":/i18n/switchboard_%1.qm"_s.arg(code))) {
        QCoreApplication::installTranslator(app.get());
        g_app = std::move(app);
        g_current = code;
    }
    if (code == u"en")
        return;
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(u"qtbase_"_s + code, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        g_qt = std::move(qt);
    }
}

QString current()
{
    return g_current;
}

} // namespace Localization
