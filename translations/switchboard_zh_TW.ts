<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AccessKeyDialog</name>
    <message>
        <source>New access key</source>
        <translation>新增存取金鑰</translation>
    </message>
    <message>
        <source>Clients such as Claude Code present an access key to use Switchboard. Name the key after the client that will use it, so you know what to revoke later.</source>
        <translation>Claude Code 等用戶端須出示存取金鑰才能使用 Switchboard。請以將使用此金鑰的用戶端為它命名，日後才知道要撤銷哪一個。</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名稱(&amp;N)：</translation>
    </message>
    <message>
        <source>e.g. Claude Code on my laptop</source>
        <translation>例如：筆電上的 Claude Code</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>複製(&amp;C)</translation>
    </message>
    <message>
        <source>This is the only time you will see this key: Switchboard keeps only a hash of it. Copy it now into your client. If you lose it, create a new key and revoke this one.</source>
        <translation>這是您唯一一次能看到此金鑰：Switchboard 只保留它的雜湊值。請立即將它複製到用戶端中。若遺失金鑰，請建立新的金鑰並撤銷這一個。</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已複製到剪貼簿。</translation>
    </message>
    <message>
        <source>Enter a name, for example the client that will use the key.</source>
        <translation>請輸入名稱，例如將使用此金鑰的用戶端。</translation>
    </message>
    <message>
        <source>Creating the key…</source>
        <translation>正在建立金鑰…</translation>
    </message>
    <message>
        <source>The key was not created: %1</source>
        <translation>無法建立金鑰：%1</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>建立金鑰</translation>
    </message>
    <message>
        <source>I copied the key</source>
        <translation>我已複製金鑰</translation>
    </message>
    <message>
        <source>Your new access key &quot;%1&quot;:</source>
        <translation>您的新存取金鑰「%1」：</translation>
    </message>
</context>
<context>
    <name>AccessKeyModel</name>
    <message>
        <source>Never</source>
        <translation>從未</translation>
    </message>
    <message>
        <source>Revoked %1</source>
        <translation>已於 %1 撤銷</translation>
    </message>
    <message>
        <source>Active (admin API)</source>
        <translation>有效（管理 API）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>The first characters of the key, to recognise it. The full key is never stored.</source>
        <translation>金鑰的前幾個字元，用來辨識金鑰。完整的金鑰從不儲存。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>Key starts with</source>
        <translation>金鑰開頭</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>建立時間</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>State</source>
        <translation>狀態</translation>
    </message>
</context>
<context>
    <name>AccessKeyStore</name>
    <message>
        <source>An access key needs a name of 1 to 100 characters.</source>
        <translation>存取金鑰的名稱須為 1 到 100 個字元。</translation>
    </message>
    <message>
        <source>No access key named or with id &quot;%1&quot;. List them with: switchboard keys list</source>
        <translation>沒有名稱或 ID 為「%1」的存取金鑰。列出所有金鑰：switchboard keys list</translation>
    </message>
    <message>
        <source>&quot;%1&quot; matches %2 access keys; use the key&apos;s id.</source>
        <translation>「%1」符合 %2 個存取金鑰；請改用金鑰的 ID。</translation>
    </message>
    <message>
        <source>Access key &quot;%1&quot; is already revoked.</source>
        <translation>存取金鑰「%1」已撤銷。</translation>
    </message>
    <message>
        <source>Unknown or revoked access key.</source>
        <translation>存取金鑰不明或已撤銷。</translation>
    </message>
</context>
<context>
    <name>AccessKeysPanel</name>
    <message>
        <source>Revoke access key</source>
        <translation>撤銷存取金鑰</translation>
    </message>
    <message>
        <source>Revoke &quot;%1&quot;? Clients using this key are refused from now on. This cannot be undone: they will need a new key.</source>
        <translation>要撤銷「%1」嗎？此後使用此金鑰的用戶端都會遭到拒絕。此操作無法復原：這些用戶端將需要新的金鑰。</translation>
    </message>
    <message>
        <source>Revoked &quot;%1&quot;.</source>
        <translation>已撤銷「%1」。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was not revoked: %2</source>
        <translation>無法撤銷「%1」：%2</translation>
    </message>
    <message>
        <source>Local clients present an access key to use Switchboard. Give each client its own key, so you can revoke one without disturbing the others.</source>
        <translation>本機用戶端須出示存取金鑰才能使用 Switchboard。請為每個用戶端分別建立金鑰，如此撤銷其中一個時就不會影響其他用戶端。</translation>
    </message>
    <message>
        <source>Create key…</source>
        <translation>建立金鑰…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>撤銷…</translation>
    </message>
    <message>
        <source>No access keys yet. Create one for each client, such as Claude Code.</source>
        <translation>尚無存取金鑰。請為每個用戶端（例如 Claude Code）各建立一個。</translation>
    </message>
</context>
<context>
    <name>AccountActions</name>
    <message>
        <source>No API key: set one with switchboard accounts edit &quot;%1&quot; --secret</source>
        <translation>沒有 API 金鑰：請使用 switchboard accounts edit &quot;%1&quot; --secret 設定</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>無法讀取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read the API key of &quot;%1&quot;: %2</source>
        <translation>無法讀取「%1」的 API 金鑰：%2</translation>
    </message>
</context>
<context>
    <name>AccountBatch</name>
    <message>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <source>Add account</source>
        <translation>新增帳號</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名稱(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>供應商(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>基礎 URL(&amp;B)：</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>認證方式(&amp;A)：</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 金鑰(&amp;K)：</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>顯示</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>層級(&amp;T)：</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>優先順序(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Weight:</source>
        <translation>權重(&amp;W)：</translation>
    </message>
    <message>
        <source>Tier 1 is tried first, tier 2 only when tier 1 has no healthy account. Within a tier, higher priority goes first; the weight is the share under the weighted strategy.</source>
        <translation>會先嘗試層級 1，只有在層級 1 沒有健康的帳號時才使用層級 2。同一層級內，優先順序高者先使用；權重是加權策略下的分配比例。</translation>
    </message>
    <message>
        <source>T&amp;est</source>
        <translation>測試(&amp;E)</translation>
    </message>
    <message>
        <source>Checks the key and the address now, without saving and without spending tokens.</source>
        <translation>立即檢查金鑰與位址，不會儲存，也不會消耗權杖。</translation>
    </message>
    <message>
        <source>Models &amp;&amp; headers</source>
        <translation>模型與標頭</translation>
    </message>
    <message>
        <source>&amp;Allowed models:</source>
        <translation>允許的模型(&amp;A)：</translation>
    </message>
    <message>
        <source>every model</source>
        <translation>所有模型</translation>
    </message>
    <message>
        <source>Claude model names this account serves, separated by commas or spaces; * and ? are wildcards (claude-haiku-*). Empty: every model.</source>
        <translation>此帳號可服務的 Claude 模型名稱，以逗號或空格分隔；* 與 ? 為萬用字元（如 claude-haiku-*）。留空：所有模型。</translation>
    </message>
    <message>
        <source>Model &amp;mapping:</source>
        <translation>模型對應(&amp;M)：</translation>
    </message>
    <message>
        <source>Claude model (pattern)</source>
        <translation>Claude 模型（模式）</translation>
    </message>
    <message>
        <source>Provider model</source>
        <translation>供應商模型</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>新增規則</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>移除規則</translation>
    </message>
    <message>
        <source>Extra &amp;headers:</source>
        <translation>額外標頭(&amp;H)：</translation>
    </message>
    <message>
        <source>Name: value (one per line)</source>
        <translation>Name: value（每行一個）</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>備註(&amp;O)：</translation>
    </message>
    <message>
        <source>(new account)</source>
        <translation>（新帳號）</translation>
    </message>
    <message>
        <source>Type the API key first.</source>
        <translation>請先輸入 API 金鑰。</translation>
    </message>
    <message>
        <source>The stored API key could not be read: %1</source>
        <translation>無法讀取已儲存的 API 金鑰：%1</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在測試…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在儲存…</translation>
    </message>
    <message>
        <source>Not saved: %1 Fix it and try again, or cancel.</source>
        <translation>未儲存：%1請修正後再試一次，或按「取消」。</translation>
    </message>
    <message>
        <source>Edit account “%1”</source>
        <translation>編輯帳號「%1」</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>儲存</translation>
    </message>
    <message>
        <source>x-api-key header</source>
        <translation>x-api-key 標頭</translation>
    </message>
    <message>
        <source>Authorization: Bearer header</source>
        <translation>Authorization: Bearer 標頭</translation>
    </message>
    <message>
        <source>unchanged — type to replace</source>
        <translation>未變更——輸入新金鑰即可取代</translation>
    </message>
    <message>
        <source>paste the API key</source>
        <translation>貼上 API 金鑰</translation>
    </message>
    <message>
        <source>Save anyway?</source>
        <translation>仍要儲存嗎？</translation>
    </message>
    <message>
        <source>The test failed: %1

Save the account anyway? It will not serve requests until the provider accepts it.</source>
        <translation>測試未通過：%1

仍要儲存此帳號嗎？在供應商接受它之前，它不會處理任何請求。</translation>
    </message>
</context>
<context>
    <name>AccountFields</name>
    <message>
        <source>Account name (unique).</source>
        <translation>帳號名稱（不可重複）。</translation>
    </message>
    <message>
        <source>anthropic or openai (default: anthropic).</source>
        <translation>anthropic 或 openai（預設：anthropic）。</translation>
    </message>
    <message>
        <source>API base URL (default: the provider&apos;s official one).</source>
        <translation>API 基礎 URL（預設：供應商的官方位址）。</translation>
    </message>
    <message>
        <source>x-api-key or bearer (default: the provider&apos;s usual one).</source>
        <translation>x-api-key 或 bearer（預設：供應商慣用的方式）。</translation>
    </message>
    <message>
        <source>Tier 1-9: tier 2 is used only when tier 1 has no healthy account.</source>
        <translation>層級 1-9：只有在層級 1 沒有健康的帳號時，才會使用層級 2。</translation>
    </message>
    <message>
        <source>Priority within the tier, higher first (-1000..1000).</source>
        <translation>層級內的優先順序，數值大者優先（-1000..1000）。</translation>
    </message>
    <message>
        <source>Share for the weighted strategy (1..1000).</source>
        <translation>加權策略下的分配比例（1..1000）。</translation>
    </message>
    <message>
        <source>Comma-separated models this account may serve (empty: all).</source>
        <translation>此帳號可服務的模型，以逗號分隔（留空：全部）。</translation>
    </message>
    <message>
        <source>Model mapping rule PATTERN=MODEL, repeatable (e.g. claude-opus-*=gpt-4o).</source>
        <translation>模型對應規則 PATTERN=MODEL，可重複指定（例如 claude-opus-*=gpt-4o）。</translation>
    </message>
    <message>
        <source>Extra upstream header &quot;Name: value&quot;, repeatable.</source>
        <translation>傳送至上游的額外標頭「Name: value」，可重複指定。</translation>
    </message>
    <message>
        <source>Free-form notes.</source>
        <translation>自由格式的備註。</translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation>以 JSON 格式輸出結果。</translation>
    </message>
    <message>
        <source>Add the account disabled.</source>
        <translation>以停用狀態新增帳號。</translation>
    </message>
    <message>
        <source>Remove every model mapping rule.</source>
        <translation>移除所有模型對應規則。</translation>
    </message>
    <message>
        <source>Remove every extra header.</source>
        <translation>移除所有額外標頭。</translation>
    </message>
    <message>
        <source>Replace the API key, read from standard input.</source>
        <translation>取代 API 金鑰（從標準輸入讀取）。</translation>
    </message>
    <message>
        <source>--%1 must be a whole number (got &quot;%2&quot;).</source>
        <translation>--%1 必須是整數（實際為「%2」）。</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>cooling down until %1</source>
        <translation>冷卻中，直到 %1</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>invalid key</source>
        <translation>金鑰無效</translation>
    </message>
    <message>
        <source>parked</source>
        <translation>已暫停</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>尚未檢查</translation>
    </message>
    <message>
        <source>never</source>
        <translation>從未</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>供應商</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基礎 URL</translation>
    </message>
    <message>
        <source>Auth</source>
        <translation>認證方式</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>層級</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先順序</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>權重</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>已啟用</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Model map</source>
        <translation>模型對應</translation>
    </message>
    <message>
        <source>none</source>
        <translation>無</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>額外標頭</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>備註</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Last validated</source>
        <translation>上次驗證</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>請求數</translation>
    </message>
    <message>
        <source>Errors in a row</source>
        <translation>連續錯誤數</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>建立時間</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新時間</translation>
    </message>
</context>
<context>
    <name>AccountForm</name>
    <message>
        <source>Type the provider&apos;s base URL, for example https://api.example.com/v1.</source>
        <translation>請輸入供應商的基礎 URL，例如 https://api.example.com/v1。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists: choose another name.</source>
        <translation>名為「%1」的帳號已存在：請換一個名稱。</translation>
    </message>
    <message>
        <source>Type the base URL your provider documents.</source>
        <translation>請輸入供應商文件中提供的基礎 URL。</translation>
    </message>
    <message>
        <source>Paste the API key from the provider&apos;s console.</source>
        <translation>請貼上供應商主控台中的 API 金鑰。</translation>
    </message>
    <message>
        <source>Optional: this server runs on your computer. Leave it empty if it doesn&apos;t need a key.</source>
        <translation>選填：此伺服器在您的電腦上執行。若它不需要金鑰，請留空。</translation>
    </message>
    <message>
        <source>Rule %1: %2</source>
        <translation>規則 %1：%2</translation>
    </message>
    <message>
        <source>Add a rule for * (the default): without one, Claude model names are sent unchanged and most OpenAI-compatible providers reject them.</source>
        <translation>請為 *（預設規則）新增一條對應：否則 Claude 模型名稱會原樣送出，而大多數 OpenAI 相容供應商都會拒絕這些名稱。</translation>
    </message>
    <message>
        <source>No rules: model names are sent unchanged.</source>
        <translation>沒有規則：模型名稱將原樣送出。</translation>
    </message>
</context>
<context>
    <name>AccountJson</name>
    <message>
        <source>model_map must be a list of {&quot;pattern&quot;: …, &quot;target&quot;: …} objects.</source>
        <translation>model_map 必須是由 {&quot;pattern&quot;: …, &quot;target&quot;: …} 物件組成的清單。</translation>
    </message>
    <message>
        <source>model_map must be a list.</source>
        <translation>model_map 必須是清單。</translation>
    </message>
    <message>
        <source>extra_headers must be an object of header names to values.</source>
        <translation>extra_headers 必須是將標頭名稱對應到值的物件。</translation>
    </message>
    <message>
        <source>Value of header &quot;%1&quot; must be a string.</source>
        <translation>標頭「%1」的值必須是字串。</translation>
    </message>
    <message>
        <source>Unknown account field &quot;%1&quot;.</source>
        <translation>不明的帳號欄位「%1」。</translation>
    </message>
    <message>
        <source>Field &quot;%1&quot; must be %2.</source>
        <translation>欄位「%1」必須是%2。</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>整數</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>字串</translation>
    </message>
    <message>
        <source>Unknown provider &quot;%1&quot;: use anthropic or openai.</source>
        <translation>不明的供應商「%1」：請使用 anthropic 或 openai。</translation>
    </message>
    <message>
        <source>Unknown auth style &quot;%1&quot;: use x-api-key or bearer.</source>
        <translation>不明的認證方式「%1」：請使用 x-api-key 或 bearer。</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>布林值（true 或 false）</translation>
    </message>
    <message>
        <source>a list of model names</source>
        <translation>模型名稱清單</translation>
    </message>
</context>
<context>
    <name>AccountPresetCombo</name>
    <message>
        <source>Anthropic format</source>
        <translation>Anthropic 格式</translation>
    </message>
    <message>
        <source>OpenAI-compatible (Chat Completions)</source>
        <translation>OpenAI 相容（Chat Completions）</translation>
    </message>
    <message>
        <source>%1 (on this computer)</source>
        <translation>%1（本機）</translation>
    </message>
</context>
<context>
    <name>AccountRules</name>
    <message>
        <source>%1 must be between %2 and %3 (got %4).</source>
        <translation>%1必須介於 %2 與 %3 之間（實際為 %4）。</translation>
    </message>
    <message>
        <source>Base URL &quot;%1&quot; is not a valid http:// or https:// address, for example https://api.anthropic.com.</source>
        <translation>基礎 URL「%1」不是有效的 http:// 或 https:// 位址，例如 https://api.anthropic.com。</translation>
    </message>
    <message>
        <source>Base URL must not contain a user name or password; the API key is stored separately in the keychain.</source>
        <translation>基礎 URL 不得包含使用者名稱或密碼；API 金鑰會另外儲存在鑰匙圈中。</translation>
    </message>
    <message>
        <source>Base URL must not contain a query (?…) or fragment (#…).</source>
        <translation>基礎 URL 不得包含查詢字串（?…）或片段（#…）。</translation>
    </message>
    <message>
        <source>Account name must not be empty.</source>
        <translation>帳號名稱不得為空。</translation>
    </message>
    <message>
        <source>Account name must not start or end with spaces.</source>
        <translation>帳號名稱的開頭或結尾不得有空格。</translation>
    </message>
    <message>
        <source>Account name is longer than %1 characters.</source>
        <translation>帳號名稱超過 %1 個字元。</translation>
    </message>
    <message>
        <source>Account name must not contain control characters.</source>
        <translation>帳號名稱不得包含控制字元。</translation>
    </message>
    <message>
        <source>Header name &quot;%1&quot; is not a valid HTTP header name.</source>
        <translation>標頭名稱「%1」不是有效的 HTTP 標頭名稱。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot; is set by Switchboard itself and cannot be an extra header.</source>
        <translation>標頭「%1」由 Switchboard 自行設定，不能做為額外標頭。</translation>
    </message>
    <message>
        <source>Value of header &quot;%1&quot; must be a single line.</source>
        <translation>標頭「%1」的值必須是單行。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot; is not of the form &quot;Name: value&quot;.</source>
        <translation>標頭「%1」不符合「Name: value」格式。</translation>
    </message>
    <message>
        <source>Model name &quot;%1&quot; must be non-empty and without spaces.</source>
        <translation>模型名稱「%1」不得為空，也不得包含空格。</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>層級</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先順序</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>權重</translation>
    </message>
</context>
<context>
    <name>AccountService</name>
    <message>
        <source>The API key is empty.</source>
        <translation>API 金鑰為空。</translation>
    </message>
    <message>
        <source>The API key must not contain spaces or line breaks.</source>
        <translation>API 金鑰不得包含空格或換行。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>名為「%1」的帳號已存在。</translation>
    </message>
</context>
<context>
    <name>AccountStatus</name>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Switched off by you: enable it to use it again.</source>
        <translation>已由您停用：重新啟用即可再次使用。</translation>
    </message>
    <message>
        <source>Cooling down · %1</source>
        <translation>冷卻中 · %1</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Invalid key</source>
        <translation>金鑰無效</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>已暫停</translation>
    </message>
    <message>
        <source>Parked · %1</source>
        <translation>已暫停 · %1</translation>
    </message>
    <message>
        <source>Check failed</source>
        <translation>檢查失敗</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未檢查</translation>
    </message>
    <message>
        <source>Cooling down</source>
        <translation>冷卻中</translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>剩餘 %n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>剩餘 %n 分鐘</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d left</source>
        <translation>
            <numerusform>剩餘 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>剩餘 %1 小時 %2 分鐘</translation>
    </message>
    <message>
        <source>never</source>
        <translation>從未</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>剛剛</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分鐘前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 小時前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
    <message>
        <source>Valid · %1 ms</source>
        <translation>有效 · %1 毫秒</translation>
    </message>
    <message>
        <source>The check failed without a message.</source>
        <translation>檢查失敗，但沒有任何訊息。</translation>
    </message>
    <message numerus="yes">
        <source>%n valid</source>
        <translation>
            <numerusform>%n 個有效</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>%n 個無效</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n parked</source>
        <translation>
            <numerusform>%n 個已暫停</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cooling down</source>
        <translation>
            <numerusform>%n 個冷卻中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be checked</source>
        <translation>
            <numerusform>%n 個無法檢查</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was checked.</source>
        <translation>未檢查任何帳號。</translation>
    </message>
    <message>
        <source>, </source>
        <comment>separator of the validation summary</comment>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>AccountStore</name>
    <message>
        <source>No account with id %1.</source>
        <translation>沒有 ID 為 %1 的帳號。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; matches %2 account ids; give more characters or the account name.</source>
        <translation>「%1」符合 %2 個帳號 ID；請提供更多字元，或改用帳號名稱。</translation>
    </message>
    <message>
        <source>No account named or with id &quot;%1&quot;. List them with: switchboard accounts list</source>
        <translation>沒有名稱或 ID 為「%1」的帳號。列出所有帳號：switchboard accounts list</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>名為「%1」的帳號已存在。</translation>
    </message>
</context>
<context>
    <name>AccountTransfer</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
    <message>
        <source>not valid JSON (%1 at byte %2).</source>
        <translation>不是有效的 JSON（%1，位於第 %2 個位元組）。</translation>
    </message>
    <message>
        <source>written by a newer Switchboard (format version %1).</source>
        <translation>由較新版本的 Switchboard 寫入（格式版本 %1）。</translation>
    </message>
    <message>
        <source>not a Switchboard accounts file (expected an object with &quot;format&quot;: &quot;switchboard-accounts&quot; and an &quot;accounts&quot; list).</source>
        <translation>不是 Switchboard 帳號檔案（應為包含 &quot;format&quot;: &quot;switchboard-accounts&quot; 與 &quot;accounts&quot; 清單的物件）。</translation>
    </message>
    <message>
        <source>account #%1 (%2)</source>
        <translation>帳號 #%1（%2）</translation>
    </message>
    <message>
        <source>no name</source>
        <translation>無名稱</translation>
    </message>
    <message>
        <source>account #%1 is not an object.</source>
        <translation>帳號 #%1 不是物件。</translation>
    </message>
    <message>
        <source>%1: &quot;name&quot; is missing.</source>
        <translation>%1：缺少 &quot;name&quot;。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: an account with this name already exists.</source>
        <translation>%1：已有同名的帳號。</translation>
    </message>
</context>
<context>
    <name>AccountsActions</name>
    <message>
        <source>Add</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>新增帳號</translation>
    </message>
    <message>
        <source>Batch add</source>
        <translation>批次新增</translation>
    </message>
    <message>
        <source>Add one account per API key, from a pasted list</source>
        <translation>從貼上的清單中，為每個 API 金鑰各新增一個帳號</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編輯</translation>
    </message>
    <message>
        <source>Edit the selected account (double-click a row)</source>
        <translation>編輯所選帳號（也可以按兩下某一列）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <source>Delete the selected accounts and their keys</source>
        <translation>刪除所選帳號及其金鑰</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>驗證</translation>
    </message>
    <message>
        <source>Check the selected accounts&apos; keys now, without spending tokens</source>
        <translation>立即檢查所選帳號的金鑰，不消耗權杖</translation>
    </message>
    <message>
        <source>Validate all</source>
        <translation>全部驗證</translation>
    </message>
    <message>
        <source>Check every enabled account now</source>
        <translation>立即檢查所有已啟用的帳號</translation>
    </message>
    <message>
        <source>Purge invalid</source>
        <translation>清除無效帳號</translation>
    </message>
    <message>
        <source>Delete every account whose key the provider rejected</source>
        <translation>刪除所有金鑰遭供應商拒絕的帳號</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>匯入…</translation>
    </message>
    <message>
        <source>Add accounts from a Switchboard export file</source>
        <translation>從 Switchboard 匯出檔案新增帳號</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>匯出…</translation>
    </message>
    <message>
        <source>Save every account to a file</source>
        <translation>將所有帳號儲存至檔案</translation>
    </message>
    <message>
        <source>Send every request to one account, bypassing rotation (until unpinned or restarted)</source>
        <translation>將所有請求傳送到同一個帳號，不參與輪替（直到取消釘選或重新啟動）</translation>
    </message>
</context>
<context>
    <name>AccountsCommand</name>
    <message>
        <source>accounts add needs --name NAME.</source>
        <translation>accounts add 需要 --name NAME。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>名為「%1」的帳號已存在。</translation>
    </message>
    <message>
        <source>API key for %1: </source>
        <translation>%1 的 API 金鑰：</translation>
    </message>
    <message>
        <source>Added account &quot;%1&quot; (%2). Its API key is in the %3.</source>
        <translation>已新增帳號「%1」（%2）。其 API 金鑰存放於%3。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式輸出。</translation>
    </message>
    <message>
        <source>No accounts yet. Add one with: switchboard accounts add --name NAME --provider anthropic &lt; key.txt</source>
        <translation>尚無帳號。新增帳號：switchboard accounts add --name NAME --provider anthropic &lt; key.txt</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>PROVIDER</source>
        <translation>供應商</translation>
    </message>
    <message>
        <source>TIER</source>
        <translation>層級</translation>
    </message>
    <message>
        <source>PRIORITY</source>
        <translation>優先順序</translation>
    </message>
    <message>
        <source>WEIGHT</source>
        <translation>權重</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>BASE URL</source>
        <translation>基礎 URL</translation>
    </message>
    <message>
        <source>New API key for %1: </source>
        <translation>%1 的新 API 金鑰：</translation>
    </message>
    <message>
        <source>Updated account &quot;%1&quot;.</source>
        <translation>已更新帳號「%1」。</translation>
    </message>
    <message>
        <source>Removed account &quot;%1&quot; and its API key.</source>
        <translation>已移除帳號「%1」及其 API 金鑰。</translation>
    </message>
    <message>
        <source>Enabled account &quot;%1&quot;.</source>
        <translation>已啟用帳號「%1」。</translation>
    </message>
    <message>
        <source>Disabled account &quot;%1&quot;.</source>
        <translation>已停用帳號「%1」。</translation>
    </message>
</context>
<context>
    <name>AccountsEmptyState</name>
    <message>
        <source>No accounts yet</source>
        <translation>尚無帳號</translation>
    </message>
    <message>
        <source>Add the API key of Anthropic or of an OpenAI-compatible provider, and the local endpoint can serve requests.</source>
        <translation>新增 Anthropic 或 OpenAI 相容供應商的 API 金鑰後，本機端點即可處理請求。</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>新增帳號</translation>
    </message>
    <message>
        <source>No account matches the filter</source>
        <translation>沒有符合篩選條件的帳號</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) hidden by the filter.</source>
        <translation>
            <numerusform>篩選條件隱藏了 %n 個帳號。</numerusform>
        </translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>清除篩選條件</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <source>Filter by name or provider</source>
        <translation>依名稱或供應商篩選</translation>
    </message>
    <message>
        <source>Any health</source>
        <translation>所有健康狀態</translation>
    </message>
    <message>
        <source>Show only accounts in this state</source>
        <translation>只顯示處於此狀態的帳號</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>啟用</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Use the selected accounts again</source>
        <translation>重新使用所選帳號</translation>
    </message>
    <message>
        <source>Stop sending requests to the selected accounts</source>
        <translation>停止傳送請求至所選帳號</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消釘選</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>釘選</translation>
    </message>
    <message>
        <source>Send every request to one account, bypassing rotation (until unpinned or restarted)</source>
        <translation>將所有請求傳送到同一個帳號，不參與輪替（直到取消釘選或重新啟動）</translation>
    </message>
    <message>
        <source>Added “%1”. It is checked in the background.</source>
        <translation>已新增「%1」，正在背景中檢查。</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已儲存「%1」。</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) added.</source>
        <translation>
            <numerusform>已新增 %n 個帳號。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” could not be changed: %2</source>
        <translation>無法變更「%1」：%2</translation>
    </message>
    <message>
        <source>“%1” is enabled.</source>
        <translation>已啟用「%1」。</translation>
    </message>
    <message>
        <source>“%1” is disabled: no requests go to it.</source>
        <translation>已停用「%1」：不會再有請求傳送給它。</translation>
    </message>
    <message>
        <source>Unpinned: requests rotate over the accounts again.</source>
        <translation>已取消釘選：請求重新在各帳號之間輪替。</translation>
    </message>
    <message>
        <source>Pinned “%1”: every request goes to it until you unpin it.</source>
        <translation>已釘選「%1」：在取消釘選之前，所有請求都會傳送給它。</translation>
    </message>
</context>
<context>
    <name>AccountsRemovalFlow</name>
    <message>
        <source>“%1”</source>
        <translation>「%1」</translation>
    </message>
    <message>
        <source>Delete accounts</source>
        <translation>刪除帳號</translation>
    </message>
    <message numerus="yes">
        <source>Delete %1? Their API keys are removed from the keychain too. This cannot be undone.</source>
        <translation>
            <numerusform>要刪除%1嗎？其 API 金鑰也會從鑰匙圈中移除。此操作無法復原。</numerusform>
        </translation>
    </message>
    <message>
        <source>No account has an invalid key.</source>
        <translation>沒有金鑰無效的帳號。</translation>
    </message>
    <message>
        <source>Purge invalid accounts</source>
        <translation>清除無效帳號</translation>
    </message>
    <message>
        <source>The provider rejected the key of %1. Delete these accounts and their keys? This cannot be undone.</source>
        <translation>供應商拒絕了%1的金鑰。要刪除這些帳號及其金鑰嗎？此操作無法復原。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) deleted.</source>
        <translation>
            <numerusform>已刪除 %n 個帳號。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) could not be deleted.</source>
        <translation>
            <numerusform>%n 個帳號無法刪除。</numerusform>
        </translation>
    </message>
    <message>
        <source>These accounts were not deleted and are unchanged:
%1
Check that the keychain is unlocked, then try again.</source>
        <translation>以下帳號未刪除，維持不變：
%1
請確認鑰匙圈已解鎖，然後再試一次。</translation>
    </message>
</context>
<context>
    <name>AccountsTableModel</name>
    <message>
        <source>%1 · Pinned</source>
        <translation>%1 · 已釘選</translation>
    </message>
    <message>
        <source>Pinned: every request goes to this account until you unpin it.</source>
        <translation>已釘選：在取消釘選之前，所有請求都會傳送到此帳號。</translation>
    </message>
    <message>
        <source>Back in use at %1.</source>
        <translation>將於 %1 恢復使用。</translation>
    </message>
    <message>
        <source>Not validated yet.</source>
        <translation>尚未驗證。</translation>
    </message>
    <message>
        <source>Answered in %1 ms.</source>
        <translation>回應耗時 %1 毫秒。</translation>
    </message>
    <message>
        <source>Errors in a row since the last success.</source>
        <translation>自上次成功以來的連續錯誤數。</translation>
    </message>
    <message>
        <source>Tier 1 is tried first; tier 2 only when tier 1 has no healthy account.</source>
        <translation>會先嘗試層級 1；只有在層級 1 沒有健康的帳號時才使用層級 2。</translation>
    </message>
    <message>
        <source>Higher priority first, within a tier.</source>
        <translation>同一層級內，優先順序高者優先。</translation>
    </message>
    <message>
        <source>Today, since local midnight.</source>
        <translation>今天，自本地時間午夜起。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>供應商</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>層級</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先順序</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康狀態</translation>
    </message>
    <message>
        <source>Last validated</source>
        <translation>上次驗證</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>請求數</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>權杖數</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>連續錯誤</translation>
    </message>
</context>
<context>
    <name>AccountsTransferFlow</name>
    <message>
        <source>Import accounts</source>
        <translation>匯入帳號</translation>
    </message>
    <message>
        <source>Switchboard accounts (*.json);;All files (*)</source>
        <translation>Switchboard 帳號 (*.json);;所有檔案 (*)</translation>
    </message>
    <message>
        <source>Export accounts</source>
        <translation>匯出帳號</translation>
    </message>
    <message>
        <source>Switchboard accounts (*.json)</source>
        <translation>Switchboard 帳號 (*.json)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在匯入…</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>未匯入任何帳號。</translation>
    </message>
    <message>
        <source>Nothing was imported from %1:
%2
Fix the file or choose another one; your accounts are unchanged.</source>
        <translation>未從 %1 匯入任何帳號：
%2
請修正該檔案或選擇其他檔案；您的帳號維持不變。</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) imported from %1.</source>
        <translation>
            <numerusform>已從 %1 匯入 %n 個帳號。</numerusform>
        </translation>
    </message>
    <message>
        <source>Include the API keys?</source>
        <translation>要包含 API 金鑰嗎？</translation>
    </message>
    <message>
        <source>The export can include the API keys, so another Switchboard can use the accounts at once.

The keys are written in plain text: anyone who can read the file can use them and spend your credit. Include them only for a file you keep safe.

Include the API keys?</source>
        <translation>匯出檔案可以包含 API 金鑰，讓另一個 Switchboard 能立即使用這些帳號。

金鑰會以明文寫入：任何能讀取該檔案的人都能使用這些金鑰並花用您的額度。只有在您能妥善保管該檔案時，才包含金鑰。

要包含 API 金鑰嗎？</translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation>匯出失敗。</translation>
    </message>
    <message>
        <source>The accounts could not be written to %1:
%2
Choose another folder and try again.</source>
        <translation>無法將帳號寫入 %1：
%2
請選擇其他資料夾後再試一次。</translation>
    </message>
    <message>
        <source>Exported to %1, with the API keys in plain text.</source>
        <translation>已匯出至 %1，包含明文 API 金鑰。</translation>
    </message>
    <message>
        <source>Exported to %1, without the API keys.</source>
        <translation>已匯出至 %1，不含 API 金鑰。</translation>
    </message>
</context>
<context>
    <name>AccountsValidationFlow</name>
    <message>
        <source>The local gateway is stopped: start it to validate accounts.</source>
        <translation>本機閘道已停止：請先啟動閘道再驗證帳號。</translation>
    </message>
    <message>
        <source>Every account is disabled: enable one to validate it.</source>
        <translation>所有帳號皆已停用：請先啟用帳號再進行驗證。</translation>
    </message>
</context>
<context>
    <name>AdminApi</name>
    <message>
        <source>There is no admin endpoint /admin/v1/%1.</source>
        <translation>沒有管理端點 /admin/v1/%1。</translation>
    </message>
    <message>
        <source>There is no admin endpoint %1 /admin/v1/%2.</source>
        <translation>沒有管理端點 %1 /admin/v1/%2。</translation>
    </message>
    <message>
        <source>No account named or with id &quot;%1&quot;.</source>
        <translation>沒有名稱或 ID 為「%1」的帳號。</translation>
    </message>
    <message>
        <source>The admin API is not available in this mode.</source>
        <translation>此模式下無法使用管理 API。</translation>
    </message>
    <message>
        <source>The admin API takes GET, POST, PATCH and DELETE.</source>
        <translation>管理 API 接受 GET、POST、PATCH 與 DELETE。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>請求本文必須是 JSON 物件。</translation>
    </message>
    <message>
        <source>name: the field is required.</source>
        <translation>name：此欄位為必填。</translation>
    </message>
    <message>
        <source>The API key is still being read from the keychain: try again in a moment.</source>
        <translation>仍在從鑰匙圈讀取 API 金鑰：請稍後再試。</translation>
    </message>
    <message>
        <source>The API key could not be read: %1</source>
        <translation>無法讀取 API 金鑰：%1</translation>
    </message>
</context>
<context>
    <name>Admission</name>
    <message>
        <source>Host &quot;%1&quot; is not this machine: use http://127.0.0.1:%2 (requests through other host names are refused to stop DNS rebinding).</source>
        <translation>主機「%1」不是本機：請使用 http://127.0.0.1:%2（為防範 DNS 重新繫結攻擊，透過其他主機名稱送來的請求會遭到拒絕）。</translation>
    </message>
    <message>
        <source>Browser requests from %1 are refused. Allow this origin in Switchboard&apos;s settings (gateway.allowed_origins) if you trust it.</source>
        <translation>來自 %1 的瀏覽器請求已遭拒絕。若您信任此來源，請在 Switchboard 的設定（gateway.allowed_origins）中允許它。</translation>
    </message>
    <message>
        <source>No API key: send a Switchboard access key in x-api-key or Authorization: Bearer (create one with: switchboard keys create --name NAME).</source>
        <translation>沒有 API 金鑰：請透過 x-api-key 或 Authorization: Bearer 傳送 Switchboard 存取金鑰（建立方式：switchboard keys create --name NAME）。</translation>
    </message>
    <message>
        <source>Invalid admin key: the admin API needs a key created with switchboard keys create --name NAME --admin.</source>
        <translation>管理金鑰無效：管理 API 需要以 switchboard keys create --name NAME --admin 建立的金鑰。</translation>
    </message>
    <message>
        <source>Invalid API key: this is not a Switchboard access key, or it was revoked (list them with: switchboard keys list).</source>
        <translation>API 金鑰無效：這不是 Switchboard 存取金鑰，或已遭撤銷（列出所有金鑰：switchboard keys list）。</translation>
    </message>
    <message>
        <source>host %1</source>
        <translation>主機 %1</translation>
    </message>
    <message>
        <source>origin %1</source>
        <translation>來源 %1</translation>
    </message>
    <message>
        <source>no key</source>
        <translation>未提供金鑰</translation>
    </message>
    <message>
        <source>revoked key “%1”</source>
        <translation>已撤銷的金鑰「%1」</translation>
    </message>
    <message>
        <source>unknown key …%1</source>
        <translation>未知金鑰 …%1</translation>
    </message>
    <message>
        <source>unknown key</source>
        <translation>未知金鑰</translation>
    </message>
</context>
<context>
    <name>AnswerPolicy</name>
    <message>
        <source>the upstream&apos;s answer is larger than %1 MiB</source>
        <translation>上游的回應超過 %1 MiB</translation>
    </message>
    <message>
        <source>the upstream answered with an event stream, but the client asked for one message</source>
        <translation>上游以事件串流回應，但用戶端要求的是單一訊息</translation>
    </message>
    <message>
        <source>the upstream answered with one message, but the client asked for an event stream</source>
        <translation>上游以單一訊息回應，但用戶端要求的是事件串流</translation>
    </message>
    <message>
        <source>the upstream&apos;s stream sent more than %1 MiB before any content</source>
        <translation>上游的串流在送出任何內容前已傳送超過 %1 MiB</translation>
    </message>
    <message>
        <source>The upstream sent a stream event larger than %1 MiB.</source>
        <translation>上游傳送了超過 %1 MiB 的串流事件。</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>switchboard: no display available, starting headless.</source>
        <translation>switchboard：沒有可用的顯示器，以無介面模式啟動。</translation>
    </message>
</context>
<context>
    <name>AutoStart</name>
    <message>
        <source>Cannot change the Windows start-up entry (%1). Check that your account may edit the registry.</source>
        <translation>無法變更 Windows 啟動項目（%1）。請確認您的 Windows 使用者有權編輯登錄檔。</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2. Remove it by hand.</source>
        <translation>無法移除 %1：%2。請手動移除。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1. Check the permissions of its parent folder.</source>
        <translation>無法建立資料夾 %1。請檢查其上層資料夾的權限。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Check that the folder is writable.</source>
        <translation>無法寫入 %1：%2。請確認該資料夾可寫入。</translation>
    </message>
</context>
<context>
    <name>BatchAddDialog</name>
    <message>
        <source>Add many accounts</source>
        <translation>批次新增帳號</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>供應商(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>基礎 URL(&amp;B)：</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>&amp;Name prefix:</source>
        <translation>名稱前綴(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>層級(&amp;T)：</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>優先順序(&amp;R)：</translation>
    </message>
    <message>
        <source>API &amp;keys, one per line:</source>
        <translation>API 金鑰，每行一個(&amp;K)：</translation>
    </message>
    <message>
        <source>sk-…
sk-…</source>
        <translation>sk-…
sk-…</translation>
    </message>
    <message>
        <source>Accounts will be named %1, …</source>
        <translation>帳號將命名為 %1、…</translation>
    </message>
    <message>
        <source>The account will be named %1.</source>
        <translation>帳號將命名為 %1。</translation>
    </message>
    <message>
        <source>Accounts will be named %1 … %2.</source>
        <translation>帳號將命名為 %1 … %2。</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) → %n account(s)</source>
        <translation>
            <numerusform>%n 個金鑰 → %n 個帳號</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n repeated key(s) ignored)</source>
        <translation>
            <numerusform>%1（已忽略 %n 個重複的金鑰）</numerusform>
        </translation>
    </message>
    <message>
        <source>These lines are skipped: %1</source>
        <translation>將略過以下各行：%1</translation>
    </message>
    <message>
        <source>Paste at least one API key.</source>
        <translation>請至少貼上一個 API 金鑰。</translation>
    </message>
    <message>
        <source>Adding %1 of %2…</source>
        <translation>正在新增 %1/%2…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) not tried: the batch was stopped.</source>
        <translation>
            <numerusform>%n 個金鑰未處理：批次新增已停止。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n account(s) added. Not added:
%2
The keys not added are left in the box: fix the cause and add again.</source>
        <translation>
            <numerusform>已新增 %1 個帳號（共 %n 個）。未新增：
%2
未新增的金鑰仍保留在輸入框中：請排除原因後再新增一次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Add accounts</source>
        <translation>新增帳號</translation>
    </message>
</context>
<context>
    <name>ClaudeSettingsFile</name>
    <message>
        <source>Cannot read %1: %2. Check the file&apos;s permissions.</source>
        <translation>無法讀取 %1：%2。請檢查該檔案的權限。</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (%2 at character %3). Fix the file or move it away, then try again.</source>
        <translation>%1 不是有效的 JSON（%2，位於第 %3 個字元）。請修正該檔案或將它移走，然後再試一次。</translation>
    </message>
    <message>
        <source>%1 does not hold a JSON object. Fix the file or move it away, then try again.</source>
        <translation>%1 的內容不是 JSON 物件。請修正該檔案或將它移走，然後再試一次。</translation>
    </message>
    <message>
        <source>&quot;env&quot; in %1 is not an object. Fix the file or move it away, then try again.</source>
        <translation>%1 中的 &quot;env&quot; 不是物件。請修正該檔案或將它移走，然後再試一次。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Check that the folder is writable.</source>
        <translation>無法寫入 %1：%2。請確認該資料夾可寫入。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1. Check the permissions of its parent folder.</source>
        <translation>無法建立資料夾 %1。請檢查其上層資料夾的權限。</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2. Remove it by hand.</source>
        <translation>無法移除 %1：%2。請手動移除。</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Unknown command &quot;%1&quot; (see switchboard --help).</source>
        <translation>不明的指令「%1」（請參閱 switchboard --help）。</translation>
    </message>
    <message>
        <source>warning: API keys are kept in the plaintext file %1 (readable by you only), not in the system keychain.</source>
        <translation>警告：API 金鑰以明文保存在檔案 %1 中（僅您可讀取），而非系統鑰匙圈。</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1 %2&quot; (see switchboard --help).</source>
        <translation>不明的指令「%1 %2」（請參閱 switchboard --help）。</translation>
    </message>
    <message>
        <source>Usage: switchboard %1 %2 (see --help)</source>
        <translation>用法：switchboard %1 %2（請參閱 --help）</translation>
    </message>
</context>
<context>
    <name>ClientWriter</name>
    <message>
        <source>The gateway ended this request without an answer.</source>
        <translation>閘道結束了此請求，但未給予回應。</translation>
    </message>
</context>
<context>
    <name>ConnectPanel</name>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已複製到剪貼簿。</translation>
    </message>
    <message>
        <source>Both lines copied to the clipboard.</source>
        <translation>兩行皆已複製到剪貼簿。</translation>
    </message>
    <message>
        <source>&lt;your access key&gt;</source>
        <translation>&lt;您的存取金鑰&gt;</translation>
    </message>
    <message>
        <source>Written to %1. The previous file is kept in %2; Undo puts it back. Restart Claude Code to use Switchboard.</source>
        <translation>已寫入 %1。先前的檔案保留在 %2；按「復原」即可將其還原。重新啟動 Claude Code 即可使用 Switchboard。</translation>
    </message>
    <message>
        <source>Created %1. Restart Claude Code to use Switchboard.</source>
        <translation>已建立 %1。重新啟動 Claude Code 即可使用 Switchboard。</translation>
    </message>
    <message>
        <source>Restored the previous %1.</source>
        <translation>已還原先前的 %1。</translation>
    </message>
    <message>
        <source>Removed %1 again.</source>
        <translation>已移除剛才建立的 %1。</translation>
    </message>
    <message>
        <source>✔ Claude Code is connected: its settings file sends requests to %1.</source>
        <translation>✔ Claude Code 已連線：其設定檔會將請求傳送至 %1。</translation>
    </message>
    <message>
        <source>The local endpoint is not running, so Claude Code cannot connect. Start it from the tray menu, or choose a free port on the Gateway tab.</source>
        <translation>本機端點未執行，因此 Claude Code 無法連線。請從系統匣選單啟動它，或在「閘道」分頁中選擇一個可用的連接埠。</translation>
    </message>
    <message>
        <source>Claude Code is not connected to Switchboard yet.</source>
        <translation>Claude Code 尚未連線到 Switchboard。</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>連接 Claude Code</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>環境變數</translation>
    </message>
    <message>
        <source>Claude Code settings file</source>
        <translation>Claude Code 設定檔</translation>
    </message>
    <message>
        <source>Claude Code sends its requests to ANTHROPIC_BASE_URL with the key in ANTHROPIC_AUTH_TOKEN. Set both in the shell you start Claude Code from:</source>
        <translation>Claude Code 會將請求傳送至 ANTHROPIC_BASE_URL，並使用 ANTHROPIC_AUTH_TOKEN 中的金鑰。請在您用來啟動 Claude Code 的 shell 中設定這兩個變數：</translation>
    </message>
    <message>
        <source>bash / zsh</source>
        <translation>bash / zsh</translation>
    </message>
    <message>
        <source>Windows PowerShell</source>
        <translation>Windows PowerShell</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>複製</translation>
    </message>
    <message>
        <source>Copy both lines</source>
        <translation>複製兩行</translation>
    </message>
    <message>
        <source>The lines use the key &quot;%1&quot; you just created.</source>
        <translation>這兩行使用您剛才建立的金鑰「%1」。</translation>
    </message>
    <message>
        <source>Switchboard keeps only a hash of each access key, so it cannot fill in an existing one. Paste yours, or create a new key for Claude Code.</source>
        <translation>Switchboard 只保留每個存取金鑰的雜湊值，因此無法填入現有的金鑰。請貼上您的金鑰，或為 Claude Code 建立新的金鑰。</translation>
    </message>
    <message>
        <source>Create a key for Claude Code</source>
        <translation>為 Claude Code 建立金鑰</translation>
    </message>
    <message>
        <source>Or let Switchboard write both values into the &quot;env&quot; section of %1. Other settings stay as they are, and the previous file is kept as a backup.</source>
        <translation>您也可以讓 Switchboard 將這兩個值寫入 %1 的 &quot;env&quot; 區段。其他設定維持不變，先前的檔案會保留一份備份。</translation>
    </message>
    <message>
        <source>Or let Switchboard write both values into the &quot;env&quot; section of %1. This needs the key itself: create a key for Claude Code first.</source>
        <translation>您也可以讓 Switchboard 將這兩個值寫入 %1 的 &quot;env&quot; 區段。這需要金鑰本身：請先為 Claude Code 建立金鑰。</translation>
    </message>
    <message>
        <source>Write to %1</source>
        <translation>寫入 %1</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>復原</translation>
    </message>
</context>
<context>
    <name>ConnectionGuard</name>
    <message>
        <source>The gateway is holding too many large requests right now; try again in a moment.</source>
        <translation>閘道目前暫存的大型請求過多，請稍後再試。</translation>
    </message>
    <message>
        <source>The request headers did not arrive in time.</source>
        <translation>請求標頭未及時送達。</translation>
    </message>
    <message>
        <source>The request body arrived too slowly.</source>
        <translation>請求本文送達得太慢。</translation>
    </message>
</context>
<context>
    <name>Converter</name>
    <message>
        <source>The request&apos;s &quot;messages&quot; must be an array.</source>
        <translation>請求中的 &quot;messages&quot; 必須是陣列。</translation>
    </message>
    <message>
        <source>messages[%1] must be an object.</source>
        <translation>messages[%1] 必須是物件。</translation>
    </message>
    <message>
        <source>messages[%1] has the unknown role &quot;%2&quot;.</source>
        <translation>messages[%1] 的角色「%2」不明。</translation>
    </message>
    <message>
        <source>%1 must be a string or an array of text blocks.</source>
        <translation>%1 必須是字串或文字區塊陣列。</translation>
    </message>
    <message>
        <source>%1: a base64 image needs media_type and data.</source>
        <translation>%1：base64 圖片需要 media_type 與 data。</translation>
    </message>
    <message>
        <source>%1: an image URL source needs a url.</source>
        <translation>%1：URL 類型的圖片來源需要 url。</translation>
    </message>
    <message>
        <source>%1: unsupported image source type &quot;%2&quot;.</source>
        <translation>%1：不支援的圖片來源類型「%2」。</translation>
    </message>
    <message>
        <source>messages[%1].content must be a string or an array.</source>
        <translation>messages[%1].content 必須是字串或陣列。</translation>
    </message>
    <message>
        <source>%1: tool_result without tool_use_id.</source>
        <translation>%1：tool_result 缺少 tool_use_id。</translation>
    </message>
    <message>
        <source>%1: tool_use needs an id and a name.</source>
        <translation>%1：tool_use 需要 id 與 name。</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>Cannot create the data folder %1.</source>
        <translation>無法建立資料目錄 %1。</translation>
    </message>
    <message>
        <source>Cannot create the database file %1: %2</source>
        <translation>無法建立資料庫檔案 %1：%2</translation>
    </message>
    <message>
        <source>The Qt SQL driver %1 is not installed (on Debian: apt install %2).</source>
        <translation>未安裝 Qt SQL 驅動程式 %1（在 Debian 上：apt install %2）。</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>無法開啟 %1：%2</translation>
    </message>
</context>
<context>
    <name>DatabaseConfig</name>
    <message>
        <source>Database URL must look like postgresql://USER:PASSWORD@HOST:PORT/DATABASE.</source>
        <translation>資料庫 URL 的格式應為 postgresql://USER:PASSWORD@HOST:PORT/DATABASE。</translation>
    </message>
</context>
<context>
    <name>FailureClassifier</name>
    <message>
        <source>The upstream did not answer in time.</source>
        <translation>上游未及時回應。</translation>
    </message>
    <message>
        <source>The upstream refused the connection.</source>
        <translation>上游拒絕了連線。</translation>
    </message>
    <message>
        <source>The upstream closed the connection before answering.</source>
        <translation>上游在回應前就關閉了連線。</translation>
    </message>
    <message>
        <source>The upstream&apos;s answer cannot be relayed: %1</source>
        <translation>無法轉送上游的回應：%1</translation>
    </message>
    <message>
        <source>The upstream could not be reached: %1</source>
        <translation>無法連線至上游：%1</translation>
    </message>
    <message>
        <source>The upstream answered HTTP %1, which is not an answer of the API (check the base URL, and any proxy in between).</source>
        <translation>上游回應了 HTTP %1，這不是 API 的回應（請檢查基礎 URL，以及中間的任何代理伺服器）。</translation>
    </message>
    <message>
        <source>The monthly spend limit is reached (%1); parked until %2.</source>
        <translation>已達每月支出上限（%1）；暫停至 %2。</translation>
    </message>
    <message>
        <source>The account is out of credit (%1).</source>
        <translation>此帳號的額度已用盡（%1）。</translation>
    </message>
    <message>
        <source>The API key was rejected (%1).</source>
        <translation>API 金鑰遭拒絕（%1）。</translation>
    </message>
    <message>
        <source>Access denied (%1).</source>
        <translation>存取遭拒（%1）。</translation>
    </message>
    <message>
        <source>Rate limited (%1).</source>
        <translation>觸發速率限制（%1）。</translation>
    </message>
    <message>
        <source>The upstream is overloaded (%1).</source>
        <translation>上游過載（%1）。</translation>
    </message>
    <message>
        <source>The upstream failed with HTTP %1 (%2).</source>
        <translation>上游發生錯誤，回應 HTTP %1（%2）。</translation>
    </message>
</context>
<context>
    <name>FileSecretStore</name>
    <message>
        <source>secrets file %1</source>
        <translation>機密檔案 %1</translation>
    </message>
    <message>
        <source>the file is not a Switchboard secrets file</source>
        <translation>此檔案不是 Switchboard 機密檔案</translation>
    </message>
    <message>
        <source>cannot create folder %1</source>
        <translation>無法建立資料夾 %1</translation>
    </message>
    <message>
        <source>The secrets file %1 cannot be used: %2</source>
        <translation>無法使用機密檔案 %1：%2</translation>
    </message>
    <message>
        <source>The secrets file has no secret for this account.</source>
        <translation>機密檔案中沒有此帳號的金鑰。</translation>
    </message>
</context>
<context>
    <name>Gateway</name>
    <message>
        <source>The local gateway is stopped: start it to test accounts.</source>
        <translation>本機閘道已停止：請先啟動閘道再測試帳號。</translation>
    </message>
</context>
<context>
    <name>GatewayServer</name>
    <message>
        <source>There is no endpoint at %1.</source>
        <translation>%1 處沒有端點。</translation>
    </message>
    <message>
        <source>Browser requests from %1 are refused. Allow this origin in Switchboard&apos;s settings (gateway.allowed_origins) if you trust it.</source>
        <translation>來自 %1 的瀏覽器請求已遭拒絕。若您信任此來源，請在 Switchboard 的設定（gateway.allowed_origins）中允許它。</translation>
    </message>
    <message>
        <source>%1 needs %2, not %3.</source>
        <translation>%1 需要使用 %2，而非 %3。</translation>
    </message>
    <message>
        <source>The request body is not valid JSON: %1 at byte %2.</source>
        <translation>請求本文不是有效的 JSON：%1，位於第 %2 個位元組。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>請求本文必須是 JSON 物件。</translation>
    </message>
    <message>
        <source>model: the field is required (a model name such as claude-sonnet-4-5).</source>
        <translation>model：此欄位為必填（模型名稱，例如 claude-sonnet-4-5）。</translation>
    </message>
    <message>
        <source>Cannot listen on %1 port %2: %3. Another program may be using the port; choose another one in the settings.</source>
        <translation>無法在 %1 的連接埠 %2 上監聽：%3。可能有其他程式正在使用此連接埠；請在設定中選擇其他連接埠。</translation>
    </message>
</context>
<context>
    <name>GuiApplication</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>Switchboard cannot open its data: %1
Check that the data folder is writable, or start with --data-dir pointing to another folder.</source>
        <translation>Switchboard 無法開啟其資料：%1
請確認資料目錄可寫入，或使用 --data-dir 指定其他資料夾來啟動。</translation>
    </message>
</context>
<context>
    <name>HeadlessServer</name>
    <message>
        <source>Received signal %1, shutting down.</source>
        <translation>收到訊號 %1，正在關閉。</translation>
    </message>
    <message>
        <source>Switchboard is listening on http://%1:%2</source>
        <translation>Switchboard 正在監聽 http://%1:%2</translation>
    </message>
</context>
<context>
    <name>HealthPolicy</name>
    <message numerus="yes">
        <source>%n error(s) in a row, resting until %1. Last: %2</source>
        <translation>
            <numerusform>連續 %n 次錯誤，冷卻至 %1。最近一次：%2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <source>system keychain</source>
        <translation>系統鑰匙圈</translation>
    </message>
    <message>
        <source>The keychain has no secret for this account.</source>
        <translation>鑰匙圈中沒有此帳號的金鑰。</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1). Start your desktop&apos;s keyring (for example gnome-keyring or KWallet) and try again, or run with --secrets-file PATH to keep secrets in a private file.</source>
        <translation>無法使用系統鑰匙圈（%1）。請啟動桌面環境的金鑰環（例如 gnome-keyring 或 KWallet）後再試一次，或使用 --secrets-file PATH 執行，將機密資料保存在私人檔案中。</translation>
    </message>
    <message>
        <source>Access to the system keychain was denied (%1). Unlock the keyring and try again.</source>
        <translation>存取系統鑰匙圈遭拒（%1）。請解鎖金鑰環後再試一次。</translation>
    </message>
    <message>
        <source>The system keychain failed: %1</source>
        <translation>系統鑰匙圈發生錯誤：%1</translation>
    </message>
</context>
<context>
    <name>KeysCommand</name>
    <message>
        <source>never</source>
        <translation>從未</translation>
    </message>
    <message>
        <source>What the key is for (e.g. laptop).</source>
        <translation>金鑰用途（例如 laptop）。</translation>
    </message>
    <message>
        <source>Print {&quot;id&quot;:…,&quot;key&quot;:…} as JSON.</source>
        <translation>以 JSON 格式輸出 {&quot;id&quot;:…,&quot;key&quot;:…}。</translation>
    </message>
    <message>
        <source>An admin key: opens the admin API (/admin/v1) instead of the Messages API.</source>
        <translation>管理金鑰：可存取管理 API（/admin/v1），而非 Messages API。</translation>
    </message>
    <message>
        <source>keys create needs --name NAME.</source>
        <translation>keys create 需要 --name NAME。</translation>
    </message>
    <message>
        <source>Created access key &quot;%1&quot; (%2). This is the only time it is shown: copy it now.</source>
        <translation>已建立存取金鑰「%1」（%2）。金鑰只會顯示這一次：請立即複製。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式輸出。</translation>
    </message>
    <message>
        <source>No access keys yet. Create one with: switchboard keys create --name NAME</source>
        <translation>尚無存取金鑰。建立方式：switchboard keys create --name NAME</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已撤銷</translation>
    </message>
    <message>
        <source>active (admin)</source>
        <translation>有效（管理）</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名稱</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>PREFIX</source>
        <translation>前綴</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>建立時間</translation>
    </message>
    <message>
        <source>LAST USED</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Revoked access key &quot;%1&quot; (%2…): clients using it are refused from now on.</source>
        <translation>已撤銷存取金鑰「%1」（%2…）：此後使用它的用戶端都會遭到拒絕。</translation>
    </message>
</context>
<context>
    <name>LogDebugReader</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>無法讀取 %1：%2</translation>
    </message>
</context>
<context>
    <name>LogExport</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
</context>
<context>
    <name>LogFormat</name>
    <message>
        <source>499 client closed</source>
        <translation>499 用戶端已關閉連線</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 in · %2 out · %3 cache</source>
        <translation>輸入 %1 · 輸出 %2 · 快取 %3</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>輸入 %1 · 輸出 %2</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>無帳號</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>用戶端金鑰</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Upstream model</source>
        <translation>上游模型</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>嘗試次數</translation>
    </message>
    <message>
        <source>Failover path</source>
        <translation>容錯移轉路徑</translation>
    </message>
    <message>
        <source>Changed by the gateway</source>
        <translation>閘道所做的變更</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>串流</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延遲</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首個權杖時間</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>輸入權杖</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>輸出權杖</translation>
    </message>
    <message>
        <source>Cache read tokens</source>
        <translation>快取讀取權杖</translation>
    </message>
    <message>
        <source>Cache write tokens</source>
        <translation>快取寫入權杖</translation>
    </message>
    <message>
        <source>Not admitted</source>
        <translation>未獲准入</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>遭拒絕</translation>
    </message>
    <message>
        <source>Told the client</source>
        <translation>告知用戶端</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Revoked key</source>
        <translation>已撤銷的金鑰</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>用戶端</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>嘗試次數</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延遲</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首個權杖時間</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>權杖</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>Search client, model, account, status…</source>
        <translation>搜尋用戶端、模型、帳號、狀態…</translation>
    </message>
    <message>
        <source>Show the requests of one account</source>
        <translation>只顯示某個帳號的請求</translation>
    </message>
    <message>
        <source>Show successful requests, errors or one status code</source>
        <translation>顯示成功的請求、錯誤或特定狀態碼</translation>
    </message>
    <message>
        <source>Show the requests for one model</source>
        <translation>只顯示某個模型的請求</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>匯出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the requests shown to a CSV or JSON lines file</source>
        <translation>將目前顯示的請求儲存為 CSV 或 JSON Lines 檔案</translation>
    </message>
    <message>
        <source>Request and response bodies</source>
        <translation>請求與回應本文</translation>
    </message>
    <message>
        <source>Turn on &amp;debug logging</source>
        <translation>開啟偵錯記錄(&amp;D)</translation>
    </message>
    <message>
        <source>Logs request and response bodies (keys masked) from now on; the same switch is in Settings</source>
        <translation>從現在起記錄請求與回應本文（金鑰會遮蔽）；「設定」中也有相同的開關</translation>
    </message>
    <message>
        <source>Cannot turn on debug logging: %1. Try again in Settings.</source>
        <translation>無法開啟偵錯記錄：%1。請在「設定」中再試一次。</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>所有帳號</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>無帳號</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>所有模型</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) shown</source>
        <translation>
            <numerusform>顯示 %n 筆請求</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1（共 %2 筆）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Cannot load the recent requests: %1. Switch pages to try again.</source>
        <translation>無法載入最近的請求：%1。切換頁面即可重試。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在匯出…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n request(s) to %1.</source>
        <translation>
            <numerusform>已將 %n 筆請求匯出至 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1. Choose another folder and export again.</source>
        <translation>匯出失敗：%1。請選擇其他資料夾後再匯出一次。</translation>
    </message>
    <message>
        <source>Select a request to see its details.</source>
        <translation>選取一筆請求以查看詳細資料。</translation>
    </message>
    <message>
        <source>Turn on debug logging in Settings to see bodies.</source>
        <translation>在「設定」中開啟偵錯記錄即可查看本文。</translation>
    </message>
    <message>
        <source>Bodies are not logged. Turn on debug logging in Settings to see the bodies of later requests.</source>
        <translation>未記錄本文。在「設定」中開啟偵錯記錄後，即可查看之後請求的本文。</translation>
    </message>
    <message>
        <source>Looking up the bodies in the debug log…</source>
        <translation>正在偵錯記錄中查詢本文…</translation>
    </message>
    <message>
        <source>Cannot read the debug log: %1. Check the logs folder&apos;s permissions.</source>
        <translation>無法讀取偵錯記錄：%1。請檢查記錄資料夾的權限。</translation>
    </message>
    <message>
        <source>This request is not in the debug log: it came before debug logging was on, or the log has rotated since.</source>
        <translation>偵錯記錄中沒有這筆請求：它發生在開啟偵錯記錄之前，或記錄檔在此之後已輪替。</translation>
    </message>
    <message>
        <source>Request: %1 %2
%3

Response: %4
%5</source>
        <translation>請求：%1 %2
%3

回應：%4
%5</translation>
    </message>
    <message>
        <source>Export requests</source>
        <translation>匯出請求</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 檔案 (*.csv)</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines 檔案 (*.jsonl)</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>所有狀態</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>錯誤</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>總覽</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>記錄</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Starting the local endpoint…</source>
        <translation>正在啟動本機端點…</translation>
    </message>
    <message>
        <source>Serving Claude-compatible clients at %1</source>
        <translation>正在 %1 為 Claude 相容用戶端提供服務</translation>
    </message>
    <message>
        <source>The local endpoint is stopped. Start it from the tray menu.</source>
        <translation>本機端點已停止。請從系統匣選單啟動。</translation>
    </message>
    <message>
        <source>The local endpoint is not running: %1</source>
        <translation>本機端點未執行：%1</translation>
    </message>
</context>
<context>
    <name>MessageRelay</name>
    <message>
        <source>Its API key is still being read from the keychain.</source>
        <translation>仍在從鑰匙圈讀取此帳號的 API 金鑰。</translation>
    </message>
    <message>
        <source>Its API key could not be read: %1</source>
        <translation>無法讀取此帳號的 API 金鑰：%1</translation>
    </message>
    <message>
        <source>the upstream answered with malformed JSON (%1)</source>
        <translation>上游回應了格式錯誤的 JSON（%1）</translation>
    </message>
    <message>
        <source>%1 400 (thinking refused)</source>
        <translation>%1 400（思考區塊遭拒）</translation>
    </message>
    <message>
        <source>the upstream&apos;s answer is not a chat completion (%1)</source>
        <translation>上游的回應不是 chat completion（%1）</translation>
    </message>
    <message>
        <source>The upstream stream ended early (%1).</source>
        <translation>上游串流提前結束（%1）。</translation>
    </message>
    <message>
        <source>no data for too long</source>
        <translation>過久未收到資料</translation>
    </message>
    <message>
        <source>it closed without message_stop</source>
        <translation>上游未送出 message_stop 就關閉了連線</translation>
    </message>
</context>
<context>
    <name>Migrations</name>
    <message>
        <source>Database schema update failed: %1</source>
        <translation>資料庫結構描述更新失敗：%1</translation>
    </message>
    <message>
        <source>Cannot read the database schema version: %1</source>
        <translation>無法讀取資料庫結構描述版本：%1</translation>
    </message>
    <message>
        <source>The database was written by a newer Switchboard (schema %1, this build knows %2). Update Switchboard.</source>
        <translation>資料庫是由較新版本的 Switchboard 寫入（結構描述版本 %1，此版本僅支援到 %2）。請更新 Switchboard。</translation>
    </message>
</context>
<context>
    <name>ModelMapping</name>
    <message>
        <source>Model mapping &quot;%1&quot; is not of the form PATTERN=MODEL, for example claude-opus-*=gpt-4o.</source>
        <translation>模型對應「%1」不符合 PATTERN=MODEL 格式，例如 claude-opus-*=gpt-4o。</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>The provider rejected the key of &quot;%1&quot;. Switchboard stopped using it: update the key in Accounts.</source>
        <translation>供應商拒絕了「%1」的金鑰。Switchboard 已停止使用此帳號：請在「帳號」頁面中更新金鑰。</translation>
    </message>
    <message>
        <source>The provider rejected the key of &quot;%1&quot; (%2). Switchboard stopped using it: update the key in Accounts.</source>
        <translation>供應商拒絕了「%1」的金鑰（%2）。Switchboard 已停止使用此帳號：請在「帳號」頁面中更新金鑰。</translation>
    </message>
    <message>
        <source>Account key rejected</source>
        <translation>帳號金鑰遭拒絕</translation>
    </message>
    <message>
        <source>No account can serve requests</source>
        <translation>沒有可處理請求的帳號</translation>
    </message>
    <message numerus="yes">
        <source>All %n account(s) are cooling down, rejected or parked. Requests fail until one recovers; check Accounts for the reasons.</source>
        <translation>
            <numerusform>全部 %n 個帳號都在冷卻中、遭拒絕或已暫停。在有帳號恢復之前，請求都會失敗；請到「帳號」頁面查看原因。</numerusform>
        </translation>
    </message>
    <message>
        <source>The local endpoint is not running</source>
        <translation>本機端點未執行</translation>
    </message>
    <message>
        <source>The local endpoint is running again</source>
        <translation>本機端點已恢復執行</translation>
    </message>
    <message>
        <source>Clients can reach Switchboard at %1.</source>
        <translation>用戶端可透過 %1 連線到 Switchboard。</translation>
    </message>
    <message>
        <source>A client keeps being refused</source>
        <translation>有用戶端一再遭拒絕</translation>
    </message>
    <message>
        <source>Switchboard refused %1 several times: %2 If this is Claude Code, open Settings ▸ Connect Claude Code to give it a working key.</source>
        <translation>Switchboard 多次拒絕了 %1：%2 如果這是 Claude Code，請開啟「設定 ▸ 連接 Claude Code」，為它設定可用的金鑰。</translation>
    </message>
</context>
<context>
    <name>OpenAIError</name>
    <message>
        <source>The provider reported an error in the stream without a message.</source>
        <translation>供應商在串流中回報了錯誤，但沒有任何訊息。</translation>
    </message>
    <message>
        <source>Provider error in the stream: %1</source>
        <translation>串流中的供應商錯誤：%1</translation>
    </message>
    <message>
        <source>The provider answered HTTP %1 without an error message.</source>
        <translation>供應商回應了 HTTP %1，但沒有錯誤訊息。</translation>
    </message>
    <message>
        <source>Provider error (HTTP %1): %2</source>
        <translation>供應商錯誤（HTTP %1）：%2</translation>
    </message>
</context>
<context>
    <name>OpenAIRequest</name>
    <message>
        <source>tools[%1] has no name.</source>
        <translation>tools[%1] 沒有 name。</translation>
    </message>
    <message>
        <source>tool_choice of type &quot;tool&quot; needs a name.</source>
        <translation>類型為 &quot;tool&quot; 的 tool_choice 需要 name。</translation>
    </message>
    <message>
        <source>Unknown tool_choice type &quot;%1&quot;.</source>
        <translation>不明的 tool_choice 類型「%1」。</translation>
    </message>
</context>
<context>
    <name>OpenAIResponse</name>
    <message>
        <source>The provider&apos;s answer has no choices.</source>
        <translation>供應商的回應中沒有 choices。</translation>
    </message>
    <message>
        <source>The provider answered with an error: %1</source>
        <translation>供應商回應了錯誤：%1</translation>
    </message>
</context>
<context>
    <name>OpenAIStreamTranslator</name>
    <message>
        <source>The provider sent more than %1 of unfinished tool-call arguments and text held back behind them; the answer was cut off there.</source>
        <translation>供應商傳送了超過 %1 的未完成工具呼叫引數，以及暫存在其後的文字；回應已在該處截斷。</translation>
    </message>
    <message>
        <source>The provider sent a stream chunk that is not JSON.</source>
        <translation>供應商傳送的串流區塊不是 JSON。</translation>
    </message>
    <message>
        <source>The provider ended the stream before the answer was complete.</source>
        <translation>供應商在回應完成前就結束了串流。</translation>
    </message>
</context>
<context>
    <name>OverviewAccountsModel</name>
    <message>
        <source>Account</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康狀態</translation>
    </message>
    <message>
        <source>Requests left</source>
        <translation>剩餘請求數</translation>
    </message>
    <message>
        <source>Tokens left</source>
        <translation>剩餘權杖數</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>What the provider&apos;s last answer said is left of its rate limit, and when the limit fills up again. Not every provider says.</source>
        <translation>供應商最近一次回應所告知的速率限制剩餘額度，以及限制何時重新補滿。並非每個供應商都會提供。</translation>
    </message>
    <message>
        <source>Requests this account served today.</source>
        <translation>此帳號今天處理的請求數。</translation>
    </message>
    <message>
        <source>%1 (pinned)</source>
        <translation>%1（已釘選）</translation>
    </message>
</context>
<context>
    <name>OverviewFigures</name>
    <message>
        <source>%1 · pinned</source>
        <translation>%1 · 已釘選</translation>
    </message>
    <message>
        <source>%1 · same conversation</source>
        <translation>%1 · 同一對話</translation>
    </message>
    <message>
        <source>%1 · after another account failed</source>
        <translation>%1 · 另一個帳號失敗後改用</translation>
    </message>
    <message>
        <source>%1 · chosen by the %2 strategy</source>
        <translation>%1 · 依「%2」策略選出</translation>
    </message>
    <message>
        <source>No request served yet</source>
        <translation>尚未處理任何請求</translation>
    </message>
    <message>
        <source>full again</source>
        <translation>已重新補滿</translation>
    </message>
    <message>
        <source>%1 of %2 left</source>
        <translation>剩餘 %1 / %2</translation>
    </message>
    <message>
        <source>%1 · resets %2</source>
        <translation>%1 · 於 %2 重設</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>no account could serve the last request (%1)</source>
        <translation>沒有帳號能處理上一個請求（%1）</translation>
    </message>
    <message>
        <source>failed over: %1</source>
        <translation>已容錯移轉：%1</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Copied</source>
        <translation>已複製</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>複製位址</translation>
    </message>
    <message>
        <source>Copies the address clients use as their base URL</source>
        <translation>複製用戶端做為基礎 URL 使用的位址</translation>
    </message>
    <message>
        <source>Serving now:</source>
        <translation>目前服務中：</translation>
    </message>
    <message>
        <source>Requests today</source>
        <translation>今天的請求數</translation>
    </message>
    <message>
        <source>Tokens today</source>
        <translation>今天的權杖數</translation>
    </message>
    <message>
        <source>Estimated cost today</source>
        <translation>今天的預估費用</translation>
    </message>
    <message>
        <source>Upstream error rate</source>
        <translation>上游錯誤率</translation>
    </message>
    <message>
        <source>Requests per minute, last hour</source>
        <translation>每分鐘請求數（最近一小時）</translation>
    </message>
    <message>
        <source>Recent failures</source>
        <translation>最近的失敗</translation>
    </message>
    <message>
        <source>No failed request today.</source>
        <translation>今天沒有失敗的請求。</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>● Starting…</source>
        <translation>● 正在啟動…</translation>
    </message>
    <message>
        <source>● Serving at</source>
        <translation>● 服務位址：</translation>
    </message>
    <message>
        <source>● Stopped: clients cannot connect.</source>
        <translation>● 已停止：用戶端無法連線。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>啟動</translation>
    </message>
    <message>
        <source>● Not running: %1</source>
        <translation>● 未執行：%1</translation>
    </message>
    <message>
        <source>Change the port…</source>
        <translation>變更連接埠…</translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled by the client</source>
        <translation>
            <numerusform>%n 個遭用戶端取消</numerusform>
        </translation>
    </message>
    <message>
        <source>since midnight</source>
        <translation>自午夜起</translation>
    </message>
    <message>
        <source>input, output and cache</source>
        <translation>輸入、輸出與快取</translation>
    </message>
    <message>
        <source>estimate from your price table</source>
        <translation>根據您的價格表預估</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>有 %n 個請求的模型不在價格表中，未計入</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>根據最近 %n 個請求預估</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message numerus="yes">
        <source>%n client error(s) not counted</source>
        <translation>
            <numerusform>%n 個用戶端錯誤未計入</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>Clients cannot use Switchboard yet: each needs an access key (Claude Code too).</source>
        <translation>用戶端還無法使用 Switchboard：每個用戶端（包括 Claude Code）都需要一把存取金鑰。</translation>
    </message>
    <message>
        <source>Create access key…</source>
        <translation>建立存取金鑰…</translation>
    </message>
    <message numerus="yes">
        <source>%n failed attempt(s) of %1</source>
        <translation>
            <numerusform>%1 次嘗試中失敗 %n 次</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceTable</name>
    <message>
        <source>The price file is not a JSON object with a &quot;prices&quot; list.</source>
        <translation>價格檔案不是包含 &quot;prices&quot; 清單的 JSON 物件。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>無法讀取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>無法寫入 %1：%2</translation>
    </message>
</context>
<context>
    <name>PriceTableDialog</name>
    <message>
        <source>Model prices</source>
        <translation>模型價格</translation>
    </message>
    <message>
        <source>Estimated prices in US dollars per million tokens, used only to estimate costs on the Usage page. They are not your bill: edit them to match your plan. A model uses the first row whose pattern matches it; * matches any characters.</source>
        <translation>每百萬權杖的預估價格（美元），僅用於在「用量」頁面預估費用。這不是您的實際帳單：請依您的方案修改。每個模型會使用第一個模式與其相符的列；* 可比對任意字元。</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>新增(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Restore &amp;defaults</source>
        <translation>還原預設值(&amp;D)</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) have no model pattern and match nothing: type one, e.g. claude-sonnet-4*, or remove the row.</source>
        <translation>
            <numerusform>%n 列沒有模型模式，不會比對到任何模型：請輸入模式（例如 claude-sonnet-4*），或移除該列。</numerusform>
        </translation>
    </message>
    <message>
        <source>Model pattern</source>
        <translation>模型模式</translation>
    </message>
    <message>
        <source>Input $/M</source>
        <translation>輸入 $/M</translation>
    </message>
    <message>
        <source>Output $/M</source>
        <translation>輸出 $/M</translation>
    </message>
    <message>
        <source>Cache read $/M</source>
        <translation>快取讀取 $/M</translation>
    </message>
    <message>
        <source>Cache write $/M</source>
        <translation>快取寫入 $/M</translation>
    </message>
</context>
<context>
    <name>ProviderPreset</name>
    <message>
        <source>Other Anthropic-compatible</source>
        <translation>其他 Anthropic 相容服務</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible</source>
        <translation>其他 OpenAI 相容服務</translation>
    </message>
</context>
<context>
    <name>RefusalTally</name>
    <message>
        <source>other clients</source>
        <translation>其他用戶端</translation>
    </message>
    <message>
        <source>Several clients were refused; each was told why.</source>
        <translation>多個用戶端遭拒絕；每個用戶端都已得知原因。</translation>
    </message>
</context>
<context>
    <name>RequestFramer</name>
    <message>
        <source>The request has no request line.</source>
        <translation>請求缺少請求行。</translation>
    </message>
    <message>
        <source>The request line is malformed: it must read METHOD /path HTTP/1.1.</source>
        <translation>請求行格式錯誤：必須為 METHOD /path HTTP/1.1。</translation>
    </message>
    <message>
        <source>%1 is not supported: Switchboard speaks HTTP/1.1.</source>
        <translation>不支援 %1：Switchboard 使用 HTTP/1.1。</translation>
    </message>
    <message>
        <source>The request has more than %1 header fields.</source>
        <translation>請求的標頭欄位超過 %1 個。</translation>
    </message>
    <message>
        <source>The request uses folded header lines, which HTTP/1.1 forbids.</source>
        <translation>請求使用了折行的標頭，HTTP/1.1 禁止這種格式。</translation>
    </message>
    <message>
        <source>A request header line is malformed.</source>
        <translation>某個請求標頭行格式錯誤。</translation>
    </message>
    <message>
        <source>The request has more than one Content-Length.</source>
        <translation>請求包含多個 Content-Length。</translation>
    </message>
    <message>
        <source>The request&apos;s Content-Length is not a number.</source>
        <translation>請求的 Content-Length 不是數字。</translation>
    </message>
    <message>
        <source>The request has more than one Transfer-Encoding.</source>
        <translation>請求包含多個 Transfer-Encoding。</translation>
    </message>
    <message>
        <source>Transfer-Encoding &quot;%1&quot; is not supported; send chunked or a Content-Length.</source>
        <translation>不支援 Transfer-Encoding「%1」；請使用 chunked 或 Content-Length。</translation>
    </message>
    <message>
        <source>Expect: %1 is not supported.</source>
        <translation>不支援 Expect: %1。</translation>
    </message>
    <message>
        <source>The request has more than one %1 header.</source>
        <translation>請求包含多個 %1 標頭。</translation>
    </message>
    <message>
        <source>The request has more than one Host header.</source>
        <translation>請求包含多個 Host 標頭。</translation>
    </message>
    <message>
        <source>The request has both Content-Length and Transfer-Encoding.</source>
        <translation>請求同時包含 Content-Length 與 Transfer-Encoding。</translation>
    </message>
    <message>
        <source>The request body is larger than %1 MiB.</source>
        <translation>請求本文超過 %1 MiB。</translation>
    </message>
    <message>
        <source>A chunk of the request body is not followed by CRLF.</source>
        <translation>請求本文的某個區塊後面沒有 CRLF。</translation>
    </message>
    <message>
        <source>The request starts with too many empty lines.</source>
        <translation>請求開頭的空行過多。</translation>
    </message>
    <message>
        <source>The request headers are larger than %1 KiB.</source>
        <translation>請求標頭超過 %1 KiB。</translation>
    </message>
    <message>
        <source>A chunk header of the request body is malformed.</source>
        <translation>請求本文的某個區塊標頭格式錯誤。</translation>
    </message>
    <message>
        <source>Trailers after a chunked request body are not supported.</source>
        <translation>不支援分塊請求本文之後的尾端標頭（trailer）。</translation>
    </message>
</context>
<context>
    <name>RuntimeFacade</name>
    <message numerus="yes">
        <source>%1 (%n times)</source>
        <translation>
            <numerusform>%1（%n 次）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SecretInput</name>
    <message>
        <source>Cannot read standard input.</source>
        <translation>無法讀取標準輸入。</translation>
    </message>
    <message>
        <source>No API key was given: pipe it on standard input, for example switchboard accounts add … &lt; key.txt</source>
        <translation>未提供 API 金鑰：請透過標準輸入傳入，例如 switchboard accounts add … &lt; key.txt</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>IP address the local endpoint listens on</source>
        <translation>本機端點監聽的 IP 位址</translation>
    </message>
    <message>
        <source>TCP port of the local endpoint</source>
        <translation>本機端點的 TCP 連接埠</translation>
    </message>
    <message>
        <source>Browser origins allowed to call the endpoint, comma-separated</source>
        <translation>允許呼叫端點的瀏覽器來源，以逗號分隔</translation>
    </message>
    <message>
        <source>Forward a client key that is not a local access key upstream</source>
        <translation>將非本機存取金鑰的用戶端金鑰轉送至上游</translation>
    </message>
    <message>
        <source>Seconds of upstream silence before an attempt counts as timed out</source>
        <translation>上游無回應幾秒後，該次嘗試即視為逾時</translation>
    </message>
    <message>
        <source>Seconds after which a request starts no new attempt</source>
        <translation>請求開始幾秒後，不再發起新的嘗試</translation>
    </message>
    <message>
        <source>How to pick an account within a tier</source>
        <translation>同一層級內選擇帳號的方式</translation>
    </message>
    <message>
        <source>Minutes between automatic account checks (0: never)</source>
        <translation>自動檢查帳號的間隔分鐘數（0：永不）</translation>
    </message>
    <message>
        <source>Consecutive errors after which an account rests for a while</source>
        <translation>帳號連續發生幾次錯誤後暫時冷卻</translation>
    </message>
    <message>
        <source>Seconds an account rests after a rate limit without retry-after</source>
        <translation>遇到速率限制且沒有 retry-after 時，帳號的冷卻秒數</translation>
    </message>
    <message>
        <source>Seconds an account rests after an overloaded answer</source>
        <translation>收到過載回應後，帳號的冷卻秒數</translation>
    </message>
    <message>
        <source>Seconds an account rests after repeated errors</source>
        <translation>連續發生錯誤後，帳號的冷卻秒數</translation>
    </message>
    <message>
        <source>Seconds an account skips a model it was refused access to</source>
        <translation>帳號遭拒絕存取某個模型後，略過該模型的秒數</translation>
    </message>
    <message>
        <source>Minutes a conversation stays on its account (0: no stickiness)</source>
        <translation>對話維持使用同一帳號的分鐘數（0：不固定）</translation>
    </message>
    <message>
        <source>Log request and response bodies (keys masked)</source>
        <translation>記錄請求與回應本文（金鑰會遮蔽）</translation>
    </message>
    <message>
        <source>Language of the window</source>
        <translation>視窗介面語言</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>啟動時最小化至系統匣</translation>
    </message>
    <message>
        <source>Closing the window keeps Switchboard serving in the tray</source>
        <translation>關閉視窗後，Switchboard 仍在系統匣中繼續提供服務</translation>
    </message>
    <message>
        <source>Start Switchboard when you log in</source>
        <translation>登入時啟動 Switchboard</translation>
    </message>
    <message>
        <source>%1 must be true or false (got &quot;%2&quot;).</source>
        <translation>%1 必須為 true 或 false（實際為「%2」）。</translation>
    </message>
    <message>
        <source>%1 must be a whole number (got &quot;%2&quot;).</source>
        <translation>%1 必須是整數（實際為「%2」）。</translation>
    </message>
    <message>
        <source>Unknown setting &quot;%1&quot;. List them with: switchboard settings list</source>
        <translation>不明的設定「%1」。列出所有設定：switchboard settings list</translation>
    </message>
    <message>
        <source>%1 must be true or false.</source>
        <translation>%1 必須為 true 或 false。</translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1 必須是整數。</translation>
    </message>
    <message>
        <source>%1 must be between %2 and %3 (got %4).</source>
        <translation>%1 必須介於 %2 與 %3 之間（實際為 %4）。</translation>
    </message>
    <message>
        <source>%1 must be one of: %2 (got &quot;%3&quot;).</source>
        <translation>%1 必須是下列值之一：%2（實際為「%3」）。</translation>
    </message>
    <message>
        <source>%1 must be a list of origins.</source>
        <translation>%1 必須是來源清單。</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an origin such as http://localhost:3000.</source>
        <translation>%1：「%2」不是有效的來源，來源應類似 http://localhost:3000。</translation>
    </message>
    <message>
        <source>%1 must be an IP address such as 127.0.0.1 (got &quot;%2&quot;).</source>
        <translation>%1 必須是 IP 位址，例如 127.0.0.1（實際為「%2」）。</translation>
    </message>
</context>
<context>
    <name>SettingsChoices</name>
    <message>
        <source>Listen address</source>
        <translation>監聽位址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>連接埠</translation>
    </message>
    <message>
        <source>Allowed browser origins</source>
        <translation>允許的瀏覽器來源</translation>
    </message>
    <message>
        <source>Pass unknown client keys upstream</source>
        <translation>將不明的用戶端金鑰轉送至上游</translation>
    </message>
    <message>
        <source>Upstream timeout</source>
        <translation>上游逾時</translation>
    </message>
    <message>
        <source>Request deadline</source>
        <translation>請求時限</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Check accounts every</source>
        <translation>帳號檢查間隔</translation>
    </message>
    <message>
        <source>Errors before a rest</source>
        <translation>冷卻前的錯誤次數</translation>
    </message>
    <message>
        <source>After a rate limit</source>
        <translation>觸發速率限制後</translation>
    </message>
    <message>
        <source>After &quot;overloaded&quot;</source>
        <translation>收到「過載」後</translation>
    </message>
    <message>
        <source>After repeated errors</source>
        <translation>連續發生錯誤後</translation>
    </message>
    <message>
        <source>After a refused model</source>
        <translation>模型遭拒絕存取後</translation>
    </message>
    <message>
        <source>Keep a conversation on its account for</source>
        <translation>對話維持使用同一帳號的時間</translation>
    </message>
    <message>
        <source>Debug logging</source>
        <translation>偵錯記錄</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>語言</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>啟動時最小化至系統匣</translation>
    </message>
    <message>
        <source>Closing the window keeps Switchboard serving in the tray</source>
        <translation>關閉視窗後，Switchboard 仍在系統匣中繼續提供服務</translation>
    </message>
    <message>
        <source>Start Switchboard when you log in</source>
        <translation>登入時啟動 Switchboard</translation>
    </message>
    <message>
        <source>Switchboard starts in the background when you log in to this computer.</source>
        <translation>登入此電腦時，Switchboard 會在背景啟動。</translation>
    </message>
    <message>
        <source>Only the tray icon appears at start; click it to open the window. Without a system tray the window always opens.</source>
        <translation>啟動時只顯示系統匣圖示，按一下圖示即可開啟視窗。若沒有系統匣，則一律開啟視窗。</translation>
    </message>
    <message>
        <source>The local endpoint keeps serving after you close the window. Quit from the tray menu.</source>
        <translation>關閉視窗後，本機端點仍會繼續提供服務。請從系統匣選單結束程式。</translation>
    </message>
    <message numerus="yes">
        <source>minute(s)</source>
        <translation>
            <numerusform>分鐘</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>second(s)</source>
        <translation>
            <numerusform>秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>error(s)</source>
        <translation>
            <numerusform>次</numerusform>
        </translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先順序</translation>
    </message>
    <message>
        <source>Round robin</source>
        <translation>輪流</translation>
    </message>
    <message>
        <source>Least used</source>
        <translation>最少使用</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>加權</translation>
    </message>
    <message>
        <source>The healthy account with the highest priority serves every request; the others stand by.</source>
        <translation>由優先順序最高的健康帳號處理所有請求，其他帳號待命。</translation>
    </message>
    <message>
        <source>Accounts take turns, one request each.</source>
        <translation>各帳號輪流處理請求，每次一個。</translation>
    </message>
    <message>
        <source>The account that served the fewest requests goes next.</source>
        <translation>由處理請求最少的帳號接手下一個請求。</translation>
    </message>
    <message>
        <source>Requests are shared in proportion to each account&apos;s weight.</source>
        <translation>依各帳號的權重比例分配請求。</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系統語言</translation>
    </message>
</context>
<context>
    <name>SettingsCommand</name>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式輸出。</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source>%1 is back to its default.</source>
        <translation>%1 已恢復為預設值。</translation>
    </message>
    <message>
        <source>KEY</source>
        <translation>鍵</translation>
    </message>
    <message>
        <source>VALUE</source>
        <translation>值</translation>
    </message>
    <message>
        <source>DEFAULT</source>
        <translation>預設值</translation>
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation>說明</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>Enter a whole number from %1 to %2. This value was not saved.</source>
        <translation>請輸入 %1 到 %2 之間的整數。此值未儲存。</translation>
    </message>
    <message>
        <source>Enter an IP address such as 127.0.0.1 (this computer only). This value was not saved.</source>
        <translation>請輸入 IP 位址，例如 127.0.0.1（僅限本機）。此值未儲存。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未儲存：%1</translation>
    </message>
    <message>
        <source>Press Enter to save</source>
        <translation>按 Enter 鍵儲存</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在儲存…</translation>
    </message>
    <message>
        <source>✔ Saved</source>
        <translation>✔ 已儲存</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未儲存</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1：</translation>
    </message>
    <message>
        <source>Local endpoint</source>
        <translation>本機端點</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Health checks</source>
        <translation>健康檢查</translation>
    </message>
    <message>
        <source>Cooldowns</source>
        <translation>冷卻</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>診斷</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>進階</translation>
    </message>
    <message>
        <source>Startup and tray</source>
        <translation>啟動與系統匣</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>語言</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Claude Code</source>
        <translation>Claude Code</translation>
    </message>
    <message>
        <source>Starting the local endpoint…</source>
        <translation>正在啟動本機端點…</translation>
    </message>
    <message>
        <source>✔ Running at %1</source>
        <translation>✔ 正在 %1 執行</translation>
    </message>
    <message>
        <source>The local endpoint is stopped. Start it from the tray menu.</source>
        <translation>本機端點已停止。請從系統匣選單啟動。</translation>
    </message>
    <message>
        <source>The local endpoint could not start: %1</source>
        <translation>本機端點無法啟動：%1</translation>
    </message>
    <message>
        <source>⚠ Debug logging is on: request and response bodies (your prompts and the answers) are written to %1, with keys masked to their last 4 characters. Turn it off when you are done.</source>
        <translation>⚠ 偵錯記錄已開啟：請求與回應本文（您的提示詞與模型的回答）會寫入 %1，金鑰只保留最後 4 個字元。使用完畢後請關閉。</translation>
    </message>
    <message>
        <source>When on, request and response bodies (your prompts and the answers) are written to %1 on this computer, with keys masked to their last 4 characters.</source>
        <translation>開啟後，請求與回應本文（您的提示詞與模型的回答）會寫入本機的 %1，金鑰只保留最後 4 個字元。</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>閘道</translation>
    </message>
    <message>
        <source>App</source>
        <translation>應用程式</translation>
    </message>
    <message>
        <source>Access keys</source>
        <translation>存取金鑰</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>連接 Claude Code</translation>
    </message>
    <message>
        <source>Start at login was saved, but the desktop entry was not changed: %1</source>
        <translation>「登入時啟動」已儲存，但桌面啟動項目未變更：%1</translation>
    </message>
</context>
<context>
    <name>Sql</name>
    <message>
        <source>Database error: %1</source>
        <translation>資料庫錯誤：%1</translation>
    </message>
</context>
<context>
    <name>StartOptions</name>
    <message>
        <source>--listen must be HOST:PORT with an IP address, for example 127.0.0.1:%1 (got &quot;%2&quot;).</source>
        <translation>--listen 必須是使用 IP 位址的 HOST:PORT，例如 127.0.0.1:%1（實際為「%2」）。</translation>
    </message>
    <message>
        <source>--data-dir needs a folder.</source>
        <translation>--data-dir 需要指定資料夾。</translation>
    </message>
    <message>
        <source>--secrets-file needs a file path.</source>
        <translation>--secrets-file 需要指定檔案路徑。</translation>
    </message>
    <message>
        <source>Unknown option %1 (see switchboard --help).</source>
        <translation>不明的選項 %1（請參閱 switchboard --help）。</translation>
    </message>
    <message>
        <source>--headless takes no command (got &quot;%1&quot;).</source>
        <translation>--headless 不接受指令（實際為「%1」）。</translation>
    </message>
    <message>
        <source>Usage: switchboard [--data-dir DIR] [--secrets-file PATH] [COMMAND]

Without a command, starts the desktop app; with --headless, the gateway alone.

  --headless [--listen HOST:PORT]  serve without a window until SIGINT/SIGTERM
  --data-dir DIR                   where the database lives (or $SWITCHBOARD_DATA_DIR)
  --secrets-file PATH              keep API keys in a private file instead of the
                                   system keychain (for servers without one)

Commands (each has --help):
  accounts add|list|show|edit|remove|enable|disable
  accounts validate NAME|ID | --all   check keys without spending tokens
  accounts import FILE | export FILE [--with-secrets]
  keys create|list|revoke
  settings list|get|set|reset
  stats [--since 24h] [--json]      requests, tokens and latency per account

API keys are read from standard input, never from the command line.
Exit codes: 0 ok, 1 storage or keychain failure, 2 bad input.
$SWITCHBOARD_DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DB uses PostgreSQL.</source>
        <translation>用法：switchboard [--data-dir DIR] [--secrets-file PATH] [COMMAND]

不帶指令時啟動桌面應用程式；使用 --headless 時只啟動閘道。

  --headless [--listen HOST:PORT]  無視窗提供服務，直到收到 SIGINT/SIGTERM
  --data-dir DIR                   資料庫存放位置（或 $SWITCHBOARD_DATA_DIR）
  --secrets-file PATH              將 API 金鑰保存在私人檔案中，而非系統鑰匙圈
                                   （適用於沒有鑰匙圈的伺服器）

指令（皆支援 --help）：
  accounts add|list|show|edit|remove|enable|disable
  accounts validate NAME|ID | --all   檢查金鑰，不消耗權杖
  accounts import FILE | export FILE [--with-secrets]
  keys create|list|revoke
  settings list|get|set|reset
  stats [--since 24h] [--json]      各帳號的請求數、權杖數與延遲

API 金鑰從標準輸入讀取，絕不從命令列讀取。
結束代碼：0 成功，1 資料儲存或鑰匙圈失敗，2 輸入錯誤。
設定 $SWITCHBOARD_DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DB 時改用 PostgreSQL。</translation>
    </message>
</context>
<context>
    <name>StatsCommand</name>
    <message>
        <source>Time span: 90m, 24h, 7d or all (default 24h).</source>
        <translation>時間範圍：90m、24h、7d 或 all（預設 24h）。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式輸出。</translation>
    </message>
    <message>
        <source>--since must look like 90m, 24h, 7d or all (got &quot;%1&quot;).</source>
        <translation>--since 的格式必須類似 90m、24h、7d 或 all（實際為「%1」）。</translation>
    </message>
    <message>
        <source>No requests in this period.</source>
        <translation>此期間內沒有請求。</translation>
    </message>
    <message>
        <source>(no account)</source>
        <translation>（無帳號）</translation>
    </message>
    <message>
        <source>ACCOUNT</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>REQUESTS</source>
        <translation>請求數</translation>
    </message>
    <message>
        <source>ERRORS</source>
        <translation>錯誤數</translation>
    </message>
    <message>
        <source>IN</source>
        <translation>輸入</translation>
    </message>
    <message>
        <source>OUT</source>
        <translation>輸出</translation>
    </message>
    <message>
        <source>CACHE READ</source>
        <translation>快取讀取</translation>
    </message>
    <message>
        <source>CACHE WRITE</source>
        <translation>快取寫入</translation>
    </message>
    <message>
        <source>P50 MS</source>
        <translation>P50 毫秒</translation>
    </message>
    <message>
        <source>P95 MS</source>
        <translation>P95 毫秒</translation>
    </message>
</context>
<context>
    <name>StorageSecretStore</name>
    <message>
        <source>the storage thread&apos;s secret store</source>
        <translation>儲存執行緒的機密儲存區</translation>
    </message>
    <message>
        <source>The secret store is not open yet.</source>
        <translation>機密儲存區尚未開啟。</translation>
    </message>
    <message>
        <source>The storage thread has stopped.</source>
        <translation>儲存執行緒已停止。</translation>
    </message>
</context>
<context>
    <name>ThinkingHandoff</name>
    <message>
        <source>an unknown account</source>
        <translation>不明的帳號</translation>
    </message>
    <message>
        <source>thinking dropped: from another provider</source>
        <translation>已移除思考區塊：來自其他供應商</translation>
    </message>
    <message>
        <source>thinking dropped: signed by %1</source>
        <translation>已移除思考區塊：由 %1 簽署</translation>
    </message>
    <message>
        <source>; thinking turned off for this turn</source>
        <translation>；本輪已關閉思考</translation>
    </message>
</context>
<context>
    <name>TransferCommand</name>
    <message>
        <source>Include the API keys (plaintext!).</source>
        <translation>包含 API 金鑰（明文！）。</translation>
    </message>
    <message>
        <source>warning: the export contains API keys in plaintext. Keep it private and delete it when done.</source>
        <translation>警告：匯出檔案包含明文 API 金鑰。請妥善保管，使用完畢後刪除。</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n account(s) to %1.</source>
        <translation>
            <numerusform>已將 %n 個帳號匯出至 %1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n account(s).</source>
        <translation>
            <numerusform>已匯入 %n 個帳號。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) had no API key and were left disabled; set one with: switchboard accounts edit NAME --secret &lt; key.txt</source>
        <translation>
            <numerusform>%n 個帳號沒有 API 金鑰，已維持停用；請使用以下指令設定金鑰：switchboard accounts edit NAME --secret &lt; key.txt</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>無法讀取 %1：%2</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Open Switchboard</source>
        <translation>開啟 Switchboard</translation>
    </message>
    <message>
        <source>Copy base URL</source>
        <translation>複製基礎 URL</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Pin account</source>
        <translation>釘選帳號</translation>
    </message>
    <message>
        <source>Quit Switchboard</source>
        <translation>結束 Switchboard</translation>
    </message>
    <message>
        <source>Stop the local endpoint</source>
        <translation>停止本機端點</translation>
    </message>
    <message>
        <source>Start the local endpoint</source>
        <translation>啟動本機端點</translation>
    </message>
    <message>
        <source>None (automatic routing)</source>
        <translation>無（自動路由）</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n request(s) today</source>
        <translation>
            <numerusform>%1 — 今天 %n 個請求</numerusform>
        </translation>
    </message>
    <message>
        <source>Switchboard: %1</source>
        <translation>Switchboard：%1</translation>
    </message>
    <message>
        <source>Switchboard keeps serving</source>
        <translation>Switchboard 仍在服務</translation>
    </message>
    <message>
        <source>The window is closed, the local endpoint still serves your clients. Open Switchboard or quit it from this icon&apos;s menu.</source>
        <translation>視窗已關閉，本機端點仍在為您的用戶端提供服務。可從此圖示的選單開啟或結束 Switchboard。</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>TrayState</name>
    <message>
        <source>The local endpoint is starting.</source>
        <translation>本機端點正在啟動。</translation>
    </message>
    <message>
        <source>The local endpoint is stopped.</source>
        <translation>本機端點已停止。</translation>
    </message>
    <message>
        <source>The local endpoint is not running: %1</source>
        <translation>本機端點未執行：%1</translation>
    </message>
    <message>
        <source>No enabled account: add one in the window.</source>
        <translation>沒有已啟用的帳號：請在視窗中新增。</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n account(s) can serve requests.</source>
        <translation>
            <numerusform>%n 個帳號中有 %1 個可處理請求。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnservedAnswer</name>
    <message>
        <source>Switchboard has no upstream accounts yet: add one in the window or with: switchboard accounts add --name NAME &lt; key.txt</source>
        <translation>Switchboard 尚無上游帳號：請在視窗中新增，或使用以下指令：switchboard accounts add --name NAME &lt; key.txt</translation>
    </message>
    <message>
        <source>No enabled account may serve the model &quot;%1&quot;. Check the accounts&apos; allowed models.</source>
        <translation>沒有已啟用的帳號可服務模型「%1」。請檢查各帳號允許的模型。</translation>
    </message>
    <message>
        <source>Every account that serves this model is resting after repeated upstream errors; the first is tried again at %1.</source>
        <translation>所有可服務此模型的帳號都因上游連續錯誤而在冷卻中；最早將於 %1 重新嘗試。</translation>
    </message>
    <message>
        <source>Every account that serves this model is resting; the first is available again at %1.</source>
        <translation>所有可服務此模型的帳號都在冷卻中；最早將於 %1 恢復可用。</translation>
    </message>
    <message>
        <source>Every account that serves the model &quot;%1&quot; was refused access to it by its provider; they are tried again at %2.</source>
        <translation>所有可服務模型「%1」的帳號都遭其供應商拒絕存取該模型；將於 %2 重新嘗試。</translation>
    </message>
    <message>
        <source>No account is available: every account is disabled, parked or has an invalid key. Open Switchboard to fix them.</source>
        <translation>沒有可用的帳號：所有帳號都已停用、已暫停或金鑰無效。請開啟 Switchboard 進行修正。</translation>
    </message>
    <message>
        <source>The upstream account failed. %1</source>
        <translation>上游帳號請求失敗。%1</translation>
    </message>
    <message>
        <source>All %1 upstream attempts failed. %2</source>
        <translation>全部 %1 次上游嘗試均失敗。%2</translation>
    </message>
</context>
<context>
    <name>UpstreamMessage</name>
    <message>
        <source>an HTML page</source>
        <translation>HTML 頁面</translation>
    </message>
    <message>
        <source>HTTP %1 with no details</source>
        <translation>HTTP %1，沒有詳細資訊</translation>
    </message>
</context>
<context>
    <name>UpstreamReply</name>
    <message>
        <source>the gateway is shutting down</source>
        <translation>閘道正在關閉</translation>
    </message>
    <message>
        <source>the upstream did not answer in HTTP/1.1</source>
        <translation>上游未以 HTTP/1.1 回應</translation>
    </message>
    <message>
        <source>the upstream sent a malformed chunk</source>
        <translation>上游傳送了格式錯誤的區塊</translation>
    </message>
    <message>
        <source>the upstream sent a malformed Content-Length</source>
        <translation>上游傳送了格式錯誤的 Content-Length</translation>
    </message>
    <message>
        <source>the upstream closed the connection before the answer was complete</source>
        <translation>上游在回應完成前就關閉了連線</translation>
    </message>
    <message>
        <source>the request was aborted</source>
        <translation>請求已中止</translation>
    </message>
</context>
<context>
    <name>UpstreamValidator</name>
    <message>
        <source>The key works (%1 ms).</source>
        <translation>金鑰可用（%1 毫秒）。</translation>
    </message>
</context>
<context>
    <name>UsageCharts</name>
    <message>
        <source>Requests %1</source>
        <translation>請求數（%1）</translation>
    </message>
    <message>
        <source>Tokens %1</source>
        <translation>權杖數（%1）</translation>
    </message>
    <message>
        <source>Errors and latency</source>
        <translation>錯誤與延遲</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>所有帳號</translation>
    </message>
    <message>
        <source>All tokens</source>
        <translation>所有權杖</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>錯誤率</translation>
    </message>
    <message>
        <source>Average latency (ms)</source>
        <translation>平均延遲（毫秒）</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>延遲（毫秒）</translation>
    </message>
    <message>
        <source>per minute</source>
        <translation>每分鐘</translation>
    </message>
    <message>
        <source>per 15 minutes</source>
        <translation>每 15 分鐘</translation>
    </message>
    <message>
        <source>per hour</source>
        <translation>每小時</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>Removed account</source>
        <translation>已刪除的帳號</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>無帳號</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>輸入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <source>Cache read</source>
        <translation>快取讀取</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>快取寫入</translation>
    </message>
</context>
<context>
    <name>UsagePage</name>
    <message>
        <source>&amp;Range:</source>
        <translation>時間範圍(&amp;R)：</translation>
    </message>
    <message>
        <source>Edit &amp;prices…</source>
        <translation>編輯價格(&amp;P)…</translation>
    </message>
    <message>
        <source>The cost shown is an estimate from a price table you can edit.</source>
        <translation>顯示的費用是根據可編輯的價格表所預估。</translation>
    </message>
    <message>
        <source>No requests yet — connect your assistant (Settings → Connect Claude Code) and requests will appear here live.</source>
        <translation>尚無請求——連接您的助理（設定 → 連接 Claude Code）後，請求會即時顯示在這裡。</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小時</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小時</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>帳號</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>請求數</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>錯誤數</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>輸入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>快取</translation>
    </message>
    <message>
        <source>p50 / p95</source>
        <translation>p50 / p95</translation>
    </message>
    <message>
        <source>Est. cost</source>
        <translation>預估費用</translation>
    </message>
    <message>
        <source>Cannot load usage: %1. Switch pages or ranges to try again.</source>
        <translation>無法載入用量：%1。切換頁面或時間範圍即可重試。</translation>
    </message>
    <message>
        <source>%1 (%2 %)</source>
        <translation>%1（%2%）</translation>
    </message>
    <message>
        <source>%1 / %2 s</source>
        <translation>%1 / %2 秒</translation>
    </message>
    <message>
        <source>Using default prices: %1. Edit prices to write a new file.</source>
        <translation>目前使用預設價格：%1。編輯價格即可寫入新檔案。</translation>
    </message>
    <message>
        <source>Prices not saved: %1. Check that the data folder is writable, then edit a price to try again.</source>
        <translation>價格未儲存：%1。請確認資料目錄可寫入，然後編輯任一價格以再試一次。</translation>
    </message>
</context>
<context>
    <name>UsageSummary</name>
    <message>
        <source>No account</source>
        <translation>無帳號</translation>
    </message>
    <message>
        <source>%1 k</source>
        <translation>%1K</translation>
    </message>
    <message>
        <source>%1 M</source>
        <translation>%1M</translation>
    </message>
    <message>
        <source>&lt;$0.01</source>
        <translation>&lt;$0.01</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
</context>
<context>
    <name>UsageTiles</name>
    <message>
        <source>Requests</source>
        <translation>請求數</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>權杖數</translation>
    </message>
    <message>
        <source>Latency p50 / p95</source>
        <translation>延遲 p50 / p95</translation>
    </message>
    <message>
        <source>Estimated cost</source>
        <translation>預估費用</translation>
    </message>
    <message numerus="yes">
        <source>%n with thinking dropped after failover</source>
        <translation>
            <numerusform>其中 %n 個在容錯移轉後移除了思考區塊</numerusform>
        </translation>
    </message>
    <message>
        <source>in the range</source>
        <translation>所選時間範圍內</translation>
    </message>
    <message>
        <source>%1 in · %2 out · %3 cache</source>
        <translation>輸入 %1 · 輸出 %2 · 快取 %3</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message numerus="yes">
        <source>of the latest %n request(s)</source>
        <translation>
            <numerusform>根據最近 %n 個請求</numerusform>
        </translation>
    </message>
    <message>
        <source>until the last byte</source>
        <translation>直到最後一個位元組</translation>
    </message>
    <message>
        <source>estimate from your price table</source>
        <translation>根據您的價格表預估</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>有 %n 個請求的模型不在價格表中，未計入</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>根據最近 %n 個請求預估</numerusform>
        </translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>失敗的請求</translation>
    </message>
    <message numerus="yes">
        <source>%n failed, client errors included</source>
        <translation>
            <numerusform>失敗 %n 個，含用戶端錯誤</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>ValidateCommand</name>
    <message>
        <source>Validate every enabled account.</source>
        <translation>驗證所有已啟用的帳號。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式輸出。</translation>
    </message>
    <message>
        <source>Name one account, or give --all.</source>
        <translation>請指定一個帳號，或使用 --all。</translation>
    </message>
    <message>
        <source>No enabled accounts to validate.</source>
        <translation>沒有可驗證的已啟用帳號。</translation>
    </message>
</context>
<context>
    <name>ValidationRun</name>
    <message>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <source>Validating %1 of %2…</source>
        <translation>正在驗證 %1/%2…</translation>
    </message>
    <message>
        <source>The check stopped because the local endpoint stopped: %1 of %2 accounts answered.</source>
        <translation>本機端點已停止，因此檢查中止：%2 個帳號中有 %1 個已回應。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
</context>
<context>
    <name>ValidationScheduler</name>
    <message>
        <source>The API key could not be read: %1</source>
        <translation>無法讀取 API 金鑰：%1</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Switchboard</source>
        <translation>歡迎使用 Switchboard</translation>
    </message>
    <message>
        <source>One local endpoint for Claude Code, served by all your API accounts. Three steps and you are set:</source>
        <translation>為 Claude Code 提供單一本機端點，由您所有的 API 帳號共同服務。只要三個步驟即可完成設定：</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>新增帳號</translation>
    </message>
    <message>
        <source>An Anthropic or OpenAI-compatible API key. Add more later: Switchboard moves on when one is rate-limited.</source>
        <translation>Anthropic 或 OpenAI 相容的 API 金鑰。之後可以再新增更多：當某個帳號觸發速率限制時，Switchboard 會自動改用下一個。</translation>
    </message>
    <message>
        <source>Create an access key</source>
        <translation>建立存取金鑰</translation>
    </message>
    <message>
        <source>Claude Code presents it to Switchboard, so no other program can use your accounts.</source>
        <translation>Claude Code 會向 Switchboard 出示此金鑰，這樣其他程式就無法使用您的帳號。</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>連接 Claude Code</translation>
    </message>
    <message>
        <source>Point Claude Code at Switchboard with two environment variables, or let Switchboard write its settings file.</source>
        <translation>透過兩個環境變數讓 Claude Code 指向 Switchboard，或讓 Switchboard 寫入 Claude Code 的設定檔。</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>新增帳號…</translation>
    </message>
    <message>
        <source>Create key…</source>
        <translation>建立金鑰…</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>連接…</translation>
    </message>
    <message>
        <source>Add another…</source>
        <translation>再新增一個…</translation>
    </message>
    <message>
        <source>Create another…</source>
        <translation>再建立一個…</translation>
    </message>
    <message>
        <source>Show settings</source>
        <translation>顯示設定</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>待完成</translation>
    </message>
</context>
</TS>
