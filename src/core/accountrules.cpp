// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountrules.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

bool isTokenChar(QChar c)
{
    static const QString separators = u"()<>@,;:\\\"/[]?={} \t"_s;
    return c.unicode() > 32 && c.unicode() < 127 && !separators.contains(c);
}

} // namespace

Status AccountRules::checkRange(const QString &field, int value, int min, int max)
{
    if (value < min || value > max) {
        return Error::invalid(
            tr("%1 must be between %2 and %3 (got %4).").arg(field).arg(min).arg(max).arg(value));
    }
    return {};
}

Result<QUrl> AccountRules::parseBaseUrl(const QString &text, ProviderKind provider)
{
    const QString trimmed = text.trimmed();
    QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (trimmed.isEmpty() || !url.isValid() || url.host().isEmpty()
        || (scheme != u"http" && scheme != u"https")) {
        return Error::invalid(tr("Base URL \"%1\" is not a valid http:// or https:// address, "
                                 "for example https://api.anthropic.com.")
                                  .arg(trimmed));
    }
    if (!url.userInfo().isEmpty()) {
        return Error::invalid(tr("Base URL must not contain a user name or password; "
                                 "the API key is stored separately in the keychain."));
    }
    if (url.hasQuery() || url.hasFragment())
        return Error::invalid(tr("Base URL must not contain a query (?…) or fragment (#…)."));

    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    if (provider == ProviderKind::Anthropic && path.endsWith(u"/v1"))
        path.chop(3);
    url.setPath(path);
    url.setScheme(scheme);
    return url;
}

Status AccountRules::checkName(const QString &name)
{
    if (name.trimmed().isEmpty())
        return Error::invalid(tr("Account name must not be empty."));
    if (name != name.trimmed())
        return Error::invalid(tr("Account name must not start or end with spaces."));
    if (name.size() > AccountLimits::maxNameLength) {
        return Error::invalid(
            tr("Account name is longer than %1 characters.").arg(AccountLimits::maxNameLength));
    }
    for (QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return Error::invalid(tr("Account name must not contain control characters."));
    }
    return {};
}

Status AccountRules::checkHeader(const QString &name, const QString &value)
{
    static const QStringList reserved
        = {u"authorization"_s,  u"x-api-key"_s,         u"host"_s,
           u"content-length"_s, u"transfer-encoding"_s, u"connection"_s};
    if (name.isEmpty() || !std::all_of(name.begin(), name.end(), isTokenChar))
        return Error::invalid(tr("Header name \"%1\" is not a valid HTTP header name.").arg(name));
    if (reserved.contains(name.toLower())) {
        return Error::invalid(
            tr("Header \"%1\" is set by Switchboard itself and cannot be an extra header.")
                .arg(name));
    }
    if (value.contains(u'\r') || value.contains(u'\n'))
        return Error::invalid(tr("Value of header \"%1\" must be a single line.").arg(name));
    return {};
}

Result<QPair<QString, QString>> AccountRules::parseHeader(const QString &text)
{
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0) {
        return Error::invalid(tr("Header \"%1\" is not of the form \"Name: value\".").arg(text));
    }
    QPair<QString, QString> header {text.left(colon).trimmed(), text.mid(colon + 1).trimmed()};
    if (Status s = checkHeader(header.first, header.second); !s)
        return s.error();
    return header;
}

Status AccountRules::checkModelName(const QString &model)
{
    if (model.isEmpty() || std::any_of(model.begin(), model.end(), [](QChar c) {
            return c.isSpace() || c.category() == QChar::Other_Control;
        })) {
        return Error::invalid(
            tr("Model name \"%1\" must be non-empty and without spaces.").arg(model));
    }
    return {};
}

Status AccountRules::check(const Account &account)
{
    if (Status s = checkName(account.name); !s)
        return s;
    if (auto url = parseBaseUrl(account.baseUrl.toString(), account.provider); !url)
        return url.error();
    if (Status s
        = checkRange(tr("Tier"), account.tier, AccountLimits::minTier, AccountLimits::maxTier);
        !s)
        return s;
    if (Status s = checkRange(tr("Priority"), account.priority, AccountLimits::minPriority,
                              AccountLimits::maxPriority);
        !s)
        return s;
    if (Status s = checkRange(tr("Weight"), account.weight, AccountLimits::minWeight,
                              AccountLimits::maxWeight);
        !s)
        return s;
    for (const QString &model : account.allowedModels) {
        if (Status s = checkModelName(model); !s)
            return s;
    }
    for (const ModelRule &rule : account.modelMapping.rules()) {
        if (Status s = checkModelName(rule.pattern); !s)
            return s;
        if (Status s = checkModelName(rule.target); !s)
            return s;
    }
    for (const auto &[name, value] : account.extraHeaders) {
        if (Status s = checkHeader(name, value); !s)
            return s;
    }
    return {};
}
