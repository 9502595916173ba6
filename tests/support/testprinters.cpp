// SPDX-License-Identifier: GPL-3.0-or-later
#include "testprinters.h"

#include "core/accountjson.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

char *print(const QJsonValue &value)
{
    const QJsonDocument doc
        = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    return qstrdup(doc.toJson(QJsonDocument::Compact).constData());
}

QString name(Error::Kind kind)
{
    switch (kind) {
    case Error::Kind::Invalid:
        return u"Invalid"_s;
    case Error::Kind::NotFound:
        return u"NotFound"_s;
    case Error::Kind::Conflict:
        return u"Conflict"_s;
    case Error::Kind::Storage:
        return u"Storage"_s;
    case Error::Kind::Secret:
        return u"Secret"_s;
    case Error::Kind::Io:
        return u"Io"_s;
    }
    return u"?"_s;
}

QString name(SecretResult::Status status)
{
    switch (status) {
    case SecretResult::Status::Ok:
        return u"Ok"_s;
    case SecretResult::Status::NotFound:
        return u"NotFound"_s;
    case SecretResult::Status::NoBackend:
        return u"NoBackend"_s;
    case SecretResult::Status::AccessDenied:
        return u"AccessDenied"_s;
    case SecretResult::Status::Failed:
        return u"Failed"_s;
    }
    return u"?"_s;
}

// Every value has its own name, so comparing names compares values, and a failure prints
// names instead of numbers.
bool compareNames(const QString &n1, const QString &n2, const char *actual, const char *expected,
                  const char *file, int line)
{
    return QTest::qCompare(n1, n2, actual, expected, file, line);
}

} // namespace

char *toString(const Account &account)
{
    return print(AccountJson::toJson(account));
}

char *toString(const AccountHealth &health)
{
    Account holder;
    holder.health = health;
    return print(AccountJson::toJson(holder).value(u"health"));
}

char *toString(const ModelMapping &mapping)
{
    return print(AccountJson::mappingToJson(mapping));
}

namespace QTest {

bool qCompare(ProviderKind t1, ProviderKind t2, const char *actual, const char *expected,
              const char *file, int line)
{
    return compareNames(::toString(t1), ::toString(t2), actual, expected, file, line);
}

bool qCompare(AuthStyle t1, AuthStyle t2, const char *actual, const char *expected,
              const char *file, int line)
{
    return compareNames(::toString(t1), ::toString(t2), actual, expected, file, line);
}

bool qCompare(HealthState t1, HealthState t2, const char *actual, const char *expected,
              const char *file, int line)
{
    return compareNames(::toString(t1), ::toString(t2), actual, expected, file, line);
}

bool qCompare(Error::Kind t1, Error::Kind t2, const char *actual, const char *expected,
              const char *file, int line)
{
    return compareNames(name(t1), name(t2), actual, expected, file, line);
}

bool qCompare(SecretResult::Status t1, SecretResult::Status t2, const char *actual,
              const char *expected, const char *file, int line)
{
    return compareNames(name(t1), name(t2), actual, expected, file, line);
}

} // namespace QTest
