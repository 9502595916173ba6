<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessKeyDialog</name>
    <message>
        <source>New access key</source>
        <translation>新建访问密钥</translation>
    </message>
    <message>
        <source>Clients such as Claude Code present an access key to use Switchboard. Name the key after the client that will use it, so you know what to revoke later.</source>
        <translation>Claude Code 等客户端需要出示访问密钥才能使用 Switchboard。请以将要使用该密钥的客户端命名，便于日后确定要撤销哪个密钥。</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>e.g. Claude Code on my laptop</source>
        <translation>例如：笔记本上的 Claude Code</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>This is the only time you will see this key: Switchboard keeps only a hash of it. Copy it now into your client. If you lose it, create a new key and revoke this one.</source>
        <translation>此密钥仅显示这一次：Switchboard 只保存它的哈希值。请立即将其复制到客户端中。如果丢失，请新建一个密钥并撤销此密钥。</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Enter a name, for example the client that will use the key.</source>
        <translation>请输入名称，例如将要使用该密钥的客户端。</translation>
    </message>
    <message>
        <source>Creating the key…</source>
        <translation>正在创建密钥…</translation>
    </message>
    <message>
        <source>The key was not created: %1</source>
        <translation>未能创建密钥：%1</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>创建密钥</translation>
    </message>
    <message>
        <source>I copied the key</source>
        <translation>我已复制密钥</translation>
    </message>
    <message>
        <source>Your new access key &quot;%1&quot;:</source>
        <translation>新访问密钥“%1”：</translation>
    </message>
</context>
<context>
    <name>AccessKeyModel</name>
    <message>
        <source>Never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Revoked %1</source>
        <translation>已于 %1 撤销</translation>
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
        <translation>密钥的前几个字符，用于识别密钥。完整密钥从不保存。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Key starts with</source>
        <translation>密钥前缀</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>AccessKeyStore</name>
    <message>
        <source>An access key needs a name of 1 to 100 characters.</source>
        <translation>访问密钥名称须为 1 到 100 个字符。</translation>
    </message>
    <message>
        <source>No access key named or with id &quot;%1&quot;. List them with: switchboard keys list</source>
        <translation>没有名称或 ID 为“%1”的访问密钥。查看列表：switchboard keys list</translation>
    </message>
    <message>
        <source>&quot;%1&quot; matches %2 access keys; use the key&apos;s id.</source>
        <translation>“%1”匹配到 %2 个访问密钥，请改用密钥 ID。</translation>
    </message>
    <message>
        <source>Access key &quot;%1&quot; is already revoked.</source>
        <translation>访问密钥“%1”已撤销。</translation>
    </message>
    <message>
        <source>Unknown or revoked access key.</source>
        <translation>访问密钥未知或已撤销。</translation>
    </message>
</context>
<context>
    <name>AccessKeysPanel</name>
    <message>
        <source>Revoke access key</source>
        <translation>撤销访问密钥</translation>
    </message>
    <message>
        <source>Revoke &quot;%1&quot;? Clients using this key are refused from now on. This cannot be undone: they will need a new key.</source>
        <translation>要撤销“%1”吗？此后使用该密钥的客户端都将被拒绝。此操作无法恢复：这些客户端将需要新的密钥。</translation>
    </message>
    <message>
        <source>Revoked &quot;%1&quot;.</source>
        <translation>已撤销“%1”。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was not revoked: %2</source>
        <translation>未能撤销“%1”：%2</translation>
    </message>
    <message>
        <source>Local clients present an access key to use Switchboard. Give each client its own key, so you can revoke one without disturbing the others.</source>
        <translation>本地客户端需要出示访问密钥才能使用 Switchboard。请为每个客户端分配单独的密钥，这样撤销其中一个时不会影响其他客户端。</translation>
    </message>
    <message>
        <source>Create key…</source>
        <translation>创建密钥…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>撤销…</translation>
    </message>
    <message>
        <source>No access keys yet. Create one for each client, such as Claude Code.</source>
        <translation>还没有访问密钥。请为每个客户端（如 Claude Code）各创建一个。</translation>
    </message>
</context>
<context>
    <name>AccountActions</name>
    <message>
        <source>No API key: set one with switchboard accounts edit &quot;%1&quot; --secret</source>
        <translation>没有 API 密钥：请使用 switchboard accounts edit &quot;%1&quot; --secret 设置</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read the API key of &quot;%1&quot;: %2</source>
        <translation>无法读取“%1”的 API 密钥：%2</translation>
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
        <translation>添加账户</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>提供商(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>基础 URL(&amp;B)：</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>认证方式(&amp;A)：</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>层级(&amp;T)：</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>优先级(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Weight:</source>
        <translation>权重(&amp;W)：</translation>
    </message>
    <message>
        <source>Tier 1 is tried first, tier 2 only when tier 1 has no healthy account. Within a tier, higher priority goes first; the weight is the share under the weighted strategy.</source>
        <translation>优先尝试层级 1，只有层级 1 中没有可用账户时才使用层级 2。同一层级内，优先级高者优先；权重是加权策略下的分配比例。</translation>
    </message>
    <message>
        <source>Checks the key and the address now, without saving and without spending tokens.</source>
        <translation>立即检查密钥和地址，不保存，也不消耗令牌。</translation>
    </message>
    <message>
        <source>Models &amp;&amp; headers</source>
        <translation>模型和请求头</translation>
    </message>
    <message>
        <source>&amp;Allowed models:</source>
        <translation>允许的模型(&amp;A)：</translation>
    </message>
    <message>
        <source>every model</source>
        <translation>所有模型</translation>
    </message>
    <message>
        <source>Claude model names this account serves, separated by commas or spaces; * and ? are wildcards (claude-haiku-*). Empty: every model.</source>
        <translation>该账户可服务的 Claude 模型名称，以逗号或空格分隔；* 和 ? 为通配符（如 claude-haiku-*）。留空：所有模型。</translation>
    </message>
    <message>
        <source>Model &amp;mapping:</source>
        <translation>模型映射(&amp;M)：</translation>
    </message>
    <message>
        <source>Claude model (pattern)</source>
        <translation>Claude 模型（模式）</translation>
    </message>
    <message>
        <source>Provider model</source>
        <translation>提供商模型</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>移除规则</translation>
    </message>
    <message>
        <source>Extra &amp;headers:</source>
        <translation>额外请求头(&amp;H)：</translation>
    </message>
    <message>
        <source>Name: value (one per line)</source>
        <translation>Name: value（每行一个）</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>(new account)</source>
        <translation>（新账户）</translation>
    </message>
    <message>
        <source>Type the API key first.</source>
        <translation>请先输入 API 密钥。</translation>
    </message>
    <message>
        <source>The stored API key could not be read: %1</source>
        <translation>无法读取已保存的 API 密钥：%1</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Not saved: %1 Fix it and try again, or cancel.</source>
        <translation>未保存：%1请修正后重试，或取消。</translation>
    </message>
    <message>
        <source>Edit account “%1”</source>
        <translation>编辑账户“%1”</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>x-api-key header</source>
        <translation>x-api-key 请求头</translation>
    </message>
    <message>
        <source>Authorization: Bearer header</source>
        <translation>Authorization: Bearer 请求头</translation>
    </message>
    <message>
        <source>unchanged — type to replace</source>
        <translation>未更改——输入新密钥即可替换</translation>
    </message>
    <message>
        <source>paste the API key</source>
        <translation>粘贴 API 密钥</translation>
    </message>
    <message>
        <source>T&amp;est</source>
        <translation>测试(&amp;E)</translation>
    </message>
    <message>
        <source>Save anyway?</source>
        <translation>仍要保存吗？</translation>
    </message>
    <message>
        <source>The test failed: %1

Save the account anyway? It will not serve requests until the provider accepts it.</source>
        <translation>测试未通过：%1

仍要保存该账户吗？在提供商接受它之前，它不会处理任何请求。</translation>
    </message>
</context>
<context>
    <name>AccountFields</name>
    <message>
        <source>Account name (unique).</source>
        <translation>账户名称（唯一）。</translation>
    </message>
    <message>
        <source>anthropic or openai (default: anthropic).</source>
        <translation>anthropic 或 openai（默认：anthropic）。</translation>
    </message>
    <message>
        <source>API base URL (default: the provider&apos;s official one).</source>
        <translation>API 基础 URL（默认：提供商的官方地址）。</translation>
    </message>
    <message>
        <source>x-api-key or bearer (default: the provider&apos;s usual one).</source>
        <translation>x-api-key 或 bearer（默认：提供商的惯用方式）。</translation>
    </message>
    <message>
        <source>Tier 1-9: tier 2 is used only when tier 1 has no healthy account.</source>
        <translation>层级 1-9：只有层级 1 中没有可用账户时，才会使用层级 2。</translation>
    </message>
    <message>
        <source>Priority within the tier, higher first (-1000..1000).</source>
        <translation>层级内的优先级，数值大者优先（-1000..1000）。</translation>
    </message>
    <message>
        <source>Share for the weighted strategy (1..1000).</source>
        <translation>加权策略下的分配权重（1..1000）。</translation>
    </message>
    <message>
        <source>Comma-separated models this account may serve (empty: all).</source>
        <translation>该账户可服务的模型，以逗号分隔（留空：全部）。</translation>
    </message>
    <message>
        <source>Model mapping rule PATTERN=MODEL, repeatable (e.g. claude-opus-*=gpt-4o).</source>
        <translation>模型映射规则 PATTERN=MODEL，可重复指定（例如 claude-opus-*=gpt-4o）。</translation>
    </message>
    <message>
        <source>Extra upstream header &quot;Name: value&quot;, repeatable.</source>
        <translation>发往上游的额外请求头“Name: value”，可重复指定。</translation>
    </message>
    <message>
        <source>Free-form notes.</source>
        <translation>备注（自由文本）。</translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation>以 JSON 格式输出结果。</translation>
    </message>
    <message>
        <source>Add the account disabled.</source>
        <translation>以禁用状态添加账户。</translation>
    </message>
    <message>
        <source>Remove every model mapping rule.</source>
        <translation>移除所有模型映射规则。</translation>
    </message>
    <message>
        <source>Remove every extra header.</source>
        <translation>移除所有额外请求头。</translation>
    </message>
    <message>
        <source>Replace the API key, read from standard input.</source>
        <translation>替换 API 密钥（从标准输入读取）。</translation>
    </message>
    <message>
        <source>--%1 must be a whole number (got &quot;%2&quot;).</source>
        <translation>--%1 必须是整数（实际为“%2”）。</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <source>cooling down until %1</source>
        <translation>冷却中，直至 %1</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>invalid key</source>
        <translation>密钥无效</translation>
    </message>
    <message>
        <source>parked</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Auth</source>
        <translation>认证方式</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
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
        <translation>模型映射</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>额外请求头</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Last validated</source>
        <translation>上次验证</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Errors in a row</source>
        <translation>连续错误数</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>AccountForm</name>
    <message>
        <source>Type the provider&apos;s base URL, for example https://api.example.com/v1.</source>
        <translation>请输入提供商的基础 URL，例如 https://api.example.com/v1。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists: choose another name.</source>
        <translation>名为“%1”的账户已存在，请换一个名称。</translation>
    </message>
    <message>
        <source>Type the base URL your provider documents.</source>
        <translation>请输入提供商文档中给出的基础 URL。</translation>
    </message>
    <message>
        <source>Paste the API key from the provider&apos;s console.</source>
        <translation>请粘贴提供商控制台中的 API 密钥。</translation>
    </message>
    <message>
        <source>Optional: this server runs on your computer. Leave it empty if it doesn&apos;t need a key.</source>
        <translation>可选：该服务器运行在本机上。如果它不需要密钥，请留空。</translation>
    </message>
    <message>
        <source>Rule %1: %2</source>
        <translation>规则 %1：%2</translation>
    </message>
    <message>
        <source>Add a rule for * (the default): without one, Claude model names are sent unchanged and most OpenAI-compatible providers reject them.</source>
        <translation>请为 *（默认规则）添加一条映射：否则 Claude 模型名称会原样发送，而大多数 OpenAI 兼容提供商会拒绝这些名称。</translation>
    </message>
    <message>
        <source>No rules: model names are sent unchanged.</source>
        <translation>无规则：模型名称将原样发送。</translation>
    </message>
</context>
<context>
    <name>AccountJson</name>
    <message>
        <source>model_map must be a list of {&quot;pattern&quot;: …, &quot;target&quot;: …} objects.</source>
        <translation>model_map 必须是由 {&quot;pattern&quot;: …, &quot;target&quot;: …} 对象组成的列表。</translation>
    </message>
    <message>
        <source>model_map must be a list.</source>
        <translation>model_map 必须是列表。</translation>
    </message>
    <message>
        <source>extra_headers must be an object of header names to values.</source>
        <translation>extra_headers 必须是将请求头名称映射到值的对象。</translation>
    </message>
    <message>
        <source>Value of header &quot;%1&quot; must be a string.</source>
        <translation>请求头“%1”的值必须是字符串。</translation>
    </message>
    <message>
        <source>Unknown account field &quot;%1&quot;.</source>
        <translation>未知的账户字段“%1”。</translation>
    </message>
    <message>
        <source>Field &quot;%1&quot; must be %2.</source>
        <translation>字段“%1”必须是%2。</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <source>Unknown provider &quot;%1&quot;: use anthropic or openai.</source>
        <translation>未知的提供商“%1”：请使用 anthropic 或 openai。</translation>
    </message>
    <message>
        <source>Unknown auth style &quot;%1&quot;: use x-api-key or bearer.</source>
        <translation>未知的认证方式“%1”：请使用 x-api-key 或 bearer。</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>布尔值（true 或 false）</translation>
    </message>
    <message>
        <source>a list of model names</source>
        <translation>模型名称列表</translation>
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
        <translation>OpenAI 兼容（Chat Completions）</translation>
    </message>
    <message>
        <source>%1 (on this computer)</source>
        <translation>%1（本机）</translation>
    </message>
</context>
<context>
    <name>AccountRules</name>
    <message>
        <source>%1 must be between %2 and %3 (got %4).</source>
        <translation>%1必须介于 %2 和 %3 之间（实际为 %4）。</translation>
    </message>
    <message>
        <source>Base URL &quot;%1&quot; is not a valid http:// or https:// address, for example https://api.anthropic.com.</source>
        <translation>基础 URL“%1”不是有效的 http:// 或 https:// 地址，例如 https://api.anthropic.com。</translation>
    </message>
    <message>
        <source>Base URL must not contain a user name or password; the API key is stored separately in the keychain.</source>
        <translation>基础 URL 不能包含用户名或密码；API 密钥会单独保存在系统钥匙串中。</translation>
    </message>
    <message>
        <source>Base URL must not contain a query (?…) or fragment (#…).</source>
        <translation>基础 URL 不能包含查询参数（?…）或片段（#…）。</translation>
    </message>
    <message>
        <source>Account name must not be empty.</source>
        <translation>账户名称不能为空。</translation>
    </message>
    <message>
        <source>Account name must not start or end with spaces.</source>
        <translation>账户名称不能以空格开头或结尾。</translation>
    </message>
    <message>
        <source>Account name is longer than %1 characters.</source>
        <translation>账户名称超过 %1 个字符。</translation>
    </message>
    <message>
        <source>Account name must not contain control characters.</source>
        <translation>账户名称不能包含控制字符。</translation>
    </message>
    <message>
        <source>Header name &quot;%1&quot; is not a valid HTTP header name.</source>
        <translation>请求头名称“%1”不是有效的 HTTP 请求头名称。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot; is set by Switchboard itself and cannot be an extra header.</source>
        <translation>请求头“%1”由 Switchboard 自行设置，不能作为额外请求头。</translation>
    </message>
    <message>
        <source>Value of header &quot;%1&quot; must be a single line.</source>
        <translation>请求头“%1”的值必须为单行。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot; is not of the form &quot;Name: value&quot;.</source>
        <translation>请求头“%1”不符合“Name: value”格式。</translation>
    </message>
    <message>
        <source>Model name &quot;%1&quot; must be non-empty and without spaces.</source>
        <translation>模型名称“%1”不能为空，也不能包含空格。</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
</context>
<context>
    <name>AccountService</name>
    <message>
        <source>The API key is empty.</source>
        <translation>API 密钥为空。</translation>
    </message>
    <message>
        <source>The API key must not contain spaces or line breaks.</source>
        <translation>API 密钥不能包含空格或换行符。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>名为“%1”的账户已存在。</translation>
    </message>
</context>
<context>
    <name>AccountStatus</name>
    <message>
        <source>Disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <source>Switched off by you: enable it to use it again.</source>
        <translation>已手动禁用：重新启用后即可使用。</translation>
    </message>
    <message>
        <source>Cooling down · %1</source>
        <translation>冷却中 · %1</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Invalid key</source>
        <translation>密钥无效</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Parked · %1</source>
        <translation>已暂停 · %1</translation>
    </message>
    <message>
        <source>Check failed</source>
        <translation>检查失败</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>Cooling down</source>
        <translation>冷却中</translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>剩余 %n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>剩余 %n 分钟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d left</source>
        <translation>
            <numerusform>剩余 %n 天</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>剩余 %1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
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
        <translation>检查失败，但没有错误信息。</translation>
    </message>
    <message numerus="yes">
        <source>%n valid</source>
        <translation>
            <numerusform>%n 个有效</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>%n 个无效</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n parked</source>
        <translation>
            <numerusform>%n 个已暂停</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cooling down</source>
        <translation>
            <numerusform>%n 个冷却中</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be checked</source>
        <translation>
            <numerusform>%n 个无法检查</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was checked.</source>
        <translation>未检查任何账户。</translation>
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
        <translation>没有 ID 为 %1 的账户。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; matches %2 account ids; give more characters or the account name.</source>
        <translation>“%1”匹配到 %2 个账户 ID；请提供更多字符，或改用账户名称。</translation>
    </message>
    <message>
        <source>No account named or with id &quot;%1&quot;. List them with: switchboard accounts list</source>
        <translation>没有名称或 ID 为“%1”的账户。查看列表：switchboard accounts list</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>名为“%1”的账户已存在。</translation>
    </message>
</context>
<context>
    <name>AccountTransfer</name>
    <message>
        <source>not valid JSON (%1 at byte %2).</source>
        <translation>不是有效的 JSON（%1，位于第 %2 字节）。</translation>
    </message>
    <message>
        <source>written by a newer Switchboard (format version %1).</source>
        <translation>由更新版本的 Switchboard 写入（格式版本 %1）。</translation>
    </message>
    <message>
        <source>not a Switchboard accounts file (expected an object with &quot;format&quot;: &quot;switchboard-accounts&quot; and an &quot;accounts&quot; list).</source>
        <translation>不是 Switchboard 账户文件（应为包含 &quot;format&quot;: &quot;switchboard-accounts&quot; 和 &quot;accounts&quot; 列表的对象）。</translation>
    </message>
    <message>
        <source>account #%1 (%2)</source>
        <translation>账户 #%1（%2）</translation>
    </message>
    <message>
        <source>no name</source>
        <translation>无名称</translation>
    </message>
    <message>
        <source>account #%1 is not an object.</source>
        <translation>账户 #%1 不是对象。</translation>
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
        <translation>%1：已存在同名账户。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>AccountsActions</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>添加一个账户</translation>
    </message>
    <message>
        <source>Batch add</source>
        <translation>批量添加</translation>
    </message>
    <message>
        <source>Add one account per API key, from a pasted list</source>
        <translation>粘贴 API 密钥列表，为每个密钥添加一个账户</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit the selected account (double-click a row)</source>
        <translation>编辑所选账户（也可双击某一行）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected accounts and their keys</source>
        <translation>删除所选账户及其密钥</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Check the selected accounts&apos; keys now, without spending tokens</source>
        <translation>立即检查所选账户的密钥，不消耗令牌</translation>
    </message>
    <message>
        <source>Validate all</source>
        <translation>全部验证</translation>
    </message>
    <message>
        <source>Check every enabled account now</source>
        <translation>立即检查所有已启用的账户</translation>
    </message>
    <message>
        <source>Purge invalid</source>
        <translation>清除无效账户</translation>
    </message>
    <message>
        <source>Delete every account whose key the provider rejected</source>
        <translation>删除所有密钥被提供商拒绝的账户</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add accounts from a Switchboard export file</source>
        <translation>从 Switchboard 导出文件添加账户</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save every account to a file</source>
        <translation>将所有账户保存到文件</translation>
    </message>
    <message>
        <source>Send every request to one account, bypassing rotation (until unpinned or restarted)</source>
        <translation>将所有请求发送到同一个账户，不参与轮换（直到取消固定或重启）</translation>
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
        <translation>名为“%1”的账户已存在。</translation>
    </message>
    <message>
        <source>API key for %1: </source>
        <translation>%1 的 API 密钥：</translation>
    </message>
    <message>
        <source>Added account &quot;%1&quot; (%2). Its API key is in the %3.</source>
        <translation>已添加账户“%1”（%2）。API 密钥保存于：%3。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式输出。</translation>
    </message>
    <message>
        <source>No accounts yet. Add one with: switchboard accounts add --name NAME --provider anthropic &lt; key.txt</source>
        <translation>还没有账户。添加账户：switchboard accounts add --name NAME --provider anthropic &lt; key.txt</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>PROVIDER</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>TIER</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>PRIORITY</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>WEIGHT</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>BASE URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>New API key for %1: </source>
        <translation>%1 的新 API 密钥：</translation>
    </message>
    <message>
        <source>Updated account &quot;%1&quot;.</source>
        <translation>已更新账户“%1”。</translation>
    </message>
    <message>
        <source>Removed account &quot;%1&quot; and its API key.</source>
        <translation>已删除账户“%1”及其 API 密钥。</translation>
    </message>
    <message>
        <source>Enabled account &quot;%1&quot;.</source>
        <translation>已启用账户“%1”。</translation>
    </message>
    <message>
        <source>Disabled account &quot;%1&quot;.</source>
        <translation>已禁用账户“%1”。</translation>
    </message>
</context>
<context>
    <name>AccountsEmptyState</name>
    <message>
        <source>No accounts yet</source>
        <translation>还没有账户</translation>
    </message>
    <message>
        <source>Add the API key of Anthropic or of an OpenAI-compatible provider, and the local endpoint can serve requests.</source>
        <translation>添加 Anthropic 或 OpenAI 兼容提供商的 API 密钥后，本地端点即可处理请求。</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>No account matches the filter</source>
        <translation>没有符合筛选条件的账户</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) hidden by the filter.</source>
        <translation>
            <numerusform>筛选条件隐藏了 %n 个账户。</numerusform>
        </translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>清除筛选</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <source>Filter by name or provider</source>
        <translation>按名称或提供商筛选</translation>
    </message>
    <message>
        <source>Any health</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>Show only accounts in this state</source>
        <translation>仅显示处于此状态的账户</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>禁用</translation>
    </message>
    <message>
        <source>Use the selected accounts again</source>
        <translation>重新使用所选账户</translation>
    </message>
    <message>
        <source>Stop sending requests to the selected accounts</source>
        <translation>停止向所选账户发送请求</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消固定</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <source>Send every request to one account, bypassing rotation (until unpinned or restarted)</source>
        <translation>将所有请求发送到同一个账户，不参与轮换（直到取消固定或重启）</translation>
    </message>
    <message>
        <source>Added “%1”. It is checked in the background.</source>
        <translation>已添加“%1”，正在后台检查。</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>已保存“%1”。</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) added.</source>
        <translation>
            <numerusform>已添加 %n 个账户。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” could not be changed: %2</source>
        <translation>无法更改“%1”：%2</translation>
    </message>
    <message>
        <source>“%1” is enabled.</source>
        <translation>已启用“%1”。</translation>
    </message>
    <message>
        <source>“%1” is disabled: no requests go to it.</source>
        <translation>已禁用“%1”：不会再向其发送请求。</translation>
    </message>
    <message>
        <source>Unpinned: requests rotate over the accounts again.</source>
        <translation>已取消固定：请求重新在各账户间轮换。</translation>
    </message>
    <message>
        <source>Pinned “%1”: every request goes to it until you unpin it.</source>
        <translation>已固定“%1”：在取消固定之前，所有请求都将发送到该账户。</translation>
    </message>
</context>
<context>
    <name>AccountsRemovalFlow</name>
    <message>
        <source>“%1”</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <source>Delete accounts</source>
        <translation>删除账户</translation>
    </message>
    <message numerus="yes">
        <source>Delete %1? Their API keys are removed from the keychain too. This cannot be undone.</source>
        <translation>
            <numerusform>要删除%1吗？其 API 密钥也会从系统钥匙串中移除。此操作无法恢复。</numerusform>
        </translation>
    </message>
    <message>
        <source>No account has an invalid key.</source>
        <translation>没有密钥无效的账户。</translation>
    </message>
    <message>
        <source>Purge invalid accounts</source>
        <translation>清除无效账户</translation>
    </message>
    <message>
        <source>The provider rejected the key of %1. Delete these accounts and their keys? This cannot be undone.</source>
        <translation>提供商拒绝了%1的密钥。要删除这些账户及其密钥吗？此操作无法恢复。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) deleted.</source>
        <translation>
            <numerusform>已删除 %n 个账户。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) could not be deleted.</source>
        <translation>
            <numerusform>%n 个账户无法删除。</numerusform>
        </translation>
    </message>
    <message>
        <source>These accounts were not deleted and are unchanged:
%1
Check that the keychain is unlocked, then try again.</source>
        <translation>以下账户未删除，保持不变：
%1
请确认系统钥匙串已解锁，然后重试。</translation>
    </message>
</context>
<context>
    <name>AccountsTableModel</name>
    <message>
        <source>%1 · Pinned</source>
        <translation>%1 · 已固定</translation>
    </message>
    <message>
        <source>Pinned: every request goes to this account until you unpin it.</source>
        <translation>已固定：在取消固定之前，所有请求都将发送到此账户。</translation>
    </message>
    <message>
        <source>Back in use at %1.</source>
        <translation>将于 %1 恢复使用。</translation>
    </message>
    <message>
        <source>Not validated yet.</source>
        <translation>尚未验证。</translation>
    </message>
    <message>
        <source>Answered in %1 ms.</source>
        <translation>响应用时 %1 毫秒。</translation>
    </message>
    <message>
        <source>Errors in a row since the last success.</source>
        <translation>自上次成功以来的连续错误数。</translation>
    </message>
    <message>
        <source>Tier 1 is tried first; tier 2 only when tier 1 has no healthy account.</source>
        <translation>优先尝试层级 1；只有层级 1 中没有可用账户时才使用层级 2。</translation>
    </message>
    <message>
        <source>Higher priority first, within a tier.</source>
        <translation>同一层级内，优先级高者优先。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>层级</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康状态</translation>
    </message>
    <message>
        <source>Last validated</source>
        <translation>上次验证</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>连续错误</translation>
    </message>
    <message>
        <source>Today, since local midnight.</source>
        <translation>今日，自本地时间零点起。</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌数</translation>
    </message>
</context>
<context>
    <name>AccountsTransferFlow</name>
    <message>
        <source>Import accounts</source>
        <translation>导入账户</translation>
    </message>
    <message>
        <source>Switchboard accounts (*.json);;All files (*)</source>
        <translation>Switchboard 账户 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Export accounts</source>
        <translation>导出账户</translation>
    </message>
    <message>
        <source>Switchboard accounts (*.json)</source>
        <translation>Switchboard 账户 (*.json)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>未导入任何账户。</translation>
    </message>
    <message>
        <source>Nothing was imported from %1:
%2
Fix the file or choose another one; your accounts are unchanged.</source>
        <translation>未从 %1 导入任何账户：
%2
请修正该文件或选择其他文件；现有账户保持不变。</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) imported from %1.</source>
        <translation>
            <numerusform>已从 %1 导入 %n 个账户。</numerusform>
        </translation>
    </message>
    <message>
        <source>Include the API keys?</source>
        <translation>是否包含 API 密钥？</translation>
    </message>
    <message>
        <source>The export can include the API keys, so another Switchboard can use the accounts at once.

The keys are written in plain text: anyone who can read the file can use them and spend your credit. Include them only for a file you keep safe.

Include the API keys?</source>
        <translation>导出文件可以包含 API 密钥，这样另一个 Switchboard 可以直接使用这些账户。

密钥将以明文写入：任何能读取该文件的人都可以使用这些密钥并消耗你的额度。请仅在能妥善保管该文件时包含密钥。

是否包含 API 密钥？</translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation>导出失败。</translation>
    </message>
    <message>
        <source>The accounts could not be written to %1:
%2
Choose another folder and try again.</source>
        <translation>无法将账户写入 %1：
%2
请选择其他目录后重试。</translation>
    </message>
    <message>
        <source>Exported to %1, with the API keys in plain text.</source>
        <translation>已导出到 %1，包含明文 API 密钥。</translation>
    </message>
    <message>
        <source>Exported to %1, without the API keys.</source>
        <translation>已导出到 %1，不含 API 密钥。</translation>
    </message>
</context>
<context>
    <name>AccountsValidationFlow</name>
    <message>
        <source>The local gateway is stopped: start it to validate accounts.</source>
        <translation>本地网关已停止：请先启动网关再验证账户。</translation>
    </message>
    <message>
        <source>Every account is disabled: enable one to validate it.</source>
        <translation>所有账户均已禁用：请先启用账户再进行验证。</translation>
    </message>
</context>
<context>
    <name>AdminApi</name>
    <message>
        <source>The admin API takes GET, POST, PATCH and DELETE.</source>
        <translation>管理 API 仅接受 GET、POST、PATCH 和 DELETE。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>请求正文必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>The admin API is not available in this mode.</source>
        <translation>此模式下管理 API 不可用。</translation>
    </message>
    <message>
        <source>No account named or with id &quot;%1&quot;.</source>
        <translation>没有名称或 ID 为“%1”的账户。</translation>
    </message>
    <message>
        <source>The API key could not be read: %1</source>
        <translation>无法读取 API 密钥：%1</translation>
    </message>
    <message>
        <source>There is no admin endpoint /admin/v1/%1.</source>
        <translation>没有管理端点 /admin/v1/%1。</translation>
    </message>
    <message>
        <source>There is no admin endpoint %1 /admin/v1/%2.</source>
        <translation>没有管理端点 %1 /admin/v1/%2。</translation>
    </message>
    <message>
        <source>name: the field is required.</source>
        <translation>name：该字段为必填项。</translation>
    </message>
    <message>
        <source>The API key is still being read from the keychain: try again in a moment.</source>
        <translation>仍在从钥匙串读取 API 密钥：请稍后再试。</translation>
    </message>
</context>
<context>
    <name>Admission</name>
    <message>
        <source>Host &quot;%1&quot; is not this machine: use http://127.0.0.1:%2 (requests through other host names are refused to stop DNS rebinding).</source>
        <translation>主机“%1”不是本机：请使用 http://127.0.0.1:%2（为防止 DNS 重绑定攻击，通过其他主机名发来的请求会被拒绝）。</translation>
    </message>
    <message>
        <source>Browser requests from %1 are refused. Allow this origin in Switchboard&apos;s settings (gateway.allowed_origins) if you trust it.</source>
        <translation>来自 %1 的浏览器请求已被拒绝。如果信任该来源，请在 Switchboard 的设置（gateway.allowed_origins）中允许它。</translation>
    </message>
    <message>
        <source>No API key: send a Switchboard access key in x-api-key or Authorization: Bearer (create one with: switchboard keys create --name NAME).</source>
        <translation>没有 API 密钥：请通过 x-api-key 或 Authorization: Bearer 发送 Switchboard 访问密钥（创建访问密钥：switchboard keys create --name NAME）。</translation>
    </message>
    <message>
        <source>Invalid admin key: the admin API needs a key created with switchboard keys create --name NAME --admin.</source>
        <translation>管理密钥无效：管理 API 需要使用 switchboard keys create --name NAME --admin 创建的密钥。</translation>
    </message>
    <message>
        <source>Invalid API key: this is not a Switchboard access key, or it was revoked (list them with: switchboard keys list).</source>
        <translation>API 密钥无效：这不是 Switchboard 访问密钥，或者已被撤销（查看列表：switchboard keys list）。</translation>
    </message>
    <message>
        <source>host %1</source>
        <translation>主机 %1</translation>
    </message>
    <message>
        <source>origin %1</source>
        <translation>来源 %1</translation>
    </message>
    <message>
        <source>no key</source>
        <translation>未提供密钥</translation>
    </message>
    <message>
        <source>revoked key “%1”</source>
        <translation>已撤销的密钥“%1”</translation>
    </message>
    <message>
        <source>unknown key …%1</source>
        <translation>未知密钥 …%1</translation>
    </message>
    <message>
        <source>unknown key</source>
        <translation>未知密钥</translation>
    </message>
</context>
<context>
    <name>AnswerPolicy</name>
    <message>
        <source>the upstream answered with an event stream, but the client asked for one message</source>
        <translation>上游以事件流响应，但客户端请求的是单条消息</translation>
    </message>
    <message>
        <source>the upstream answered with one message, but the client asked for an event stream</source>
        <translation>上游以单条消息响应，但客户端请求的是事件流</translation>
    </message>
    <message>
        <source>the upstream&apos;s answer is larger than %1 MiB</source>
        <translation>上游的响应超过 %1 MiB</translation>
    </message>
    <message>
        <source>the upstream&apos;s stream sent more than %1 MiB before any content</source>
        <translation>上游的数据流在任何内容之前已发送超过 %1 MiB</translation>
    </message>
    <message>
        <source>The upstream sent a stream event larger than %1 MiB.</source>
        <translation>上游发送了超过 %1 MiB 的数据流事件。</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>switchboard: no display available, starting headless.</source>
        <translation>switchboard：没有可用的显示环境，以无界面模式启动。</translation>
    </message>
</context>
<context>
    <name>AutoStart</name>
    <message>
        <source>Cannot change the Windows start-up entry (%1). Check that your account may edit the registry.</source>
        <translation>无法修改 Windows 开机启动项（%1）。请检查当前用户是否有权编辑注册表。</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2. Remove it by hand.</source>
        <translation>无法删除 %1：%2。请手动删除。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Check that the folder is writable.</source>
        <translation>无法写入 %1：%2。请检查该目录是否可写。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1. Check the permissions of its parent folder.</source>
        <translation>无法创建目录 %1。请检查其上级目录的权限。</translation>
    </message>
</context>
<context>
    <name>BatchAddDialog</name>
    <message>
        <source>Add many accounts</source>
        <translation>批量添加账户</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>提供商(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>基础 URL(&amp;B)：</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>层级(&amp;T)：</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>优先级(&amp;R)：</translation>
    </message>
    <message>
        <source>API &amp;keys, one per line:</source>
        <translation>API 密钥，每行一个(&amp;K)：</translation>
    </message>
    <message>
        <source>sk-…
sk-…</source>
        <translation>sk-…
sk-…</translation>
    </message>
    <message>
        <source>Accounts will be named %1, …</source>
        <translation>账户将命名为 %1、…</translation>
    </message>
    <message>
        <source>The account will be named %1.</source>
        <translation>账户将命名为 %1。</translation>
    </message>
    <message>
        <source>Accounts will be named %1 … %2.</source>
        <translation>账户将命名为 %1 … %2。</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) → %n account(s)</source>
        <translation>
            <numerusform>%n 个密钥 → %n 个账户</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n repeated key(s) ignored)</source>
        <translation>
            <numerusform>%1（已忽略 %n 个重复密钥）</numerusform>
        </translation>
    </message>
    <message>
        <source>These lines are skipped: %1</source>
        <translation>以下行将被跳过：%1</translation>
    </message>
    <message>
        <source>Paste at least one API key.</source>
        <translation>请至少粘贴一个 API 密钥。</translation>
    </message>
    <message>
        <source>Adding %1 of %2…</source>
        <translation>正在添加 %1/%2…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Add accounts</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>&amp;Name prefix:</source>
        <translation>名称前缀(&amp;N)：</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) not tried: the batch was stopped.</source>
        <translation>
            <numerusform>%n 个密钥未处理：批量添加已停止。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n account(s) added. Not added:
%2
The keys not added are left in the box: fix the cause and add again.</source>
        <translation>
            <numerusform>已添加 %1 个账户（共 %n 个）。未添加：
%2
未添加的密钥仍保留在输入框中：请排除原因后再次添加。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ClaudeSettingsFile</name>
    <message>
        <source>Cannot read %1: %2. Check the file&apos;s permissions.</source>
        <translation>无法读取 %1：%2。请检查该文件的权限。</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (%2 at character %3). Fix the file or move it away, then try again.</source>
        <translation>%1 不是有效的 JSON（%2，位于第 %3 个字符）。请修正该文件或将其移走，然后重试。</translation>
    </message>
    <message>
        <source>%1 does not hold a JSON object. Fix the file or move it away, then try again.</source>
        <translation>%1 的内容不是 JSON 对象。请修正该文件或将其移走，然后重试。</translation>
    </message>
    <message>
        <source>&quot;env&quot; in %1 is not an object. Fix the file or move it away, then try again.</source>
        <translation>%1 中的 &quot;env&quot; 不是对象。请修正该文件或将其移走，然后重试。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Check that the folder is writable.</source>
        <translation>无法写入 %1：%2。请检查该目录是否可写。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1. Check the permissions of its parent folder.</source>
        <translation>无法创建目录 %1。请检查其上级目录的权限。</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2. Remove it by hand.</source>
        <translation>无法删除 %1：%2。请手动删除。</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Unknown command &quot;%1&quot; (see switchboard --help).</source>
        <translation>未知命令“%1”（参见 switchboard --help）。</translation>
    </message>
    <message>
        <source>warning: API keys are kept in the plaintext file %1 (readable by you only), not in the system keychain.</source>
        <translation>警告：API 密钥以明文保存在文件 %1 中（仅当前用户可读），而非系统钥匙串。</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1 %2&quot; (see switchboard --help).</source>
        <translation>未知命令“%1 %2”（参见 switchboard --help）。</translation>
    </message>
    <message>
        <source>Usage: switchboard %1 %2 (see --help)</source>
        <translation>用法：switchboard %1 %2（参见 --help）</translation>
    </message>
</context>
<context>
    <name>ClientWriter</name>
    <message>
        <source>The gateway ended this request without an answer.</source>
        <translation>网关结束了此请求但未给出响应。</translation>
    </message>
</context>
<context>
    <name>ConnectPanel</name>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Both lines copied to the clipboard.</source>
        <translation>两行均已复制到剪贴板。</translation>
    </message>
    <message>
        <source>&lt;your access key&gt;</source>
        <translation>&lt;你的访问密钥&gt;</translation>
    </message>
    <message>
        <source>Written to %1. The previous file is kept in %2; Undo puts it back. Restart Claude Code to use Switchboard.</source>
        <translation>已写入 %1。原文件已备份到 %2，点击“还原”可将其恢复。重启 Claude Code 即可使用 Switchboard。</translation>
    </message>
    <message>
        <source>Created %1. Restart Claude Code to use Switchboard.</source>
        <translation>已创建 %1。重启 Claude Code 即可使用 Switchboard。</translation>
    </message>
    <message>
        <source>Restored the previous %1.</source>
        <translation>已恢复原来的 %1。</translation>
    </message>
    <message>
        <source>Removed %1 again.</source>
        <translation>已删除刚创建的 %1。</translation>
    </message>
    <message>
        <source>✔ Claude Code is connected: its settings file sends requests to %1.</source>
        <translation>✔ Claude Code 已连接：其设置文件将请求发送到 %1。</translation>
    </message>
    <message>
        <source>The local endpoint is not running, so Claude Code cannot connect. Start it from the tray menu, or choose a free port on the Gateway tab.</source>
        <translation>本地端点未运行，Claude Code 无法连接。请从托盘菜单启动，或在“网关”选项卡中选择一个空闲端口。</translation>
    </message>
    <message>
        <source>Claude Code is not connected to Switchboard yet.</source>
        <translation>Claude Code 尚未连接到 Switchboard。</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>连接 Claude Code</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Claude Code settings file</source>
        <translation>Claude Code 设置文件</translation>
    </message>
    <message>
        <source>Claude Code sends its requests to ANTHROPIC_BASE_URL with the key in ANTHROPIC_AUTH_TOKEN. Set both in the shell you start Claude Code from:</source>
        <translation>Claude Code 会将请求发送到 ANTHROPIC_BASE_URL，并使用 ANTHROPIC_AUTH_TOKEN 中的密钥。请在用来启动 Claude Code 的 shell 中设置这两个变量：</translation>
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
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy both lines</source>
        <translation>复制两行</translation>
    </message>
    <message>
        <source>The lines use the key &quot;%1&quot; you just created.</source>
        <translation>以上命令使用刚创建的密钥“%1”。</translation>
    </message>
    <message>
        <source>Switchboard keeps only a hash of each access key, so it cannot fill in an existing one. Paste yours, or create a new key for Claude Code.</source>
        <translation>Switchboard 只保存每个访问密钥的哈希值，因此无法自动填入已有的密钥。请自行粘贴，或为 Claude Code 创建一个新密钥。</translation>
    </message>
    <message>
        <source>Create a key for Claude Code</source>
        <translation>为 Claude Code 创建密钥</translation>
    </message>
    <message>
        <source>Or let Switchboard write both values into the &quot;env&quot; section of %1. Other settings stay as they are, and the previous file is kept as a backup.</source>
        <translation>也可以让 Switchboard 将这两个值写入 %1 的 &quot;env&quot; 部分。其他设置保持不变，原文件会保留一份备份。</translation>
    </message>
    <message>
        <source>Or let Switchboard write both values into the &quot;env&quot; section of %1. This needs the key itself: create a key for Claude Code first.</source>
        <translation>也可以让 Switchboard 将这两个值写入 %1 的 &quot;env&quot; 部分。这需要密钥本身：请先为 Claude Code 创建密钥。</translation>
    </message>
    <message>
        <source>Write to %1</source>
        <translation>写入 %1</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>还原</translation>
    </message>
</context>
<context>
    <name>ConnectionGuard</name>
    <message>
        <source>The gateway is holding too many large requests right now; try again in a moment.</source>
        <translation>网关当前暂存的大请求过多，请稍后再试。</translation>
    </message>
    <message>
        <source>The request headers did not arrive in time.</source>
        <translation>请求头未在规定时间内到达。</translation>
    </message>
    <message>
        <source>The request body arrived too slowly.</source>
        <translation>请求正文到达得太慢。</translation>
    </message>
</context>
<context>
    <name>Converter</name>
    <message>
        <source>The request&apos;s &quot;messages&quot; must be an array.</source>
        <translation>请求中的 &quot;messages&quot; 必须是数组。</translation>
    </message>
    <message>
        <source>messages[%1] must be an object.</source>
        <translation>messages[%1] 必须是对象。</translation>
    </message>
    <message>
        <source>messages[%1] has the unknown role &quot;%2&quot;.</source>
        <translation>messages[%1] 的角色“%2”未知。</translation>
    </message>
    <message>
        <source>%1 must be a string or an array of text blocks.</source>
        <translation>%1 必须是字符串或文本块数组。</translation>
    </message>
    <message>
        <source>%1: a base64 image needs media_type and data.</source>
        <translation>%1：base64 图片需要 media_type 和 data。</translation>
    </message>
    <message>
        <source>%1: an image URL source needs a url.</source>
        <translation>%1：URL 类型的图片来源需要 url。</translation>
    </message>
    <message>
        <source>%1: unsupported image source type &quot;%2&quot;.</source>
        <translation>%1：不支持的图片来源类型“%2”。</translation>
    </message>
    <message>
        <source>messages[%1].content must be a string or an array.</source>
        <translation>messages[%1].content 必须是字符串或数组。</translation>
    </message>
    <message>
        <source>%1: tool_result without tool_use_id.</source>
        <translation>%1：tool_result 缺少 tool_use_id。</translation>
    </message>
    <message>
        <source>%1: tool_use needs an id and a name.</source>
        <translation>%1：tool_use 需要 id 和 name。</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>Cannot create the data folder %1.</source>
        <translation>无法创建数据目录 %1。</translation>
    </message>
    <message>
        <source>Cannot create the database file %1: %2</source>
        <translation>无法创建数据库文件 %1：%2</translation>
    </message>
    <message>
        <source>The Qt SQL driver %1 is not installed (on Debian: apt install %2).</source>
        <translation>未安装 Qt SQL 驱动 %1（Debian 上可执行：apt install %2）。</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>无法打开 %1：%2</translation>
    </message>
</context>
<context>
    <name>DatabaseConfig</name>
    <message>
        <source>Database URL must look like postgresql://USER:PASSWORD@HOST:PORT/DATABASE.</source>
        <translation>数据库 URL 格式应为 postgresql://USER:PASSWORD@HOST:PORT/DATABASE。</translation>
    </message>
</context>
<context>
    <name>FailureClassifier</name>
    <message>
        <source>The upstream did not answer in time.</source>
        <translation>上游未及时响应。</translation>
    </message>
    <message>
        <source>The upstream refused the connection.</source>
        <translation>上游拒绝了连接。</translation>
    </message>
    <message>
        <source>The upstream closed the connection before answering.</source>
        <translation>上游在响应前关闭了连接。</translation>
    </message>
    <message>
        <source>The upstream could not be reached: %1</source>
        <translation>无法连接上游：%1</translation>
    </message>
    <message>
        <source>The monthly spend limit is reached (%1); parked until %2.</source>
        <translation>已达到每月消费上限（%1）；暂停至 %2。</translation>
    </message>
    <message>
        <source>The account is out of credit (%1).</source>
        <translation>账户余额不足（%1）。</translation>
    </message>
    <message>
        <source>The API key was rejected (%1).</source>
        <translation>API 密钥被拒绝（%1）。</translation>
    </message>
    <message>
        <source>Access denied (%1).</source>
        <translation>访问被拒绝（%1）。</translation>
    </message>
    <message>
        <source>Rate limited (%1).</source>
        <translation>触发速率限制（%1）。</translation>
    </message>
    <message>
        <source>The upstream is overloaded (%1).</source>
        <translation>上游过载（%1）。</translation>
    </message>
    <message>
        <source>The upstream failed with HTTP %1 (%2).</source>
        <translation>上游出错，返回 HTTP %1（%2）。</translation>
    </message>
    <message>
        <source>The upstream answered HTTP %1, which is not an answer of the API (check the base URL, and any proxy in between).</source>
        <translation>上游返回了 HTTP %1，这不是 API 的响应（请检查基础 URL 以及中间的代理）。</translation>
    </message>
    <message>
        <source>The upstream&apos;s answer cannot be relayed: %1</source>
        <translation>上游的响应无法转发：%1</translation>
    </message>
</context>
<context>
    <name>FileSecretStore</name>
    <message>
        <source>secrets file %1</source>
        <translation>密钥文件 %1</translation>
    </message>
    <message>
        <source>the file is not a Switchboard secrets file</source>
        <translation>该文件不是 Switchboard 密钥文件</translation>
    </message>
    <message>
        <source>cannot create folder %1</source>
        <translation>无法创建目录 %1</translation>
    </message>
    <message>
        <source>The secrets file %1 cannot be used: %2</source>
        <translation>无法使用密钥文件 %1：%2</translation>
    </message>
    <message>
        <source>The secrets file has no secret for this account.</source>
        <translation>密钥文件中没有该账户的密钥。</translation>
    </message>
</context>
<context>
    <name>Gateway</name>
    <message>
        <source>The local gateway is stopped: start it to test accounts.</source>
        <translation>本地网关已停止：请先启动网关再测试账户。</translation>
    </message>
</context>
<context>
    <name>GatewayServer</name>
    <message>
        <source>Cannot listen on %1 port %2: %3. Another program may be using the port; choose another one in the settings.</source>
        <translation>无法在 %1 的端口 %2 上监听：%3。该端口可能已被其他程序占用；请在设置中改用其他端口。</translation>
    </message>
    <message>
        <source>There is no endpoint at %1.</source>
        <translation>%1 处没有端点。</translation>
    </message>
    <message>
        <source>Browser requests from %1 are refused. Allow this origin in Switchboard&apos;s settings (gateway.allowed_origins) if you trust it.</source>
        <translation>来自 %1 的浏览器请求已被拒绝。如果信任该来源，请在 Switchboard 的设置（gateway.allowed_origins）中允许它。</translation>
    </message>
    <message>
        <source>%1 needs %2, not %3.</source>
        <translation>%1 需要使用 %2，而不是 %3。</translation>
    </message>
    <message>
        <source>The request body is not valid JSON: %1 at byte %2.</source>
        <translation>请求正文不是有效的 JSON：%1，位于第 %2 字节。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>请求正文必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>model: the field is required (a model name such as claude-sonnet-4-5).</source>
        <translation>model：该字段为必填项（模型名称，例如 claude-sonnet-4-5）。</translation>
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
        <translation>Switchboard 无法打开其数据：%1
请检查数据目录是否可写，或使用 --data-dir 指定其他目录启动。</translation>
    </message>
</context>
<context>
    <name>HeadlessServer</name>
    <message>
        <source>Received signal %1, shutting down.</source>
        <translation>收到信号 %1，正在关闭。</translation>
    </message>
    <message>
        <source>Switchboard is listening on http://%1:%2</source>
        <translation>Switchboard 正在监听 http://%1:%2</translation>
    </message>
</context>
<context>
    <name>HealthPolicy</name>
    <message numerus="yes">
        <source>%n error(s) in a row, resting until %1. Last: %2</source>
        <translation>
            <numerusform>连续 %n 次错误，冷却至 %1。最近一次：%2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <source>system keychain</source>
        <translation>系统钥匙串</translation>
    </message>
    <message>
        <source>The keychain has no secret for this account.</source>
        <translation>系统钥匙串中没有该账户的密钥。</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1). Start your desktop&apos;s keyring (for example gnome-keyring or KWallet) and try again, or run with --secrets-file PATH to keep secrets in a private file.</source>
        <translation>系统钥匙串不可用（%1）。请启动桌面环境的密钥环（例如 gnome-keyring 或 KWallet）后重试，或使用 --secrets-file PATH 运行，将密钥保存在私有文件中。</translation>
    </message>
    <message>
        <source>Access to the system keychain was denied (%1). Unlock the keyring and try again.</source>
        <translation>访问系统钥匙串被拒绝（%1）。请解锁密钥环后重试。</translation>
    </message>
    <message>
        <source>The system keychain failed: %1</source>
        <translation>系统钥匙串出错：%1</translation>
    </message>
</context>
<context>
    <name>KeysCommand</name>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>What the key is for (e.g. laptop).</source>
        <translation>密钥用途（例如 laptop）。</translation>
    </message>
    <message>
        <source>Print {&quot;id&quot;:…,&quot;key&quot;:…} as JSON.</source>
        <translation>以 JSON 格式输出 {&quot;id&quot;:…,&quot;key&quot;:…}。</translation>
    </message>
    <message>
        <source>keys create needs --name NAME.</source>
        <translation>keys create 需要 --name NAME。</translation>
    </message>
    <message>
        <source>Created access key &quot;%1&quot; (%2). This is the only time it is shown: copy it now.</source>
        <translation>已创建访问密钥“%1”（%2）。密钥仅显示这一次，请立即复制。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式输出。</translation>
    </message>
    <message>
        <source>No access keys yet. Create one with: switchboard keys create --name NAME</source>
        <translation>还没有访问密钥。创建访问密钥：switchboard keys create --name NAME</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>PREFIX</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>LAST USED</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Revoked access key &quot;%1&quot; (%2…): clients using it are refused from now on.</source>
        <translation>已撤销访问密钥“%1”（%2…）：此后使用该密钥的客户端都将被拒绝。</translation>
    </message>
    <message>
        <source>An admin key: opens the admin API (/admin/v1) instead of the Messages API.</source>
        <translation>创建管理密钥：用于访问管理 API（/admin/v1），而非 Messages API。</translation>
    </message>
    <message>
        <source>active (admin)</source>
        <translation>有效（管理）</translation>
    </message>
</context>
<context>
    <name>LogDebugReader</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>LogExport</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>LogFormat</name>
    <message>
        <source>499 client closed</source>
        <translation>499 客户端已断开</translation>
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
        <translation>输入 %1 · 输出 %2 · 缓存 %3</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>输入 %1 · 输出 %2</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>无账户</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>客户端密钥</translation>
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
        <translation>账户</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Failover path</source>
        <translation>故障转移路径</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>流式</translation>
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
        <translation>延迟</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首个令牌时间</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>输入令牌</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>输出令牌</translation>
    </message>
    <message>
        <source>Cache read tokens</source>
        <translation>缓存读取令牌</translation>
    </message>
    <message>
        <source>Cache write tokens</source>
        <translation>缓存写入令牌</translation>
    </message>
    <message>
        <source>Changed by the gateway</source>
        <translation>网关所做的改动</translation>
    </message>
    <message>
        <source>Not admitted</source>
        <translation>未准入</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>Told the client</source>
        <translation>告知客户端</translation>
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
        <translation>已撤销的密钥</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首个令牌时间</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>Search client, model, account, status…</source>
        <translation>搜索客户端、模型、账户、状态…</translation>
    </message>
    <message>
        <source>Show the requests of one account</source>
        <translation>仅显示某个账户的请求</translation>
    </message>
    <message>
        <source>Show successful requests, errors or one status code</source>
        <translation>显示成功的请求、错误或某个状态码</translation>
    </message>
    <message>
        <source>Show the requests for one model</source>
        <translation>仅显示某个模型的请求</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the requests shown to a CSV or JSON lines file</source>
        <translation>将当前显示的请求保存为 CSV 或 JSON Lines 文件</translation>
    </message>
    <message>
        <source>Request and response bodies</source>
        <translation>请求和响应正文</translation>
    </message>
    <message>
        <source>Turn on &amp;debug logging</source>
        <translation>开启调试日志(&amp;D)</translation>
    </message>
    <message>
        <source>Logs request and response bodies (keys masked) from now on; the same switch is in Settings</source>
        <translation>从现在起记录请求和响应正文（密钥已脱敏）；设置中也有同一开关</translation>
    </message>
    <message>
        <source>Cannot turn on debug logging: %1. Try again in Settings.</source>
        <translation>无法开启调试日志：%1。请在设置中重试。</translation>
    </message>
    <message>
        <source>Cannot load the recent requests: %1. Switch pages to try again.</source>
        <translation>无法加载最近的请求：%1。切换页面即可重试。</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>所有账户</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>无账户</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>所有模型</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) shown</source>
        <translation>
            <numerusform>显示 %n 条请求</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1（共 %2 条）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Select a request to see its details.</source>
        <translation>选择一条请求以查看详情。</translation>
    </message>
    <message>
        <source>Turn on debug logging in Settings to see bodies.</source>
        <translation>在设置中开启调试日志即可查看正文。</translation>
    </message>
    <message>
        <source>Bodies are not logged. Turn on debug logging in Settings to see the bodies of later requests.</source>
        <translation>未记录正文。在设置中开启调试日志后，可查看之后请求的正文。</translation>
    </message>
    <message>
        <source>Looking up the bodies in the debug log…</source>
        <translation>正在调试日志中查找正文…</translation>
    </message>
    <message>
        <source>Cannot read the debug log: %1. Check the logs folder&apos;s permissions.</source>
        <translation>无法读取调试日志：%1。请检查日志目录的权限。</translation>
    </message>
    <message>
        <source>This request is not in the debug log: it came before debug logging was on, or the log has rotated since.</source>
        <translation>调试日志中没有这条请求：它发生在开启调试日志之前，或者日志此后已轮转。</translation>
    </message>
    <message>
        <source>Request: %1 %2
%3

Response: %4
%5</source>
        <translation>请求：%1 %2
%3

响应：%4
%5</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n request(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 条请求导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1. Choose another folder and export again.</source>
        <translation>导出失败：%1。请选择其他目录后重新导出。</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Export requests</source>
        <translation>导出请求</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>Starting the local endpoint…</source>
        <translation>正在启动本地端点…</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Serving Claude-compatible clients at %1</source>
        <translation>正在 %1 为 Claude 兼容客户端提供服务</translation>
    </message>
    <message>
        <source>The local endpoint is stopped. Start it from the tray menu.</source>
        <translation>本地端点已停止。请从托盘菜单启动。</translation>
    </message>
    <message>
        <source>The local endpoint is not running: %1</source>
        <translation>本地端点未运行：%1</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
</context>
<context>
    <name>MessageRelay</name>
    <message>
        <source>Its API key is still being read from the keychain.</source>
        <translation>该账户的 API 密钥仍在从系统钥匙串读取。</translation>
    </message>
    <message>
        <source>Its API key could not be read: %1</source>
        <translation>无法读取该账户的 API 密钥：%1</translation>
    </message>
    <message>
        <source>The upstream stream ended early (%1).</source>
        <translation>上游数据流提前结束（%1）。</translation>
    </message>
    <message>
        <source>no data for too long</source>
        <translation>过长时间未收到数据</translation>
    </message>
    <message>
        <source>the upstream answered with malformed JSON (%1)</source>
        <translation>上游返回了格式错误的 JSON（%1）</translation>
    </message>
    <message>
        <source>the upstream&apos;s answer is not a chat completion (%1)</source>
        <translation>上游返回的不是 Chat Completions 响应（%1）</translation>
    </message>
    <message>
        <source>%1 400 (thinking refused)</source>
        <translation>%1 400（思考块被拒）</translation>
    </message>
    <message>
        <source>it closed without message_stop</source>
        <translation>上游未发送 message_stop 就关闭了连接</translation>
    </message>
</context>
<context>
    <name>Migrations</name>
    <message>
        <source>Database schema update failed: %1</source>
        <translation>数据库结构更新失败：%1</translation>
    </message>
    <message>
        <source>Cannot read the database schema version: %1</source>
        <translation>无法读取数据库结构版本：%1</translation>
    </message>
    <message>
        <source>The database was written by a newer Switchboard (schema %1, this build knows %2). Update Switchboard.</source>
        <translation>数据库由更新版本的 Switchboard 写入（结构版本 %1，当前版本仅支持到 %2）。请更新 Switchboard。</translation>
    </message>
</context>
<context>
    <name>ModelMapping</name>
    <message>
        <source>Model mapping &quot;%1&quot; is not of the form PATTERN=MODEL, for example claude-opus-*=gpt-4o.</source>
        <translation>模型映射“%1”不符合 PATTERN=MODEL 格式，例如 claude-opus-*=gpt-4o。</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>The provider rejected the key of &quot;%1&quot;. Switchboard stopped using it: update the key in Accounts.</source>
        <translation>提供商拒绝了“%1”的密钥。Switchboard 已停止使用该账户：请在“账户”页中更新密钥。</translation>
    </message>
    <message>
        <source>The provider rejected the key of &quot;%1&quot; (%2). Switchboard stopped using it: update the key in Accounts.</source>
        <translation>提供商拒绝了“%1”的密钥（%2）。Switchboard 已停止使用该账户：请在“账户”页中更新密钥。</translation>
    </message>
    <message>
        <source>Account key rejected</source>
        <translation>账户密钥被拒绝</translation>
    </message>
    <message>
        <source>No account can serve requests</source>
        <translation>没有可处理请求的账户</translation>
    </message>
    <message numerus="yes">
        <source>All %n account(s) are cooling down, rejected or parked. Requests fail until one recovers; check Accounts for the reasons.</source>
        <translation>
            <numerusform>全部 %n 个账户均处于冷却中、密钥被拒绝或已暂停。在有账户恢复之前，请求都会失败；请在“账户”页查看原因。</numerusform>
        </translation>
    </message>
    <message>
        <source>The local endpoint is not running</source>
        <translation>本地端点未运行</translation>
    </message>
    <message>
        <source>The local endpoint is running again</source>
        <translation>本地端点已恢复运行</translation>
    </message>
    <message>
        <source>Clients can reach Switchboard at %1.</source>
        <translation>客户端可通过 %1 访问 Switchboard。</translation>
    </message>
    <message>
        <source>A client keeps being refused</source>
        <translation>有客户端反复被拒绝</translation>
    </message>
    <message>
        <source>Switchboard refused %1 several times: %2 If this is Claude Code, open Settings ▸ Connect Claude Code to give it a working key.</source>
        <translation>Switchboard 多次拒绝了 %1：%2 如果这是 Claude Code，请打开“设置 ▸ 连接 Claude Code”，为它配置可用的密钥。</translation>
    </message>
</context>
<context>
    <name>OpenAIError</name>
    <message>
        <source>The provider reported an error in the stream without a message.</source>
        <translation>提供商在数据流中报告了错误，但没有错误信息。</translation>
    </message>
    <message>
        <source>Provider error in the stream: %1</source>
        <translation>提供商在数据流中报告错误：%1</translation>
    </message>
    <message>
        <source>The provider answered HTTP %1 without an error message.</source>
        <translation>提供商返回 HTTP %1，但没有错误信息。</translation>
    </message>
    <message>
        <source>Provider error (HTTP %1): %2</source>
        <translation>提供商错误（HTTP %1）：%2</translation>
    </message>
</context>
<context>
    <name>OpenAIRequest</name>
    <message>
        <source>tools[%1] has no name.</source>
        <translation>tools[%1] 缺少 name。</translation>
    </message>
    <message>
        <source>tool_choice of type &quot;tool&quot; needs a name.</source>
        <translation>类型为 &quot;tool&quot; 的 tool_choice 需要 name。</translation>
    </message>
    <message>
        <source>Unknown tool_choice type &quot;%1&quot;.</source>
        <translation>未知的 tool_choice 类型“%1”。</translation>
    </message>
</context>
<context>
    <name>OpenAIResponse</name>
    <message>
        <source>The provider&apos;s answer has no choices.</source>
        <translation>提供商的响应中没有 choices。</translation>
    </message>
    <message>
        <source>The provider answered with an error: %1</source>
        <translation>提供商返回了错误：%1</translation>
    </message>
</context>
<context>
    <name>OpenAIStreamTranslator</name>
    <message>
        <source>The provider sent a stream chunk that is not JSON.</source>
        <translation>提供商发送的数据流分块不是 JSON。</translation>
    </message>
    <message>
        <source>The provider ended the stream before the answer was complete.</source>
        <translation>提供商在响应完成前结束了数据流。</translation>
    </message>
    <message>
        <source>The provider sent more than %1 of unfinished tool-call arguments and text held back behind them; the answer was cut off there.</source>
        <translation>提供商发送了超过 %1 的未完成工具调用参数及其后被暂存的文本；响应在此处被截断。</translation>
    </message>
</context>
<context>
    <name>OverviewAccountsModel</name>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>健康状态</translation>
    </message>
    <message>
        <source>Requests left</source>
        <translation>剩余请求</translation>
    </message>
    <message>
        <source>Tokens left</source>
        <translation>剩余令牌</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>What the provider&apos;s last answer said is left of its rate limit, and when the limit fills up again. Not every provider says.</source>
        <translation>提供商最近一次响应中报告的速率限制余量，以及额度何时恢复。并非每个提供商都会报告。</translation>
    </message>
    <message>
        <source>Requests this account served today.</source>
        <translation>此账户今天处理的请求数。</translation>
    </message>
    <message>
        <source>%1 (pinned)</source>
        <translation>%1（已固定）</translation>
    </message>
</context>
<context>
    <name>OverviewFigures</name>
    <message>
        <source>%1 · pinned</source>
        <translation>%1 · 已固定</translation>
    </message>
    <message>
        <source>%1 · same conversation</source>
        <translation>%1 · 同一对话</translation>
    </message>
    <message>
        <source>%1 · after another account failed</source>
        <translation>%1 · 另一个账户失败后接替</translation>
    </message>
    <message>
        <source>%1 · chosen by the %2 strategy</source>
        <translation>%1 · 由“%2”策略选中</translation>
    </message>
    <message>
        <source>No request served yet</source>
        <translation>尚未处理任何请求</translation>
    </message>
    <message>
        <source>full again</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>%1 of %2 left</source>
        <translation>剩余 %1 / %2</translation>
    </message>
    <message>
        <source>%1 · resets %2</source>
        <translation>%1 · %2 重置</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>no account could serve the last request (%1)</source>
        <translation>没有账户能处理上一个请求（%1）</translation>
    </message>
    <message>
        <source>failed over: %1</source>
        <translation>已故障转移：%1</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <source>Copies the address clients use as their base URL</source>
        <translation>复制客户端用作基础 URL 的地址</translation>
    </message>
    <message>
        <source>Serving now:</source>
        <translation>当前服务：</translation>
    </message>
    <message>
        <source>Requests today</source>
        <translation>今日请求</translation>
    </message>
    <message>
        <source>Tokens today</source>
        <translation>今日令牌</translation>
    </message>
    <message>
        <source>Estimated cost today</source>
        <translation>今日预估费用</translation>
    </message>
    <message>
        <source>Upstream error rate</source>
        <translation>上游错误率</translation>
    </message>
    <message>
        <source>Requests per minute, last hour</source>
        <translation>每分钟请求数（最近一小时）</translation>
    </message>
    <message>
        <source>Recent failures</source>
        <translation>最近的失败</translation>
    </message>
    <message>
        <source>No failed request today.</source>
        <translation>今天没有失败的请求。</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>● Starting…</source>
        <translation>● 正在启动…</translation>
    </message>
    <message>
        <source>● Serving at</source>
        <translation>● 正在服务：</translation>
    </message>
    <message>
        <source>● Stopped: clients cannot connect.</source>
        <translation>● 已停止：客户端无法连接。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>● Not running: %1</source>
        <translation>● 未运行：%1</translation>
    </message>
    <message>
        <source>Change the port…</source>
        <translation>更改端口…</translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled by the client</source>
        <translation>
            <numerusform>%n 个被客户端取消</numerusform>
        </translation>
    </message>
    <message>
        <source>since midnight</source>
        <translation>自午夜起</translation>
    </message>
    <message>
        <source>input, output and cache</source>
        <translation>输入、输出和缓存</translation>
    </message>
    <message>
        <source>estimate from your price table</source>
        <translation>根据你的价格表估算</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>%n 个请求的模型不在价格表中，未计入</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>根据最近 %n 个请求估算</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message numerus="yes">
        <source>%n client error(s) not counted</source>
        <translation>
            <numerusform>%n 个客户端错误未计入</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>Clients cannot use Switchboard yet: each needs an access key (Claude Code too).</source>
        <translation>客户端还无法使用 Switchboard：每个客户端（包括 Claude Code）都需要一个访问密钥。</translation>
    </message>
    <message>
        <source>Create access key…</source>
        <translation>创建访问密钥…</translation>
    </message>
    <message numerus="yes">
        <source>%n failed attempt(s) of %1</source>
        <translation>
            <numerusform>%1 次尝试中失败 %n 次</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceTable</name>
    <message>
        <source>The price file is not a JSON object with a &quot;prices&quot; list.</source>
        <translation>价格文件不是包含 &quot;prices&quot; 列表的 JSON 对象。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>PriceTableDialog</name>
    <message>
        <source>Estimated prices in US dollars per million tokens, used only to estimate costs on the Usage page. They are not your bill: edit them to match your plan. A model uses the first row whose pattern matches it; * matches any characters.</source>
        <translation>每百万令牌的估计价格（美元），仅用于在“用量”页估算费用，并非实际账单：请按你的套餐修改。每个模型使用第一个模式与之匹配的行；* 匹配任意字符。</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>添加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>移除(&amp;R)</translation>
    </message>
    <message>
        <source>Restore &amp;defaults</source>
        <translation>恢复默认值(&amp;D)</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) have no model pattern and match nothing: type one, e.g. claude-sonnet-4*, or remove the row.</source>
        <translation>
            <numerusform>%n 行没有模型模式，不会匹配任何模型：请填写模式（例如 claude-sonnet-4*），或移除该行。</numerusform>
        </translation>
    </message>
    <message>
        <source>Model pattern</source>
        <translation>模型模式</translation>
    </message>
    <message>
        <source>Input $/M</source>
        <translation>输入 $/M</translation>
    </message>
    <message>
        <source>Output $/M</source>
        <translation>输出 $/M</translation>
    </message>
    <message>
        <source>Cache read $/M</source>
        <translation>缓存读取 $/M</translation>
    </message>
    <message>
        <source>Cache write $/M</source>
        <translation>缓存写入 $/M</translation>
    </message>
    <message>
        <source>Model prices</source>
        <translation>模型价格</translation>
    </message>
</context>
<context>
    <name>ProviderPreset</name>
    <message>
        <source>Other Anthropic-compatible</source>
        <translation>其他 Anthropic 兼容服务</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible</source>
        <translation>其他 OpenAI 兼容服务</translation>
    </message>
</context>
<context>
    <name>RefusalTally</name>
    <message>
        <source>other clients</source>
        <translation>其他客户端</translation>
    </message>
    <message>
        <source>Several clients were refused; each was told why.</source>
        <translation>多个客户端被拒绝；每个客户端都已被告知原因。</translation>
    </message>
</context>
<context>
    <name>RequestFramer</name>
    <message>
        <source>The request has no request line.</source>
        <translation>请求缺少请求行。</translation>
    </message>
    <message>
        <source>The request line is malformed: it must read METHOD /path HTTP/1.1.</source>
        <translation>请求行格式错误：应为“METHOD /path HTTP/1.1”。</translation>
    </message>
    <message>
        <source>%1 is not supported: Switchboard speaks HTTP/1.1.</source>
        <translation>不支持 %1：Switchboard 使用 HTTP/1.1。</translation>
    </message>
    <message>
        <source>The request has more than %1 header fields.</source>
        <translation>请求的头字段超过 %1 个。</translation>
    </message>
    <message>
        <source>The request uses folded header lines, which HTTP/1.1 forbids.</source>
        <translation>请求使用了折行的请求头，HTTP/1.1 不允许这样做。</translation>
    </message>
    <message>
        <source>A request header line is malformed.</source>
        <translation>某个请求头行格式错误。</translation>
    </message>
    <message>
        <source>The request has more than one Content-Length.</source>
        <translation>请求包含多个 Content-Length。</translation>
    </message>
    <message>
        <source>The request&apos;s Content-Length is not a number.</source>
        <translation>请求的 Content-Length 不是数字。</translation>
    </message>
    <message>
        <source>The request has more than one Transfer-Encoding.</source>
        <translation>请求包含多个 Transfer-Encoding。</translation>
    </message>
    <message>
        <source>Transfer-Encoding &quot;%1&quot; is not supported; send chunked or a Content-Length.</source>
        <translation>不支持 Transfer-Encoding“%1”；请使用 chunked 或 Content-Length。</translation>
    </message>
    <message>
        <source>Expect: %1 is not supported.</source>
        <translation>不支持 Expect: %1。</translation>
    </message>
    <message>
        <source>The request has more than one %1 header.</source>
        <translation>请求包含多个 %1 请求头。</translation>
    </message>
    <message>
        <source>The request has more than one Host header.</source>
        <translation>请求包含多个 Host 请求头。</translation>
    </message>
    <message>
        <source>The request has both Content-Length and Transfer-Encoding.</source>
        <translation>请求同时包含 Content-Length 和 Transfer-Encoding。</translation>
    </message>
    <message>
        <source>The request body is larger than %1 MiB.</source>
        <translation>请求正文超过 %1 MiB。</translation>
    </message>
    <message>
        <source>A chunk of the request body is not followed by CRLF.</source>
        <translation>请求正文的某个分块后面缺少 CRLF。</translation>
    </message>
    <message>
        <source>The request starts with too many empty lines.</source>
        <translation>请求开头的空行过多。</translation>
    </message>
    <message>
        <source>The request headers are larger than %1 KiB.</source>
        <translation>请求头超过 %1 KiB。</translation>
    </message>
    <message>
        <source>A chunk header of the request body is malformed.</source>
        <translation>请求正文的某个分块头格式错误。</translation>
    </message>
    <message>
        <source>Trailers after a chunked request body are not supported.</source>
        <translation>不支持分块请求正文之后的尾部字段（trailer）。</translation>
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
        <translation>无法读取标准输入。</translation>
    </message>
    <message>
        <source>No API key was given: pipe it on standard input, for example switchboard accounts add … &lt; key.txt</source>
        <translation>未提供 API 密钥：请通过标准输入传入，例如 switchboard accounts add … &lt; key.txt</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>IP address the local endpoint listens on</source>
        <translation>本地端点监听的 IP 地址</translation>
    </message>
    <message>
        <source>TCP port of the local endpoint</source>
        <translation>本地端点的 TCP 端口</translation>
    </message>
    <message>
        <source>How to pick an account within a tier</source>
        <translation>同一层级内选择账户的方式</translation>
    </message>
    <message>
        <source>Minutes between automatic account checks (0: never)</source>
        <translation>自动检查账户的间隔分钟数（0：从不）</translation>
    </message>
    <message>
        <source>Consecutive errors after which an account rests for a while</source>
        <translation>账户进入冷却前允许的连续错误次数</translation>
    </message>
    <message>
        <source>Seconds an account rests after a rate limit without retry-after</source>
        <translation>遇到速率限制且没有 retry-after 时，账户的冷却秒数</translation>
    </message>
    <message>
        <source>Seconds an account rests after an overloaded answer</source>
        <translation>收到过载响应后，账户的冷却秒数</translation>
    </message>
    <message>
        <source>Seconds an account rests after repeated errors</source>
        <translation>连续出错后，账户的冷却秒数</translation>
    </message>
    <message>
        <source>Seconds an account skips a model it was refused access to</source>
        <translation>账户被拒绝访问某个模型后，跳过该模型的秒数</translation>
    </message>
    <message>
        <source>Minutes a conversation stays on its account (0: no stickiness)</source>
        <translation>会话固定使用同一账户的分钟数（0：不固定）</translation>
    </message>
    <message>
        <source>Log request and response bodies (keys masked)</source>
        <translation>记录请求和响应正文（密钥已脱敏）</translation>
    </message>
    <message>
        <source>Language of the window</source>
        <translation>窗口界面语言</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>启动时最小化到托盘</translation>
    </message>
    <message>
        <source>%1 must be true or false (got &quot;%2&quot;).</source>
        <translation>%1 必须为 true 或 false（实际为“%2”）。</translation>
    </message>
    <message>
        <source>%1 must be a whole number (got &quot;%2&quot;).</source>
        <translation>%1 必须是整数（实际为“%2”）。</translation>
    </message>
    <message>
        <source>Unknown setting &quot;%1&quot;. List them with: switchboard settings list</source>
        <translation>未知设置项“%1”。查看列表：switchboard settings list</translation>
    </message>
    <message>
        <source>%1 must be true or false.</source>
        <translation>%1 必须为 true 或 false。</translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1 必须是整数。</translation>
    </message>
    <message>
        <source>%1 must be between %2 and %3 (got %4).</source>
        <translation>%1 必须介于 %2 和 %3 之间（实际为 %4）。</translation>
    </message>
    <message>
        <source>%1 must be one of: %2 (got &quot;%3&quot;).</source>
        <translation>%1 必须是以下值之一：%2（实际为“%3”）。</translation>
    </message>
    <message>
        <source>%1 must be an IP address such as 127.0.0.1 (got &quot;%2&quot;).</source>
        <translation>%1 必须是 IP 地址，例如 127.0.0.1（实际为“%2”）。</translation>
    </message>
    <message>
        <source>Browser origins allowed to call the endpoint, comma-separated</source>
        <translation>允许调用端点的浏览器来源，以逗号分隔</translation>
    </message>
    <message>
        <source>Forward a client key that is not a local access key upstream</source>
        <translation>将不是本地访问密钥的客户端密钥转发到上游</translation>
    </message>
    <message>
        <source>Seconds of upstream silence before an attempt counts as timed out</source>
        <translation>上游无响应多少秒后，本次尝试视为超时</translation>
    </message>
    <message>
        <source>Seconds after which a request starts no new attempt</source>
        <translation>请求开始多少秒后不再发起新的尝试</translation>
    </message>
    <message>
        <source>%1 must be a list of origins.</source>
        <translation>%1 必须是来源列表。</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an origin such as http://localhost:3000.</source>
        <translation>%1：“%2”不是有效的来源，来源格式例如 http://localhost:3000。</translation>
    </message>
    <message>
        <source>Closing the window keeps Switchboard serving in the tray</source>
        <translation>关闭窗口后，Switchboard 在托盘中继续提供服务</translation>
    </message>
    <message>
        <source>Start Switchboard when you log in</source>
        <translation>登录时启动 Switchboard</translation>
    </message>
</context>
<context>
    <name>SettingsChoices</name>
    <message>
        <source>Listen address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Allowed browser origins</source>
        <translation>允许的浏览器来源</translation>
    </message>
    <message>
        <source>Pass unknown client keys upstream</source>
        <translation>将未知客户端密钥转发到上游</translation>
    </message>
    <message>
        <source>Upstream timeout</source>
        <translation>上游超时</translation>
    </message>
    <message>
        <source>Request deadline</source>
        <translation>请求时限</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Check accounts every</source>
        <translation>账户检查间隔</translation>
    </message>
    <message>
        <source>Errors before a rest</source>
        <translation>进入冷却前的错误数</translation>
    </message>
    <message>
        <source>After a rate limit</source>
        <translation>触发速率限制后</translation>
    </message>
    <message>
        <source>After &quot;overloaded&quot;</source>
        <translation>收到“过载”后</translation>
    </message>
    <message>
        <source>After repeated errors</source>
        <translation>连续出错后</translation>
    </message>
    <message>
        <source>After a refused model</source>
        <translation>模型被拒绝访问后</translation>
    </message>
    <message>
        <source>Keep a conversation on its account for</source>
        <translation>会话保持在同一账户的时长</translation>
    </message>
    <message>
        <source>Debug logging</source>
        <translation>调试日志</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>启动时最小化到托盘</translation>
    </message>
    <message>
        <source>Switchboard starts in the background when you log in to this computer.</source>
        <translation>登录此计算机时，Switchboard 会在后台启动。</translation>
    </message>
    <message>
        <source>Only the tray icon appears at start; click it to open the window. Without a system tray the window always opens.</source>
        <translation>启动时只显示托盘图标，点击图标即可打开窗口。如果没有系统托盘，则总是打开窗口。</translation>
    </message>
    <message>
        <source>The local endpoint keeps serving after you close the window. Quit from the tray menu.</source>
        <translation>关闭窗口后，本地端点会继续提供服务。如需退出，请使用托盘菜单。</translation>
    </message>
    <message numerus="yes">
        <source>minute(s)</source>
        <translation>
            <numerusform>分钟</numerusform>
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
        <translation>优先级</translation>
    </message>
    <message>
        <source>Round robin</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Least used</source>
        <translation>最少使用</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>加权</translation>
    </message>
    <message>
        <source>The healthy account with the highest priority serves every request; the others stand by.</source>
        <translation>由优先级最高的可用账户处理所有请求，其余账户待命。</translation>
    </message>
    <message>
        <source>Accounts take turns, one request each.</source>
        <translation>各账户轮流处理请求，每次一个。</translation>
    </message>
    <message>
        <source>The account that served the fewest requests goes next.</source>
        <translation>由处理请求最少的账户处理下一个请求。</translation>
    </message>
    <message>
        <source>Requests are shared in proportion to each account&apos;s weight.</source>
        <translation>按各账户的权重比例分配请求。</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>Closing the window keeps Switchboard serving in the tray</source>
        <translation>关闭窗口后，Switchboard 在托盘中继续提供服务</translation>
    </message>
    <message>
        <source>Start Switchboard when you log in</source>
        <translation>登录时启动 Switchboard</translation>
    </message>
</context>
<context>
    <name>SettingsCommand</name>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式输出。</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source>%1 is back to its default.</source>
        <translation>%1 已恢复为默认值。</translation>
    </message>
    <message>
        <source>KEY</source>
        <translation>键</translation>
    </message>
    <message>
        <source>VALUE</source>
        <translation>值</translation>
    </message>
    <message>
        <source>DEFAULT</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation>说明</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>Enter a whole number from %1 to %2. This value was not saved.</source>
        <translation>请输入 %1 到 %2 之间的整数。此值未保存。</translation>
    </message>
    <message>
        <source>Enter an IP address such as 127.0.0.1 (this computer only). This value was not saved.</source>
        <translation>请输入 IP 地址，例如 127.0.0.1（仅限本机访问）。此值未保存。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存：%1</translation>
    </message>
    <message>
        <source>Press Enter to save</source>
        <translation>按 Enter 键保存</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>✔ Saved</source>
        <translation>✔ 已保存</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1：</translation>
    </message>
    <message>
        <source>Local endpoint</source>
        <translation>本地端点</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>Health checks</source>
        <translation>健康检查</translation>
    </message>
    <message>
        <source>Cooldowns</source>
        <translation>冷却</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>Startup and tray</source>
        <translation>启动与托盘</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
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
        <translation>正在启动本地端点…</translation>
    </message>
    <message>
        <source>✔ Running at %1</source>
        <translation>✔ 正在 %1 运行</translation>
    </message>
    <message>
        <source>The local endpoint is stopped. Start it from the tray menu.</source>
        <translation>本地端点已停止。请从托盘菜单启动。</translation>
    </message>
    <message>
        <source>⚠ Debug logging is on: request and response bodies (your prompts and the answers) are written to %1, with keys masked to their last 4 characters. Turn it off when you are done.</source>
        <translation>⚠ 调试日志已开启：请求和响应正文（你的提示词和模型的回答）会写入 %1，密钥仅保留最后 4 个字符。用完后请关闭。</translation>
    </message>
    <message>
        <source>When on, request and response bodies (your prompts and the answers) are written to %1 on this computer, with keys masked to their last 4 characters.</source>
        <translation>开启后，请求和响应正文（你的提示词和模型的回答）会写入本机的 %1，密钥仅保留最后 4 个字符。</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>网关</translation>
    </message>
    <message>
        <source>App</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Access keys</source>
        <translation>访问密钥</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>连接 Claude Code</translation>
    </message>
    <message>
        <source>Start at login was saved, but the desktop entry was not changed: %1</source>
        <translation>“登录时启动”已保存，但未能修改桌面启动项：%1</translation>
    </message>
    <message>
        <source>The local endpoint could not start: %1</source>
        <translation>本地端点无法启动：%1</translation>
    </message>
</context>
<context>
    <name>Sql</name>
    <message>
        <source>Database error: %1</source>
        <translation>数据库错误：%1</translation>
    </message>
</context>
<context>
    <name>StartOptions</name>
    <message>
        <source>--listen must be HOST:PORT with an IP address, for example 127.0.0.1:%1 (got &quot;%2&quot;).</source>
        <translation>--listen 必须是使用 IP 地址的 HOST:PORT，例如 127.0.0.1:%1（实际为“%2”）。</translation>
    </message>
    <message>
        <source>--data-dir needs a folder.</source>
        <translation>--data-dir 需要指定目录。</translation>
    </message>
    <message>
        <source>--secrets-file needs a file path.</source>
        <translation>--secrets-file 需要指定文件路径。</translation>
    </message>
    <message>
        <source>Unknown option %1 (see switchboard --help).</source>
        <translation>未知选项 %1（参见 switchboard --help）。</translation>
    </message>
    <message>
        <source>--headless takes no command (got &quot;%1&quot;).</source>
        <translation>--headless 不接受命令（实际为“%1”）。</translation>
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

不带命令时启动桌面应用；使用 --headless 时仅启动网关。

  --headless [--listen HOST:PORT]  无窗口运行服务，直到收到 SIGINT/SIGTERM
  --data-dir DIR                   数据库所在目录（或 $SWITCHBOARD_DATA_DIR）
  --secrets-file PATH              将 API 密钥保存在私有文件中，而非系统钥匙串
                                   （适用于没有系统钥匙串的服务器）

命令（均支持 --help）：
  accounts add|list|show|edit|remove|enable|disable
  accounts validate NAME|ID | --all   检查密钥，不消耗 token
  accounts import FILE | export FILE [--with-secrets]
  keys create|list|revoke
  settings list|get|set|reset
  stats [--since 24h] [--json]      按账户统计请求数、token 用量和延迟

API 密钥从标准输入读取，绝不从命令行读取。
退出码：0 成功，1 存储或系统钥匙串故障，2 输入错误。
设置 $SWITCHBOARD_DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DB 时使用 PostgreSQL。</translation>
    </message>
</context>
<context>
    <name>StatsCommand</name>
    <message>
        <source>Time span: 90m, 24h, 7d or all (default 24h).</source>
        <translation>时间范围：90m、24h、7d 或 all（默认：24h）。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式输出。</translation>
    </message>
    <message>
        <source>--since must look like 90m, 24h, 7d or all (got &quot;%1&quot;).</source>
        <translation>--since 必须形如 90m、24h、7d 或 all（实际为“%1”）。</translation>
    </message>
    <message>
        <source>No requests in this period.</source>
        <translation>此时间段内没有请求。</translation>
    </message>
    <message>
        <source>(no account)</source>
        <translation>（无账户）</translation>
    </message>
    <message>
        <source>ACCOUNT</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>REQUESTS</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>ERRORS</source>
        <translation>错误数</translation>
    </message>
    <message>
        <source>IN</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>OUT</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>CACHE READ</source>
        <translation>缓存读取</translation>
    </message>
    <message>
        <source>CACHE WRITE</source>
        <translation>缓存写入</translation>
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
        <translation>存储线程的密钥存储</translation>
    </message>
    <message>
        <source>The secret store is not open yet.</source>
        <translation>密钥存储尚未打开。</translation>
    </message>
    <message>
        <source>The storage thread has stopped.</source>
        <translation>存储线程已停止。</translation>
    </message>
</context>
<context>
    <name>ThinkingHandoff</name>
    <message>
        <source>an unknown account</source>
        <translation>未知账户</translation>
    </message>
    <message>
        <source>thinking dropped: from another provider</source>
        <translation>已移除思考块：来自另一个提供商</translation>
    </message>
    <message>
        <source>thinking dropped: signed by %1</source>
        <translation>已移除思考块：由 %1 签名</translation>
    </message>
    <message>
        <source>; thinking turned off for this turn</source>
        <translation>；本轮已关闭思考</translation>
    </message>
</context>
<context>
    <name>TransferCommand</name>
    <message>
        <source>Include the API keys (plaintext!).</source>
        <translation>包含 API 密钥（明文！）。</translation>
    </message>
    <message>
        <source>warning: the export contains API keys in plaintext. Keep it private and delete it when done.</source>
        <translation>警告：导出文件包含明文 API 密钥。请妥善保管，用完后删除。</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n account(s) to %1.</source>
        <translation>
            <numerusform>已将 %n 个账户导出到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n account(s).</source>
        <translation>
            <numerusform>已导入 %n 个账户。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) had no API key and were left disabled; set one with: switchboard accounts edit NAME --secret &lt; key.txt</source>
        <translation>
            <numerusform>%n 个账户没有 API 密钥，已保持禁用状态；请使用以下命令设置：switchboard accounts edit NAME --secret &lt; key.txt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Open Switchboard</source>
        <translation>打开 Switchboard</translation>
    </message>
    <message>
        <source>Copy base URL</source>
        <translation>复制基础 URL</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Pin account</source>
        <translation>固定账户</translation>
    </message>
    <message>
        <source>Quit Switchboard</source>
        <translation>退出 Switchboard</translation>
    </message>
    <message>
        <source>Stop the local endpoint</source>
        <translation>停止本地端点</translation>
    </message>
    <message>
        <source>Start the local endpoint</source>
        <translation>启动本地端点</translation>
    </message>
    <message>
        <source>None (automatic routing)</source>
        <translation>无（自动路由）</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n request(s) today</source>
        <translation>
            <numerusform>%1 — 今日 %n 个请求</numerusform>
        </translation>
    </message>
    <message>
        <source>Switchboard: %1</source>
        <translation>Switchboard：%1</translation>
    </message>
    <message>
        <source>Switchboard keeps serving</source>
        <translation>Switchboard 仍在服务</translation>
    </message>
    <message>
        <source>The window is closed, the local endpoint still serves your clients. Open Switchboard or quit it from this icon&apos;s menu.</source>
        <translation>窗口已关闭，本地端点仍在为你的客户端提供服务。可通过此图标的菜单打开或退出 Switchboard。</translation>
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
        <translation>本地端点正在启动。</translation>
    </message>
    <message>
        <source>The local endpoint is stopped.</source>
        <translation>本地端点已停止。</translation>
    </message>
    <message>
        <source>The local endpoint is not running: %1</source>
        <translation>本地端点未运行：%1</translation>
    </message>
    <message>
        <source>No enabled account: add one in the window.</source>
        <translation>没有已启用的账户：请在窗口中添加。</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n account(s) can serve requests.</source>
        <translation>
            <numerusform>%n 个账户中有 %1 个可处理请求。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnservedAnswer</name>
    <message>
        <source>Switchboard has no upstream accounts yet: add one in the window or with: switchboard accounts add --name NAME &lt; key.txt</source>
        <translation>Switchboard 还没有上游账户：请在窗口中添加，或使用以下命令添加：switchboard accounts add --name NAME &lt; key.txt</translation>
    </message>
    <message>
        <source>No enabled account may serve the model &quot;%1&quot;. Check the accounts&apos; allowed models.</source>
        <translation>没有已启用的账户可以服务模型“%1”。请检查各账户允许的模型。</translation>
    </message>
    <message>
        <source>Every account that serves this model is resting; the first is available again at %1.</source>
        <translation>可服务该模型的所有账户都在冷却中；最早将于 %1 恢复可用。</translation>
    </message>
    <message>
        <source>No account is available: every account is disabled, parked or has an invalid key. Open Switchboard to fix them.</source>
        <translation>没有可用账户：所有账户均已禁用、已暂停或密钥无效。请打开 Switchboard 进行修复。</translation>
    </message>
    <message>
        <source>The upstream account failed. %1</source>
        <translation>上游账户请求失败。%1</translation>
    </message>
    <message>
        <source>All %1 upstream attempts failed. %2</source>
        <translation>全部 %1 次上游尝试均失败。%2</translation>
    </message>
    <message>
        <source>Every account that serves this model is resting after repeated upstream errors; the first is tried again at %1.</source>
        <translation>可服务此模型的所有账户都因上游连续出错而处于冷却中；最早将于 %1 重新尝试。</translation>
    </message>
    <message>
        <source>Every account that serves the model &quot;%1&quot; was refused access to it by its provider; they are tried again at %2.</source>
        <translation>可服务模型“%1”的所有账户都被其提供商拒绝访问该模型；将于 %2 重新尝试。</translation>
    </message>
</context>
<context>
    <name>UpstreamMessage</name>
    <message>
        <source>an HTML page</source>
        <translation>HTML 页面</translation>
    </message>
    <message>
        <source>HTTP %1 with no details</source>
        <translation>HTTP %1，无详细信息</translation>
    </message>
</context>
<context>
    <name>UpstreamReply</name>
    <message>
        <source>the gateway is shutting down</source>
        <translation>网关正在关闭</translation>
    </message>
    <message>
        <source>the upstream did not answer in HTTP/1.1</source>
        <translation>上游未以 HTTP/1.1 响应</translation>
    </message>
    <message>
        <source>the upstream sent a malformed chunk</source>
        <translation>上游发送了格式错误的分块</translation>
    </message>
    <message>
        <source>the upstream sent a malformed Content-Length</source>
        <translation>上游发送了格式错误的 Content-Length</translation>
    </message>
    <message>
        <source>the upstream closed the connection before the answer was complete</source>
        <translation>上游在响应完成前关闭了连接</translation>
    </message>
    <message>
        <source>the request was aborted</source>
        <translation>请求已中止</translation>
    </message>
</context>
<context>
    <name>UpstreamValidator</name>
    <message>
        <source>The key works (%1 ms).</source>
        <translation>密钥可用（%1 毫秒）。</translation>
    </message>
</context>
<context>
    <name>UsageCharts</name>
    <message>
        <source>Errors and latency</source>
        <translation>错误与延迟</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>所有账户</translation>
    </message>
    <message>
        <source>All tokens</source>
        <translation>所有令牌</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>错误率</translation>
    </message>
    <message>
        <source>Average latency (ms)</source>
        <translation>平均延迟（毫秒）</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>延迟（毫秒）</translation>
    </message>
    <message>
        <source>per minute</source>
        <translation>每分钟</translation>
    </message>
    <message>
        <source>per 15 minutes</source>
        <translation>每 15 分钟</translation>
    </message>
    <message>
        <source>per hour</source>
        <translation>每小时</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>每天</translation>
    </message>
    <message>
        <source>Removed account</source>
        <translation>已删除的账户</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>无账户</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Cache read</source>
        <translation>缓存读取</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>缓存写入</translation>
    </message>
    <message>
        <source>Requests %1</source>
        <translation>请求数（%1）</translation>
    </message>
    <message>
        <source>Tokens %1</source>
        <translation>令牌数（%1）</translation>
    </message>
</context>
<context>
    <name>UsagePage</name>
    <message>
        <source>&amp;Range:</source>
        <translation>时间范围(&amp;R)：</translation>
    </message>
    <message>
        <source>Edit &amp;prices…</source>
        <translation>编辑价格(&amp;P)…</translation>
    </message>
    <message>
        <source>The cost shown is an estimate from a price table you can edit.</source>
        <translation>显示的费用是根据可编辑的价格表估算的。</translation>
    </message>
    <message>
        <source>No requests yet — connect your assistant (Settings → Connect Claude Code) and requests will appear here live.</source>
        <translation>还没有请求——连接你的助手（设置 → 连接 Claude Code）后，请求会实时显示在这里。</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
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
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>错误数</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>p50 / p95</source>
        <translation>p50 / p95</translation>
    </message>
    <message>
        <source>Est. cost</source>
        <translation>估计费用</translation>
    </message>
    <message>
        <source>Cannot load usage: %1. Switch pages or ranges to try again.</source>
        <translation>无法加载用量：%1。切换页面或时间范围即可重试。</translation>
    </message>
    <message>
        <source>%1 / %2 s</source>
        <translation>%1 / %2 秒</translation>
    </message>
    <message>
        <source>%1 (%2 %)</source>
        <translation>%1（%2%）</translation>
    </message>
    <message>
        <source>Using default prices: %1. Edit prices to write a new file.</source>
        <translation>正在使用默认价格：%1。编辑价格即可写入新文件。</translation>
    </message>
    <message>
        <source>Prices not saved: %1. Check that the data folder is writable, then edit a price to try again.</source>
        <translation>价格未保存：%1。请检查数据目录是否可写，然后编辑任一价格以重试。</translation>
    </message>
</context>
<context>
    <name>UsageSummary</name>
    <message>
        <source>No account</source>
        <translation>无账户</translation>
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
        <translation>请求数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌数</translation>
    </message>
    <message>
        <source>Latency p50 / p95</source>
        <translation>延迟 p50 / p95</translation>
    </message>
    <message>
        <source>Estimated cost</source>
        <translation>估计费用</translation>
    </message>
    <message>
        <source>in the range</source>
        <translation>所选时间范围内</translation>
    </message>
    <message>
        <source>%1 in · %2 out · %3 cache</source>
        <translation>输入 %1 · 输出 %2 · 缓存 %3</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message numerus="yes">
        <source>of the latest %n request(s)</source>
        <translation>
            <numerusform>基于最近 %n 次请求</numerusform>
        </translation>
    </message>
    <message>
        <source>until the last byte</source>
        <translation>至最后一个字节</translation>
    </message>
    <message>
        <source>estimate from your price table</source>
        <translation>根据价格表估算</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>%n 次请求的模型不在价格表中，未计入</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>根据最近 %n 次请求估算</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with thinking dropped after failover</source>
        <translation>
            <numerusform>其中 %n 次在故障转移后移除了思考块</numerusform>
        </translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>失败的请求</translation>
    </message>
    <message numerus="yes">
        <source>%n failed, client errors included</source>
        <translation>
            <numerusform>失败 %n 个，含客户端错误</numerusform>
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
        <translation>验证所有已启用的账户。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>以 JSON 格式输出。</translation>
    </message>
    <message>
        <source>Name one account, or give --all.</source>
        <translation>请指定一个账户，或使用 --all。</translation>
    </message>
    <message>
        <source>No enabled accounts to validate.</source>
        <translation>没有可验证的已启用账户。</translation>
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
        <translation>正在验证 %1/%2…</translation>
    </message>
    <message>
        <source>The check stopped because the local endpoint stopped: %1 of %2 accounts answered.</source>
        <translation>本地端点已停止，验证随之中止：%2 个账户中有 %1 个已返回结果。</translation>
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
        <translation>无法读取 API 密钥：%1</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Switchboard</source>
        <translation>欢迎使用 Switchboard</translation>
    </message>
    <message>
        <source>One local endpoint for Claude Code, served by all your API accounts. Three steps and you are set:</source>
        <translation>为 Claude Code 提供一个本地端点，由你的所有 API 账户共同提供服务。只需三步即可完成设置：</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>添加账户</translation>
    </message>
    <message>
        <source>An Anthropic or OpenAI-compatible API key. Add more later: Switchboard moves on when one is rate-limited.</source>
        <translation>一个 Anthropic 或 OpenAI 兼容的 API 密钥。之后可以添加更多：某个账户触发速率限制时，Switchboard 会自动换用下一个。</translation>
    </message>
    <message>
        <source>Create an access key</source>
        <translation>创建访问密钥</translation>
    </message>
    <message>
        <source>Claude Code presents it to Switchboard, so no other program can use your accounts.</source>
        <translation>Claude Code 向 Switchboard 出示该密钥，这样其他程序就无法使用你的账户。</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>连接 Claude Code</translation>
    </message>
    <message>
        <source>Point Claude Code at Switchboard with two environment variables, or let Switchboard write its settings file.</source>
        <translation>通过两个环境变量让 Claude Code 指向 Switchboard，或由 Switchboard 写入 Claude Code 的设置文件。</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>添加账户…</translation>
    </message>
    <message>
        <source>Create key…</source>
        <translation>创建密钥…</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>连接…</translation>
    </message>
    <message>
        <source>Add another…</source>
        <translation>再添加一个…</translation>
    </message>
    <message>
        <source>Create another…</source>
        <translation>再创建一个…</translation>
    </message>
    <message>
        <source>Show settings</source>
        <translation>查看设置</translation>
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
