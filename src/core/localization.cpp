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

void install(const QString &language)
{
    for (auto *t : {&g_app, &g_qt}) {
        if (*t)
            QCoreApplication::removeTranslator(t->get());
        t->reset();
    }
    const QLocale locale = language == u"system" ? QLocale::system() : QLocale(language);
    g_current = u"en"_s;
    if (locale.language() != QLocale::Chinese)
        return;
    auto app = std::make_unique<QTranslator>();
    if (app->load(u":/i18n/switchboard_zh_CN.qm"_s)) {
        QCoreApplication::installTranslator(app.get());
        g_app = std::move(app);
        g_current = u"zh_CN"_s;
    }
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(u"qtbase_zh_CN"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        g_qt = std::move(qt);
    }
}

QString current()
{
    return g_current;
}

} // namespace Localization
