// SPDX-License-Identifier: GPL-3.0-or-later
#include "admission.h"

#include "core/accesskeystore.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace {

/// A header value as the window may show it: printable ASCII, at most 80 characters.
QString shown(const QByteArray &value)
{
    QString text;
    for (const char c : value.left(80))
        text += c >= 0x20 && c < 0x7f ? QChar::fromLatin1(c) : u'?';
    return value.size() > 80 ? text + u'…' : text;
}

} // namespace

bool Admission::hostAllowed(const QByteArray &host, quint16 port,
                            const QList<QHostAddress> &addresses)
{
    QByteArray name = host.trimmed().toLower();
    QByteArray portText;
    if (name.startsWith('[')) { // [::1]:port
        const qsizetype close = name.indexOf(']');
        if (close < 0)
            return false;
        portText = name.mid(close + 1);
        name = name.mid(1, close - 1);
        if (!portText.isEmpty() && !portText.startsWith(':'))
            return false;
        portText = portText.mid(1);
    } else if (const qsizetype colon = name.lastIndexOf(':'); colon >= 0) {
        portText = name.mid(colon + 1);
        name = name.left(colon);
    }
    if (!portText.isEmpty() && portText.toUInt() != port)
        return false;
    if (name == "localhost")
        return true;
    const QString text = QString::fromLatin1(name);
    const QHostAddress address(text);
    // QHostAddress also reads inet_aton's forms (0x7f.1, 2130706433): only the canonical
    // text names an address here.
    if (address.isNull() || address.toString().compare(text, Qt::CaseInsensitive) != 0)
        return false;
    return address.isLoopback() || addresses.contains(address);
}

bool Admission::originAllowed(const QByteArray &origin, const QStringList &allowed)
{
    const QString text = QString::fromLatin1(origin).trimmed();
    return std::any_of(allowed.cbegin(), allowed.cend(), [&](const QString &a) {
        return a == u"*" || a.compare(text, Qt::CaseInsensitive) == 0;
    });
}

QByteArray Admission::clientKey(const AdmissionInput &input)
{
    if (!input.apiKey.trimmed().isEmpty())
        return input.apiKey.trimmed();
    const QByteArray auth = input.authorization.trimmed();
    if (auth.size() > 7 && auth.first(7).compare("bearer ", Qt::CaseInsensitive) == 0)
        return auth.mid(7).trimmed();
    return {};
}

Admission::Needs Admission::needsFor(QByteArrayView method, QByteArrayView path)
{
    if (method == "OPTIONS")
        return Needs::Host;
    if (path == "/" || path == "/v1" || path == "/health")
        return Needs::HostAndOrigin;
    return path.startsWith("/admin/v1/") ? Needs::AdminKey : Needs::AccessKey;
}

Admission::Decision Admission::decide(const AdmissionInput &input, const Config &config,
                                      Needs needs)
{
    const bool admin = needs == Needs::AdminKey;
    Decision d;
    if (!hostAllowed(input.host, config.port, config.hostAddresses)) {
        d.status = 403;
        d.errorType = u"permission_error"_s;
        d.client = tr("host %1").arg(shown(input.host));
        d.message = tr("Host \"%1\" is not this machine: use http://127.0.0.1:%2 (requests "
                       "through other host names are refused to stop DNS rebinding).")
                        .arg(QString::fromLatin1(input.host))
                        .arg(config.port);
        return d;
    }
    if (needs == Needs::Host) {
        d.admitted = true;
        return d;
    }
    if (!input.origin.isEmpty() && !originAllowed(input.origin, config.allowedOrigins)) {
        d.status = 403;
        d.errorType = u"permission_error"_s;
        d.client = tr("origin %1").arg(shown(input.origin));
        d.message = tr("Browser requests from %1 are refused. Allow this origin in Switchboard's "
                       "settings (gateway.allowed_origins) if you trust it.")
                        .arg(QString::fromLatin1(input.origin));
        return d;
    }
    if (needs == Needs::HostAndOrigin) {
        d.admitted = true;
        return d;
    }
    const QByteArray key = clientKey(input);
    if (key.isEmpty()) {
        d.status = 401;
        d.errorType = u"authentication_error"_s;
        d.client = tr("no key");
        d.message
            = tr("No API key: send a Switchboard access key in x-api-key or "
                 "Authorization: Bearer (create one with: switchboard keys create --name NAME).");
        return d;
    }
    const QByteArray hash = AccessKeyStore::hashKey(QString::fromLatin1(key));
    const auto &keys = admin ? config.adminKeyHashes : config.keyHashes;
    if (const auto it = keys.constFind(hash); it != keys.cend()) {
        d.admitted = true;
        d.keyId = *it;
        return d;
    }
    if (config.passthrough && !admin) {
        d.admitted = true;
        d.passthroughKey = QString::fromLatin1(key);
        return d;
    }
    d.status = 401;
    d.errorType = u"authentication_error"_s;
    if (const auto revoked = config.revokedKeyNames.constFind(hash);
        revoked != config.revokedKeyNames.cend())
        d.client = tr("revoked key “%1”").arg(*revoked);
    else if (key.size() >= 12) // the tail alone cannot be guessed back into a key
        d.client = tr("unknown key …%1").arg(shown(key.right(4)));
    else
        d.client = tr("unknown key");
    d.message = admin
        ? tr("Invalid admin key: the admin API needs a key created with "
             "switchboard keys create --name NAME --admin.")
        : tr("Invalid API key: this is not a Switchboard access key, or it was revoked "
             "(list them with: switchboard keys list).");
    return d;
}
