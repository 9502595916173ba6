// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/usagerecord.h"

#include <QByteArray>
#include <QList>
#include <QString>

/// What one model costs, in US dollars per million tokens. `pattern` is a glob
/// ("claude-sonnet-4*"), matched case-insensitively against the whole model name.
struct ModelPrice
{
    QString pattern;
    double input = 0;
    double output = 0;
    double cacheRead = 0;
    double cacheWrite = 0;

    bool operator==(const ModelPrice &) const = default;
};

/// The estimated cost of some requests.
struct CostEstimate
{
    double dollars = 0;
    qint64 pricedRequests = 0;
    /// Requests whose model no row matched: they cost nothing in `dollars`.
    qint64 unpricedRequests = 0;
};

/// The user's editable price list, used to estimate what requests cost. The first row whose
/// pattern matches a model wins. Saved as JSON (prices.json in the data folder). Pure.
class PriceTable final
{
public:
    PriceTable() = default;
    explicit PriceTable(QList<ModelPrice> rows)
        : m_rows(std::move(rows))
    { }

    /// Estimates for current Claude models, meant to be edited: prices change.
    static PriceTable defaults();

    const QList<ModelPrice> &rows() const { return m_rows; }
    void setRows(QList<ModelPrice> rows) { m_rows = std::move(rows); }

    /// The first row matching the model, or nullptr.
    const ModelPrice *match(const QString &model) const;
    /// Dollars for the record: the upstream model's price when it has one, else the
    /// requested model's; nullopt when no row matches either.
    std::optional<double> cost(const UsageRecord &record) const;
    CostEstimate estimate(const QList<UsageRecord> &records) const;

    QByteArray toJson() const;
    static Result<PriceTable> fromJson(const QByteArray &json);
    /// File access, for a worker thread. A missing file gives the defaults.
    static Result<PriceTable> load(const QString &path);
    Status save(const QString &path) const;

    bool operator==(const PriceTable &) const = default;

private:
    QList<ModelPrice> m_rows;
};
