// SPDX-License-Identifier: GPL-3.0-or-later
#include "settingscommand.h"

#include "cli/command.h"
#include "core/appcontext.h"
#include "core/settingsstore.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

bool SettingsCommand::run(const QString &action, Invocation &ctx)
{
    static const QHash<QString, std::pair<int, QString>> usage = {
        {u"list"_s, {0, u"[--json]"_s}},
        {u"get"_s, {1, u"KEY"_s}},
        {u"set"_s, {2, u"KEY VALUE"_s}},
        {u"reset"_s, {1, u"KEY"_s}},
    };
    if (!usage.contains(action))
        return false;
    execute(action, usage[action].first, usage[action].second, ctx);
    return true;
}

void SettingsCommand::execute(const QString &action, int positional, const QString &usage,
                              Invocation &ctx)
{
    QCommandLineParser parser;
    if (action == u"list")
        parser.addOption({u"json"_s, tr("Print JSON.")});
    if (!ctx.parse(parser, positional, usage))
        return;
    const QStringList args = parser.positionalArguments();
    SettingsStore &store = ctx.app.settings();

    if (action == u"set") {
        auto value = Settings::parse(args[0], args[1]);
        if (!value)
            return ctx.fail(value.error());
        if (Status saved = store.save(args[0], *value); !saved)
            return ctx.fail(saved.error());
        return ctx.succeed(tr("%1 = %2").arg(args[0], Settings::format(*value)));
    }
    if (action == u"reset") {
        if (Status reset = store.reset(args[0]); !reset)
            return ctx.fail(reset.error());
        return ctx.succeed(tr("%1 is back to its default.").arg(args[0]));
    }

    auto settings = store.load();
    if (!settings)
        return ctx.fail(settings.error());
    if (action == u"get") {
        if (!Settings::definition(args[0]))
            return ctx.fail(Settings::validate(args[0], {}).error());
        ctx.out.line(Settings::format(settings->value(args[0])));
    } else if (parser.isSet(u"json"_s)) {
        QJsonObject object;
        for (const SettingDefinition &d : Settings::definitions())
            object.insert(d.key, QJsonValue::fromVariant(settings->value(d.key)));
        ctx.out.json(object);
    } else {
        QList<QStringList> rows;
        for (const SettingDefinition &d : Settings::definitions()) {
            rows << QStringList {d.key, Settings::format(settings->value(d.key)),
                                 Settings::format(d.defaultValue),
                                 QCoreApplication::translate("Settings", d.description)};
        }
        ctx.out.table({tr("KEY"), tr("VALUE"), tr("DEFAULT"), tr("DESCRIPTION")}, rows);
    }
    ctx.finish(ExitCode::ok);
}
