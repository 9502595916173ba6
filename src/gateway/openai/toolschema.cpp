// SPDX-License-Identifier: GPL-3.0-or-later
#include "toolschema.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace {

QJsonValue cleanValue(const QJsonValue &value);

QJsonObject cleanMap(const QJsonObject &map)
{
    QJsonObject out;
    for (auto it = map.begin(); it != map.end(); ++it)
        out.insert(it.key(), cleanValue(it.value()));
    return out;
}

QJsonArray cleanList(const QJsonArray &list)
{
    QJsonArray out;
    for (const QJsonValue &v : list)
        out.append(cleanValue(v));
    return out;
}

QJsonObject cleanSchema(const QJsonObject &schema)
{
    static const QSet<QString> removed {
        u"$schema"_s,
        u"$id"_s,
        u"$comment"_s,
        u"$anchor"_s,
        u"$dynamicAnchor"_s,
        u"$vocabulary"_s,
        u"additionalProperties"_s,
        u"unevaluatedProperties"_s,
        u"patternProperties"_s,
        u"propertyNames"_s,
        u"examples"_s,
    };
    static const QSet<QString> keptFormats {u"date-time"_s, u"enum"_s,  u"int32"_s,
                                            u"int64"_s,     u"float"_s, u"double"_s};
    // Keywords whose value is a map of name -> schema.
    static const QSet<QString> schemaMaps {u"properties"_s, u"$defs"_s, u"definitions"_s,
                                           u"dependentSchemas"_s};
    // Keywords whose value is a schema or a list of schemas.
    static const QSet<QString> schemaValues {
        u"items"_s,
        u"prefixItems"_s,
        u"anyOf"_s,
        u"oneOf"_s,
        u"allOf"_s,
        u"not"_s,
        u"if"_s,
        u"then"_s,
        u"else"_s,
        u"contains"_s,
        u"additionalItems"_s,
        u"unevaluatedItems"_s,
    };

    QJsonObject out;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const QString &key = it.key();
        if (removed.contains(key))
            continue;
        if (key == u"format") {
            if (keptFormats.contains(it.value().toString()))
                out.insert(key, it.value());
        } else if (key == u"const") {
            out.insert(u"enum"_s, QJsonArray {it.value()});
        } else if (key == u"exclusiveMinimum" || key == u"exclusiveMaximum") {
            // Draft 4 used booleans here; only the numeric form carries a bound.
            const QString bound = key == u"exclusiveMinimum" ? u"minimum"_s : u"maximum"_s;
            if (it.value().isDouble() && !schema.contains(bound))
                out.insert(bound, it.value());
        } else if (schemaMaps.contains(key) && it.value().isObject()) {
            out.insert(key, cleanMap(it.value().toObject()));
        } else if (schemaValues.contains(key)) {
            out.insert(key, cleanValue(it.value()));
        } else {
            out.insert(key, it.value());
        }
    }
    return out;
}

QJsonValue cleanValue(const QJsonValue &value)
{
    if (value.isObject())
        return cleanSchema(value.toObject());
    if (value.isArray())
        return cleanList(value.toArray());
    return value;
}

} // namespace

QJsonObject ToolSchema::clean(const QJsonObject &schema)
{
    return cleanSchema(schema);
}
