// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QHostAddress>
#include <QList>
#include <QStringList>
#include <QUuid>

/// The request facts admission looks at, copied from the HTTP request.
struct AdmissionInput
{
    QByteArray host;
    QByteArray origin;
    QByteArray apiKey; ///< x-api-key
    QByteArray authorization; ///< Authorization
};

/// Who may talk to the gateway: Host (DNS rebinding), browser Origin, local access key.
/// Pure: the key table and settings come in as data.
class Admission final
{
    Q_DECLARE_TR_FUNCTIONS(Admission)

public:
    struct Config
    {
        quint16 port = 0;
        /// Besides `localhost` and the loopback addresses: the addresses a Host header may
        /// name (the one the gateway listens on; every address of this machine when it
        /// listens on all of them).
        QList<QHostAddress> hostAddresses;
        QStringList allowedOrigins;
        bool passthrough = false; ///< forward an unknown client key upstream as is
        QHash<QByteArray, QUuid> keyHashes; ///< hex SHA-256 of each active access key
        QHash<QByteArray, QUuid> adminKeyHashes; ///< the same, for admin keys
        QHash<QByteArray, QString> revokedKeyNames; ///< revoked keys' names by hash
    };

    struct Decision
    {
        bool admitted = false;
        int status = 200;
        QString errorType;
        QString message;
        QUuid keyId; ///< the local access key used
        QString passthroughKey; ///< set when an unknown key is forwarded (pass-through on)
        /// Who was refused, for the window's logs: "unknown key …3f9a", "revoked key
        /// “laptop”", "no key", "host evil.example", "origin https://x.example".
        QString client;
    };

    /// What a request must show.
    enum class Needs {
        Host, ///< a Host naming this machine (CORS preflight: the handler judges the Origin)
        HostAndOrigin, ///< and no refused browser Origin (probes such as /health)
        AccessKey, ///< and a local access key (or pass-through)
        AdminKey, ///< and an admin key (the admin API; never passed through)
    };

    static Decision decide(const AdmissionInput &input, const Config &config, Needs needs);
    /// `admin`: the admin API's keys, else the access keys.
    static Decision decide(const AdmissionInput &input, const Config &config, bool admin = false)
    {
        return decide(input, config, admin ? Needs::AdminKey : Needs::AccessKey);
    }
    /// What the request with this method and path must show (the routes' rules).
    static Needs needsFor(QByteArrayView method, QByteArrayView path);

    /// The Host header names where the gateway listens: `localhost`, a loopback address or
    /// one of `addresses`, written canonically (no `0x7f.1` or `2130706433`), with our port
    /// if it has one. A DNS name (attacker.example rebinding to 127.0.0.1) is refused, and so
    /// is any other machine's address.
    static bool hostAllowed(const QByteArray &host, quint16 port,
                            const QList<QHostAddress> &addresses = {});
    static bool originAllowed(const QByteArray &origin, const QStringList &allowed);
    /// The key from `x-api-key`, else from `Authorization: Bearer`.
    static QByteArray clientKey(const AdmissionInput &input);
};
