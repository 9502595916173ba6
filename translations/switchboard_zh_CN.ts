<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
    <name>AccountImporter</name>
    <message>
        <source>No API key: set one with switchboard accounts edit &quot;%1&quot; --secret</source>
        <translation>没有 API 密钥：请使用 switchboard accounts edit &quot;%1&quot; --secret 设置</translation>
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
</context>
<context>
    <name>AccountValidator</name>
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
</context>
<context>
    <name>Application</name>
    <message>
        <source>switchboard: no display available, starting headless.</source>
        <translation>switchboard：没有可用的显示环境，以无界面模式启动。</translation>
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
    <name>ConnectionGuard</name>
    <message>
        <source>The request headers are larger than %1 KiB.</source>
        <translation>请求头超过 %1 KiB。</translation>
    </message>
    <message>
        <source>A chunk header of the request is malformed.</source>
        <translation>请求中的某个分块头格式错误。</translation>
    </message>
    <message>
        <source>The request body is larger than %1 MiB.</source>
        <translation>请求正文超过 %1 MiB。</translation>
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
        <source>HTTP %1 with no details</source>
        <translation>HTTP %1，无详细信息</translation>
    </message>
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
        <source>Switchboard cannot open its data: %1</source>
        <translation>Switchboard 无法打开数据：%1</translation>
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
    <name>MainWindow</name>
    <message>
        <source>Switchboard</source>
        <translation>Switchboard</translation>
    </message>
    <message>
        <source>The local endpoint is not running: %1</source>
        <translation>本地端点未运行：%1</translation>
    </message>
    <message>
        <source>Starting the local endpoint…</source>
        <translation>正在启动本地端点…</translation>
    </message>
    <message>
        <source>Local endpoint: %1 (set ANTHROPIC_BASE_URL to this address)</source>
        <translation>本地端点：%1（请将 ANTHROPIC_BASE_URL 设为此地址）</translation>
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
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已禁用</translation>
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
        <source>Parked: %1</source>
        <translation>已暂停：%1</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>No accounts yet: add one with switchboard accounts add.</source>
        <translation>还没有账户：请使用 switchboard accounts add 添加。</translation>
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
        <translation>遇到限流且没有 retry-after 时，账户的冷却秒数</translation>
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
    <name>StorageWorker</name>
    <message>
        <source>The database is not open.</source>
        <translation>数据库未打开。</translation>
    </message>
    <message>
        <source>There is no admin endpoint /admin/v1/%1.</source>
        <translation>没有管理端点 /admin/v1/%1。</translation>
    </message>
    <message>
        <source>name: the field is required.</source>
        <translation>name：该字段为必填项。</translation>
    </message>
    <message>
        <source>There is no admin endpoint %1 /admin/v1/%2.</source>
        <translation>没有管理端点 %1 /admin/v1/%2。</translation>
    </message>
</context>
<context>
    <name>TransferCommand</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read the API key of &quot;%1&quot;: %2</source>
        <translation>无法读取“%1”的 API 密钥：%2</translation>
    </message>
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
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
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
    <name>UpstreamReply</name>
    <message>
        <source>the gateway is shutting down</source>
        <translation>网关正在关闭</translation>
    </message>
    <message>
        <source>the upstream did not answer in HTTP/1.1</source>
        <translation>上游未以 HTTP/1.1 应答</translation>
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
        <translation>上游在应答完成前关闭了连接</translation>
    </message>
    <message>
        <source>the request was aborted</source>
        <translation>请求已中止</translation>
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
    <name>ValidationScheduler</name>
    <message>
        <source>The API key could not be read: %1</source>
        <translation>无法读取 API 密钥：%1</translation>
    </message>
</context>
<context>
    <name>Validator</name>
    <message>
        <source>The key works (%1 ms).</source>
        <translation>密钥可用（%1 毫秒）。</translation>
    </message>
</context>
</TS>
