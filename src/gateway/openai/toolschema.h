// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>

/// Makes a tool's JSON Schema acceptable to strict OpenAI-compatible providers.
///
/// Claude clients send full JSON Schema (draft 2020-12, often generated from Zod or
/// Pydantic). Gemini behind OpenRouter, and providers that translate to it, answer 400
/// "Unknown name ..." for several keywords, and a 400 on the tool list fails every turn. The
/// rule: remove what only annotates or constrains the *validator* and keep what tells the
/// *model* what to produce.
///
/// Removed, at every schema level:
/// - meta keywords: `$schema`, `$id`, `$comment`, `$anchor`, `$dynamicAnchor`, `$vocabulary`;
/// - `additionalProperties`, `unevaluatedProperties`, `patternProperties`, `propertyNames`
///   (Gemini rejects them in any form; they restrict what the client accepts, and the
///   client validates the call anyway);
/// - `examples` (annotation; can be large);
/// - `format` unless it is one providers document (`date-time`, `enum`, `int32`, `int64`,
///   `float`, `double`);
/// - `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` (a bound one off is
///   a better hint than none).
/// Rewritten: `const: v` becomes `enum: [v]` (same meaning, widely supported).
/// Kept: types, `properties`, `required`, `items`, `enum`, `description`, `default`,
/// `anyOf`/`oneOf`/`allOf`, `$ref`/`$defs` (inlining references is out of scope).
///
/// Recursion follows the keywords that hold schemas (`properties`, `items`, `anyOf`, …);
/// property *names* are never treated as keywords, so a property called `format` survives.
class ToolSchema final
{
public:
    static QJsonObject clean(const QJsonObject &schema);
};
