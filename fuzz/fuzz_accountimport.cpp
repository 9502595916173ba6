// SPDX-License-Identifier: GPL-3.0-or-later
//
// AccountTransfer::parse (and AccountJson::apply under it). Input: an import file, read
// against one existing account named "Work".
//
// Invariants: a refusal says why; what is accepted passes AccountRules::check, has names
// unique in the file and new to the store, and keys the keychain can take; an export of
// what was accepted imports again to the same accounts (nothing read is lost or changed by
// a round trip).

#include "fuzzcheck.h"

#include "core/accountjson.h"
#include "core/accountrules.h"
#include "core/accountservice.h"
#include "core/accounttransfer.h"

#include <QDateTime>
#include <QSet>

using namespace Qt::StringLiterals;

FUZZ_QUIET_QT

namespace {

QList<Account> existing()
{
    Account work;
    work.id = QUuid::createUuid();
    work.name = u"Work"_s;
    work.baseUrl = defaultBaseUrl(work.provider);
    return {work};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QList<Account> store = existing();
    const QByteArray file(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto items = AccountTransfer::parse(file, store);
    if (!items) {
        FUZZ_CHECK(!items.error().message.isEmpty(), "a refusal without a reason");
        return 0;
    }
    QSet<QString> names {u"work"_s};
    QList<Account> accounts;
    for (const ImportItem &item : *items) {
        FUZZ_CHECK(AccountRules::check(item.account).ok(), "an account that breaks the rules");
        FUZZ_CHECK(!names.contains(item.account.name.toLower()), "a name taken twice");
        names.insert(item.account.name.toLower());
        if (item.secret)
            FUZZ_CHECK(AccountService::checkSecret(*item.secret).ok(), "a key the store refuses");
        accounts.append(item.account);
    }

    const QByteArray exported = AccountTransfer::document(
        AccountJson::toJson(accounts), QDateTime::fromSecsSinceEpoch(0, Qt::UTC));
    const auto again = AccountTransfer::parse(exported, {});
    if (!again) {
        std::fprintf(stderr, "%s\n", qPrintable(again.error().message));
        FUZZ_CHECK(false, "an export of imported accounts does not import");
    }
    FUZZ_CHECK(again->size() == accounts.size(), "a round trip lost accounts");
    for (qsizetype i = 0; i < accounts.size(); ++i) {
        FUZZ_CHECK(AccountJson::toJson(again->at(i).account) == AccountJson::toJson(accounts[i]),
                   "a round trip changed an account");
    }
    return 0;
}
