<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AccountStatus</name>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>%n s left</numerusform>
            <numerusform>%n s left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>%n min left</numerusform>
            <numerusform>%n min left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d left</source>
        <translation>
            <numerusform>%n d left</numerusform>
            <numerusform>%n d left</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n d ago</numerusform>
            <numerusform>%n d ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n valid</source>
        <translation>
            <numerusform>%n valid</numerusform>
            <numerusform>%n valid</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>%n invalid</numerusform>
            <numerusform>%n invalid</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n parked</source>
        <translation>
            <numerusform>%n parked</numerusform>
            <numerusform>%n parked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cooling down</source>
        <translation>
            <numerusform>%n cooling down</numerusform>
            <numerusform>%n cooling down</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be checked</source>
        <translation>
            <numerusform>%n could not be checked</numerusform>
            <numerusform>%n could not be checked</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AccountsEmptyState</name>
    <message numerus="yes">
        <source>%n account(s) hidden by the filter.</source>
        <translation>
            <numerusform>%n account hidden by the filter.</numerusform>
            <numerusform>%n accounts hidden by the filter.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message numerus="yes">
        <source>%n account(s) added.</source>
        <translation>
            <numerusform>%n account added.</numerusform>
            <numerusform>%n accounts added.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AccountsRemovalFlow</name>
    <message numerus="yes">
        <source>Delete %1? Their API keys are removed from the keychain too. This cannot be undone.</source>
        <translation>
            <numerusform>Delete %1? Its API key is removed from the keychain too. This cannot be undone.</numerusform>
            <numerusform>Delete %1? Their API keys are removed from the keychain too. This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) deleted.</source>
        <translation>
            <numerusform>%n account deleted.</numerusform>
            <numerusform>%n accounts deleted.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) could not be deleted.</source>
        <translation>
            <numerusform>%n account could not be deleted.</numerusform>
            <numerusform>%n accounts could not be deleted.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AccountsTransferFlow</name>
    <message numerus="yes">
        <source>%n account(s) imported from %1.</source>
        <translation>
            <numerusform>%n account imported from %1.</numerusform>
            <numerusform>%n accounts imported from %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BatchAddDialog</name>
    <message numerus="yes">
        <source>%n key(s) → %n account(s)</source>
        <translation>
            <numerusform>%n key → %n account</numerusform>
            <numerusform>%n keys → %n accounts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n repeated key(s) ignored)</source>
        <translation>
            <numerusform>%1 (%n repeated key ignored)</numerusform>
            <numerusform>%1 (%n repeated keys ignored)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) not tried: the batch was stopped.</source>
        <translation>
            <numerusform>%n key not tried: the batch was stopped.</numerusform>
            <numerusform>%n keys not tried: the batch was stopped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n account(s) added. Not added:
%2
The keys not added are left in the box: fix the cause and add again.</source>
        <translation>
            <numerusform>%1 of %n account added. Not added:
%2
The keys not added are left in the box: fix the cause and add again.</numerusform>
            <numerusform>%1 of %n accounts added. Not added:
%2
The keys not added are left in the box: fix the cause and add again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HealthPolicy</name>
    <message numerus="yes">
        <source>%n error(s) in a row, resting until %1. Last: %2</source>
        <translation>
            <numerusform>%n error in a row, resting until %1. Last: %2</numerusform>
            <numerusform>%n errors in a row, resting until %1. Last: %2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message numerus="yes">
        <source>%n request(s) shown</source>
        <translation>
            <numerusform>%n request shown</numerusform>
            <numerusform>%n requests shown</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n request(s) to %1.</source>
        <translation>
            <numerusform>Exported %n request to %1.</numerusform>
            <numerusform>Exported %n requests to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message numerus="yes">
        <source>All %n account(s) are cooling down, rejected or parked. Requests fail until one recovers; check Accounts for the reasons.</source>
        <translation>
            <numerusform>Your %n account is cooling down, rejected or parked. Requests fail until it recovers; check Accounts for the reason.</numerusform>
            <numerusform>All %n accounts are cooling down, rejected or parked. Requests fail until one recovers; check Accounts for the reasons.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message numerus="yes">
        <source>%n cancelled by the client</source>
        <translation>
            <numerusform>%n cancelled by the client</numerusform>
            <numerusform>%n cancelled by the client</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>%n request with a model not in the price table is not counted</numerusform>
            <numerusform>%n requests with models not in the price table are not counted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>estimate from the latest %n request</numerusform>
            <numerusform>estimate from the latest %n requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n client error(s) not counted</source>
        <translation>
            <numerusform>%n client error not counted</numerusform>
            <numerusform>%n client errors not counted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed attempt(s) of %1</source>
        <translation>
            <numerusform>%n failed attempt of %1</numerusform>
            <numerusform>%n failed attempts of %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceTableDialog</name>
    <message numerus="yes">
        <source>%n row(s) have no model pattern and match nothing: type one, e.g. claude-sonnet-4*, or remove the row.</source>
        <translation>
            <numerusform>%n row has no model pattern and matches nothing: type one, e.g. claude-sonnet-4*, or remove the row.</numerusform>
            <numerusform>%n rows have no model pattern and match nothing: type one, e.g. claude-sonnet-4*, or remove the rows.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RuntimeFacade</name>
    <message numerus="yes">
        <source>%1 (%n times)</source>
        <translation>
            <numerusform>%1 (%n times)</numerusform>
            <numerusform>%1 (%n times)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsChoices</name>
    <message numerus="yes">
        <source>minute(s)</source>
        <translation>
            <numerusform>minute</numerusform>
            <numerusform>minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>second(s)</source>
        <translation>
            <numerusform>second</numerusform>
            <numerusform>seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>error(s)</source>
        <translation>
            <numerusform>error</numerusform>
            <numerusform>errors</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TransferCommand</name>
    <message numerus="yes">
        <source>Exported %n account(s) to %1.</source>
        <translation>
            <numerusform>Exported %n account to %1.</numerusform>
            <numerusform>Exported %n accounts to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n account(s).</source>
        <translation>
            <numerusform>Imported %n account.</numerusform>
            <numerusform>Imported %n accounts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) had no API key and were left disabled; set one with: switchboard accounts edit NAME --secret &lt; key.txt</source>
        <translation>
            <numerusform>%n account had no API key and was left disabled; set one with: switchboard accounts edit NAME --secret &lt; key.txt</numerusform>
            <numerusform>%n accounts had no API key and were left disabled; set one with: switchboard accounts edit NAME --secret &lt; key.txt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <source>%1 — %n request(s) today</source>
        <translation>
            <numerusform>%1 — %n request today</numerusform>
            <numerusform>%1 — %n requests today</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayState</name>
    <message numerus="yes">
        <source>%1 of %n account(s) can serve requests.</source>
        <translation>
            <numerusform>%1 of %n account can serve requests.</numerusform>
            <numerusform>%1 of %n accounts can serve requests.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsageTiles</name>
    <message numerus="yes">
        <source>%n with thinking dropped after failover</source>
        <translation>
            <numerusform>%n with thinking dropped after failover</numerusform>
            <numerusform>%n with thinking dropped after failover</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>of the latest %n request(s)</source>
        <translation>
            <numerusform>of the latest %n request</numerusform>
            <numerusform>of the latest %n requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>%n request with a model not in the price table is not counted</numerusform>
            <numerusform>%n requests with models not in the price table are not counted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>estimate from the latest %n request</numerusform>
            <numerusform>estimate from the latest %n requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed, client errors included</source>
        <translation>
            <numerusform>%n failed, client errors included</numerusform>
            <numerusform>%n failed, client errors included</numerusform>
        </translation>
    </message>
</context>
</TS>
