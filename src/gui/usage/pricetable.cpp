// SPDX-License-Identifier: GPL-3.0-or-later
#include "pricetable.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("PriceTable", text);
}

bool globMatches(const QString &pattern, const QString &text)
{
    // Our own translation: Qt's wildcards treat "/" as a path separator, and model names
    // may contain one ("anthropic/claude-…").
    QString regex = u"^"_s;
    for (const QChar c : pattern) {
        if (c == u'*')
            regex += u".*"_s;
        else if (c == u'?')
            regex += u'.';
        else
            regex += QRegularExpression::escape(QString(c));
    }
    regex += u'$';
    const QRegularExpression re(regex, QRegularExpression::CaseInsensitiveOption);
    return re.isValid() && re.match(text).hasMatch();
}

double priced(const UsageRecord &r, const ModelPrice &price)
{
    return (double(r.tokens.input) * price.input + double(r.tokens.output) * price.output
            + double(r.tokens.cacheRead) * price.cacheRead
            + double(r.tokens.cacheWrite) * price.cacheWrite)
        / 1e6;
}

} // namespace

PriceTable PriceTable::defaults()
{
    // List prices at the time of writing; cache reads cost a tenth of input, cache writes
    // (5-minute) a quarter more. More specific patterns come first.
    return PriceTable({
        {u"claude-opus-4-5*"_s, 5, 25, 0.5, 6.25},
        {u"claude-opus-4*"_s, 15, 75, 1.5, 18.75},
        {u"claude-sonnet-4*"_s, 3, 15, 0.3, 3.75},
        {u"claude-3-7-sonnet*"_s, 3, 15, 0.3, 3.75},
        {u"claude-haiku-4*"_s, 1, 5, 0.1, 1.25},
        {u"claude-3-5-haiku*"_s, 0.8, 4, 0.08, 1},
    });
}

const ModelPrice *PriceTable::match(const QString &model) const
{
    if (model.isEmpty())
        return nullptr;
    for (const ModelPrice &row : m_rows) {
        if (!row.pattern.isEmpty() && globMatches(row.pattern, model))
            return &row;
    }
    return nullptr;
}

std::optional<double> PriceTable::cost(const UsageRecord &r) const
{
    const ModelPrice *price = match(r.upstreamModel);
    if (!price)
        price = match(r.model);
    if (!price)
        return std::nullopt;
    return priced(r, *price);
}

CostEstimate PriceTable::estimate(const QList<UsageRecord> &records) const
{
    // Thousands of records share a handful of models: match each model once.
    QHash<QPair<QString, QString>, std::optional<ModelPrice>> prices;
    CostEstimate sum;
    for (const UsageRecord &r : records) {
        const QPair<QString, QString> models(r.upstreamModel, r.model);
        auto it = prices.find(models);
        if (it == prices.end()) {
            const ModelPrice *price = match(r.upstreamModel);
            if (!price)
                price = match(r.model);
            it = prices.insert(models, price ? std::optional(*price) : std::nullopt);
        }
        if (const auto dollars = it->has_value() ? std::optional(priced(r, **it)) : std::nullopt) {
            sum.dollars += *dollars;
            ++sum.pricedRequests;
        } else if (r.tokens.total() > 0) {
            ++sum.unpricedRequests;
        }
    }
    return sum;
}

QByteArray PriceTable::toJson() const
{
    QJsonArray rows;
    for (const ModelPrice &p : m_rows) {
        rows.append(QJsonObject {{u"model"_s, p.pattern},
                                 {u"input"_s, p.input},
                                 {u"output"_s, p.output},
                                 {u"cache_read"_s, p.cacheRead},
                                 {u"cache_write"_s, p.cacheWrite}});
    }
    return QJsonDocument(
               QJsonObject {{u"unit"_s, u"USD per million tokens"_s}, {u"prices"_s, rows}})
        .toJson();
}

Result<PriceTable> PriceTable::fromJson(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject() || !doc.object().value(u"prices"_s).isArray())
        return Error::invalid(tr("The price file is not a JSON object with a \"prices\" list."));
    QList<ModelPrice> rows;
    for (const QJsonValue &v : doc.object().value(u"prices"_s).toArray()) {
        const QJsonObject o = v.toObject();
        rows.append({o.value(u"model"_s).toString(), o.value(u"input"_s).toDouble(),
                     o.value(u"output"_s).toDouble(), o.value(u"cache_read"_s).toDouble(),
                     o.value(u"cache_write"_s).toDouble()});
    }
    return PriceTable(rows);
}

Result<PriceTable> PriceTable::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return defaults();
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(tr("Cannot read %1: %2").arg(path, file.errorString()));
    auto table = fromJson(file.readAll());
    if (!table)
        return Error::invalid(u"%1: %2"_s.arg(path, table.error().message));
    return table;
}

Status PriceTable::save(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson()) < 0 || !file.commit())
        return Error::io(tr("Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}
