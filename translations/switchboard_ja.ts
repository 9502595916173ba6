<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AccessKeyDialog</name>
    <message>
        <source>New access key</source>
        <translation>新しいアクセスキー</translation>
    </message>
    <message>
        <source>Clients such as Claude Code present an access key to use Switchboard. Name the key after the client that will use it, so you know what to revoke later.</source>
        <translation>Claude Code などのクライアントは、アクセスキーを提示して Switchboard を使用します。キーには使用するクライアントにちなんだ名前を付けておくと、後でどのキーを取り消せばよいか分かりやすくなります。</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名前(&amp;N):</translation>
    </message>
    <message>
        <source>e.g. Claude Code on my laptop</source>
        <translation>例：ノート PC の Claude Code</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
    <message>
        <source>This is the only time you will see this key: Switchboard keeps only a hash of it. Copy it now into your client. If you lose it, create a new key and revoke this one.</source>
        <translation>このキーが表示されるのは今回限りです。Switchboard はキーのハッシュしか保存しません。今すぐクライアントにコピーしてください。紛失した場合は、新しいキーを作成してこのキーを取り消してください。</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>クリップボードにコピーしました。</translation>
    </message>
    <message>
        <source>Enter a name, for example the client that will use the key.</source>
        <translation>名前を入力してください（例：このキーを使用するクライアント名）。</translation>
    </message>
    <message>
        <source>Creating the key…</source>
        <translation>キーを作成中…</translation>
    </message>
    <message>
        <source>The key was not created: %1</source>
        <translation>キーを作成できませんでした：%1</translation>
    </message>
    <message>
        <source>Create key</source>
        <translation>キーを作成</translation>
    </message>
    <message>
        <source>I copied the key</source>
        <translation>キーをコピーしました</translation>
    </message>
    <message>
        <source>Your new access key &quot;%1&quot;:</source>
        <translation>新しいアクセスキー「%1」:</translation>
    </message>
</context>
<context>
    <name>AccessKeyModel</name>
    <message>
        <source>Never</source>
        <translation>未使用</translation>
    </message>
    <message>
        <source>Revoked %1</source>
        <translation>取り消し済み（%1）</translation>
    </message>
    <message>
        <source>Active (admin API)</source>
        <translation>有効（管理 API）</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>The first characters of the key, to recognise it. The full key is never stored.</source>
        <translation>キーを識別するための先頭の数文字です。キー全体は保存されません。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Key starts with</source>
        <translation>キーの先頭</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>作成日時</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>最終使用</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
</context>
<context>
    <name>AccessKeyStore</name>
    <message>
        <source>An access key needs a name of 1 to 100 characters.</source>
        <translation>アクセスキーの名前は 1～100 文字で指定してください。</translation>
    </message>
    <message>
        <source>No access key named or with id &quot;%1&quot;. List them with: switchboard keys list</source>
        <translation>名前または ID が「%1」のアクセスキーはありません。一覧の表示：switchboard keys list</translation>
    </message>
    <message>
        <source>&quot;%1&quot; matches %2 access keys; use the key&apos;s id.</source>
        <translation>「%1」に一致するアクセスキーが %2 件あります。キーの ID を指定してください。</translation>
    </message>
    <message>
        <source>Access key &quot;%1&quot; is already revoked.</source>
        <translation>アクセスキー「%1」はすでに取り消されています。</translation>
    </message>
    <message>
        <source>Unknown or revoked access key.</source>
        <translation>不明なアクセスキー、または取り消し済みのアクセスキーです。</translation>
    </message>
</context>
<context>
    <name>AccessKeysPanel</name>
    <message>
        <source>Revoke access key</source>
        <translation>アクセスキーの取り消し</translation>
    </message>
    <message>
        <source>Revoke &quot;%1&quot;? Clients using this key are refused from now on. This cannot be undone: they will need a new key.</source>
        <translation>「%1」を取り消しますか？このキーを使用するクライアントは今後拒否されます。この操作は元に戻せません。これらのクライアントには新しいキーが必要になります。</translation>
    </message>
    <message>
        <source>Revoked &quot;%1&quot;.</source>
        <translation>「%1」を取り消しました。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was not revoked: %2</source>
        <translation>「%1」を取り消せませんでした：%2</translation>
    </message>
    <message>
        <source>Local clients present an access key to use Switchboard. Give each client its own key, so you can revoke one without disturbing the others.</source>
        <translation>ローカルのクライアントは、アクセスキーを提示して Switchboard を使用します。クライアントごとに個別のキーを用意すれば、1 つを取り消しても他のクライアントに影響しません。</translation>
    </message>
    <message>
        <source>Create key…</source>
        <translation>キーを作成…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>取り消し…</translation>
    </message>
    <message>
        <source>No access keys yet. Create one for each client, such as Claude Code.</source>
        <translation>アクセスキーはまだありません。Claude Code などのクライアントごとに 1 つずつ作成してください。</translation>
    </message>
</context>
<context>
    <name>AccountActions</name>
    <message>
        <source>No API key: set one with switchboard accounts edit &quot;%1&quot; --secret</source>
        <translation>API キーがありません：switchboard accounts edit &quot;%1&quot; --secret で設定してください</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み取れません：%2</translation>
    </message>
    <message>
        <source>Cannot read the API key of &quot;%1&quot;: %2</source>
        <translation>「%1」の API キーを読み取れません：%2</translation>
    </message>
</context>
<context>
    <name>AccountBatch</name>
    <message>
        <source>Line %1: %2</source>
        <translation>%1 行目：%2</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <source>Add account</source>
        <translation>アカウントを追加</translation>
    </message>
    <message>
        <source>General</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名前(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>プロバイダー(&amp;P):</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>ベース URL(&amp;B):</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>&amp;Authentication:</source>
        <translation>認証方式(&amp;A):</translation>
    </message>
    <message>
        <source>API &amp;key:</source>
        <translation>API キー(&amp;K):</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>ティア(&amp;T):</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>優先度(&amp;R):</translation>
    </message>
    <message>
        <source>&amp;Weight:</source>
        <translation>重み(&amp;W):</translation>
    </message>
    <message>
        <source>Tier 1 is tried first, tier 2 only when tier 1 has no healthy account. Within a tier, higher priority goes first; the weight is the share under the weighted strategy.</source>
        <translation>最初にティア 1 が試行され、ティア 1 に正常なアカウントがない場合にのみティア 2 が使われます。同じティア内では優先度の高いアカウントが先に使われます。重みは、重み付けストラテジーでの配分比率です。</translation>
    </message>
    <message>
        <source>T&amp;est</source>
        <translation>テスト(&amp;E)</translation>
    </message>
    <message>
        <source>Checks the key and the address now, without saving and without spending tokens.</source>
        <translation>保存せず、トークンも消費せずに、キーとアドレスを今すぐ確認します。</translation>
    </message>
    <message>
        <source>Models &amp;&amp; headers</source>
        <translation>モデル &amp;&amp; ヘッダー</translation>
    </message>
    <message>
        <source>&amp;Allowed models:</source>
        <translation>許可するモデル(&amp;A):</translation>
    </message>
    <message>
        <source>every model</source>
        <translation>すべてのモデル</translation>
    </message>
    <message>
        <source>Claude model names this account serves, separated by commas or spaces; * and ? are wildcards (claude-haiku-*). Empty: every model.</source>
        <translation>このアカウントが扱う Claude モデル名を、カンマまたはスペースで区切って指定します。* と ? はワイルドカードです（claude-haiku-*）。空欄の場合はすべてのモデルが対象です。</translation>
    </message>
    <message>
        <source>Model &amp;mapping:</source>
        <translation>モデルマッピング(&amp;M):</translation>
    </message>
    <message>
        <source>Claude model (pattern)</source>
        <translation>Claude モデル（パターン）</translation>
    </message>
    <message>
        <source>Provider model</source>
        <translation>プロバイダーのモデル</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>ルールを追加</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>ルールを削除</translation>
    </message>
    <message>
        <source>Extra &amp;headers:</source>
        <translation>追加ヘッダー(&amp;H):</translation>
    </message>
    <message>
        <source>Name: value (one per line)</source>
        <translation>Name: value（1 行に 1 つ）</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>メモ(&amp;O):</translation>
    </message>
    <message>
        <source>(new account)</source>
        <translation>（新しいアカウント）</translation>
    </message>
    <message>
        <source>Type the API key first.</source>
        <translation>先に API キーを入力してください。</translation>
    </message>
    <message>
        <source>The stored API key could not be read: %1</source>
        <translation>保存されている API キーを読み取れませんでした：%1</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>テスト中…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
    <message>
        <source>Not saved: %1 Fix it and try again, or cancel.</source>
        <translation>保存されませんでした：%1修正してもう一度お試しいただくか、キャンセルしてください。</translation>
    </message>
    <message>
        <source>Edit account “%1”</source>
        <translation>アカウント「%1」を編集</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>x-api-key header</source>
        <translation>x-api-key ヘッダー</translation>
    </message>
    <message>
        <source>Authorization: Bearer header</source>
        <translation>Authorization: Bearer ヘッダー</translation>
    </message>
    <message>
        <source>unchanged — type to replace</source>
        <translation>変更なし — 入力すると置き換えます</translation>
    </message>
    <message>
        <source>paste the API key</source>
        <translation>API キーを貼り付け</translation>
    </message>
    <message>
        <source>Save anyway?</source>
        <translation>このまま保存しますか？</translation>
    </message>
    <message>
        <source>The test failed: %1

Save the account anyway? It will not serve requests until the provider accepts it.</source>
        <translation>テストに失敗しました：%1

このままアカウントを保存しますか？プロバイダーに受け付けられるまで、リクエストは処理されません。</translation>
    </message>
</context>
<context>
    <name>AccountFields</name>
    <message>
        <source>Account name (unique).</source>
        <translation>アカウント名（一意）。</translation>
    </message>
    <message>
        <source>anthropic or openai (default: anthropic).</source>
        <translation>anthropic または openai（既定値：anthropic）。</translation>
    </message>
    <message>
        <source>API base URL (default: the provider&apos;s official one).</source>
        <translation>API のベース URL（既定値：プロバイダーの公式 URL）。</translation>
    </message>
    <message>
        <source>x-api-key or bearer (default: the provider&apos;s usual one).</source>
        <translation>x-api-key または bearer（既定値：プロバイダーの標準の方式）。</translation>
    </message>
    <message>
        <source>Tier 1-9: tier 2 is used only when tier 1 has no healthy account.</source>
        <translation>ティア 1～9：ティア 2 は、ティア 1 に正常なアカウントがない場合にのみ使われます。</translation>
    </message>
    <message>
        <source>Priority within the tier, higher first (-1000..1000).</source>
        <translation>ティア内の優先度。値が大きいほど先に使われます（-1000..1000）。</translation>
    </message>
    <message>
        <source>Share for the weighted strategy (1..1000).</source>
        <translation>重み付けストラテジーでの配分（1..1000）。</translation>
    </message>
    <message>
        <source>Comma-separated models this account may serve (empty: all).</source>
        <translation>このアカウントが扱えるモデル（カンマ区切り、空欄：すべて）。</translation>
    </message>
    <message>
        <source>Model mapping rule PATTERN=MODEL, repeatable (e.g. claude-opus-*=gpt-4o).</source>
        <translation>モデルマッピングのルール PATTERN=MODEL。複数回指定できます（例：claude-opus-*=gpt-4o）。</translation>
    </message>
    <message>
        <source>Extra upstream header &quot;Name: value&quot;, repeatable.</source>
        <translation>アップストリームに送る追加ヘッダー「Name: value」。複数回指定できます。</translation>
    </message>
    <message>
        <source>Free-form notes.</source>
        <translation>自由記述のメモ。</translation>
    </message>
    <message>
        <source>Print the result as JSON.</source>
        <translation>結果を JSON で出力します。</translation>
    </message>
    <message>
        <source>Add the account disabled.</source>
        <translation>アカウントを無効の状態で追加します。</translation>
    </message>
    <message>
        <source>Remove every model mapping rule.</source>
        <translation>モデルマッピングのルールをすべて削除します。</translation>
    </message>
    <message>
        <source>Remove every extra header.</source>
        <translation>追加ヘッダーをすべて削除します。</translation>
    </message>
    <message>
        <source>Replace the API key, read from standard input.</source>
        <translation>API キーを置き換えます（標準入力から読み取ります）。</translation>
    </message>
    <message>
        <source>--%1 must be a whole number (got &quot;%2&quot;).</source>
        <translation>--%1 には整数を指定してください（指定値：「%2」）。</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>無効</translation>
    </message>
    <message>
        <source>cooling down until %1</source>
        <translation>%1 までクールダウン中</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>invalid key</source>
        <translation>無効なキー</translation>
    </message>
    <message>
        <source>parked</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>未確認</translation>
    </message>
    <message>
        <source>never</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>ベース URL</translation>
    </message>
    <message>
        <source>Auth</source>
        <translation>認証</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>ティア</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先度</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>all</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Model map</source>
        <translation>モデルマッピング</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Extra headers</source>
        <translation>追加ヘッダー</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>メモ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Last validated</source>
        <translation>最終検証</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>最終使用</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>リクエスト数</translation>
    </message>
    <message>
        <source>Errors in a row</source>
        <translation>連続エラー数</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>作成日時</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新日時</translation>
    </message>
</context>
<context>
    <name>AccountForm</name>
    <message>
        <source>Type the provider&apos;s base URL, for example https://api.example.com/v1.</source>
        <translation>プロバイダーのベース URL を入力してください（例：https://api.example.com/v1）。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists: choose another name.</source>
        <translation>「%1」という名前のアカウントはすでに存在します。別の名前を指定してください。</translation>
    </message>
    <message>
        <source>Type the base URL your provider documents.</source>
        <translation>プロバイダーのドキュメントに記載されているベース URL を入力してください。</translation>
    </message>
    <message>
        <source>Paste the API key from the provider&apos;s console.</source>
        <translation>プロバイダーのコンソールで発行した API キーを貼り付けてください。</translation>
    </message>
    <message>
        <source>Optional: this server runs on your computer. Leave it empty if it doesn&apos;t need a key.</source>
        <translation>省略可：このサーバーはお使いのコンピューター上で動作します。キーが不要な場合は空欄のままにしてください。</translation>
    </message>
    <message>
        <source>Rule %1: %2</source>
        <translation>ルール %1：%2</translation>
    </message>
    <message>
        <source>Add a rule for * (the default): without one, Claude model names are sent unchanged and most OpenAI-compatible providers reject them.</source>
        <translation>*（既定）のルールを追加してください。ルールがないと Claude のモデル名がそのまま送信され、ほとんどの OpenAI 互換プロバイダーはそれを拒否します。</translation>
    </message>
    <message>
        <source>No rules: model names are sent unchanged.</source>
        <translation>ルールなし：モデル名はそのまま送信されます。</translation>
    </message>
</context>
<context>
    <name>AccountJson</name>
    <message>
        <source>model_map must be a list of {&quot;pattern&quot;: …, &quot;target&quot;: …} objects.</source>
        <translation>model_map は {&quot;pattern&quot;: …, &quot;target&quot;: …} オブジェクトのリストである必要があります。</translation>
    </message>
    <message>
        <source>model_map must be a list.</source>
        <translation>model_map はリストである必要があります。</translation>
    </message>
    <message>
        <source>extra_headers must be an object of header names to values.</source>
        <translation>extra_headers は、ヘッダー名と値を対応付けるオブジェクトである必要があります。</translation>
    </message>
    <message>
        <source>Value of header &quot;%1&quot; must be a string.</source>
        <translation>ヘッダー「%1」の値は文字列である必要があります。</translation>
    </message>
    <message>
        <source>Unknown account field &quot;%1&quot;.</source>
        <translation>不明なアカウントフィールド「%1」です。</translation>
    </message>
    <message>
        <source>Field &quot;%1&quot; must be %2.</source>
        <translation>フィールド「%1」は%2である必要があります。</translation>
    </message>
    <message>
        <source>a whole number</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>文字列</translation>
    </message>
    <message>
        <source>Unknown provider &quot;%1&quot;: use anthropic or openai.</source>
        <translation>不明なプロバイダー「%1」です。anthropic または openai を使用してください。</translation>
    </message>
    <message>
        <source>Unknown auth style &quot;%1&quot;: use x-api-key or bearer.</source>
        <translation>不明な認証方式「%1」です。x-api-key または bearer を使用してください。</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true または false</translation>
    </message>
    <message>
        <source>a list of model names</source>
        <translation>モデル名のリスト</translation>
    </message>
</context>
<context>
    <name>AccountPresetCombo</name>
    <message>
        <source>Anthropic format</source>
        <translation>Anthropic 形式</translation>
    </message>
    <message>
        <source>OpenAI-compatible (Chat Completions)</source>
        <translation>OpenAI 互換（Chat Completions）</translation>
    </message>
    <message>
        <source>%1 (on this computer)</source>
        <translation>%1（このコンピューター）</translation>
    </message>
</context>
<context>
    <name>AccountRules</name>
    <message>
        <source>%1 must be between %2 and %3 (got %4).</source>
        <translation>%1 は %2～%3 の範囲で指定してください（指定値：%4）。</translation>
    </message>
    <message>
        <source>Base URL &quot;%1&quot; is not a valid http:// or https:// address, for example https://api.anthropic.com.</source>
        <translation>ベース URL「%1」は有効な http:// または https:// のアドレスではありません（例：https://api.anthropic.com）。</translation>
    </message>
    <message>
        <source>Base URL must not contain a user name or password; the API key is stored separately in the keychain.</source>
        <translation>ベース URL にユーザー名やパスワードを含めることはできません。API キーはキーチェーンに別途保存されます。</translation>
    </message>
    <message>
        <source>Base URL must not contain a query (?…) or fragment (#…).</source>
        <translation>ベース URL にクエリ（?…）やフラグメント（#…）を含めることはできません。</translation>
    </message>
    <message>
        <source>Account name must not be empty.</source>
        <translation>アカウント名を空にすることはできません。</translation>
    </message>
    <message>
        <source>Account name must not start or end with spaces.</source>
        <translation>アカウント名の先頭または末尾にスペースは使用できません。</translation>
    </message>
    <message>
        <source>Account name is longer than %1 characters.</source>
        <translation>アカウント名が %1 文字を超えています。</translation>
    </message>
    <message>
        <source>Account name must not contain control characters.</source>
        <translation>アカウント名に制御文字は使用できません。</translation>
    </message>
    <message>
        <source>Header name &quot;%1&quot; is not a valid HTTP header name.</source>
        <translation>ヘッダー名「%1」は有効な HTTP ヘッダー名ではありません。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot; is set by Switchboard itself and cannot be an extra header.</source>
        <translation>ヘッダー「%1」は Switchboard 自身が設定するため、追加ヘッダーには指定できません。</translation>
    </message>
    <message>
        <source>Value of header &quot;%1&quot; must be a single line.</source>
        <translation>ヘッダー「%1」の値は 1 行である必要があります。</translation>
    </message>
    <message>
        <source>Header &quot;%1&quot; is not of the form &quot;Name: value&quot;.</source>
        <translation>ヘッダー「%1」が「Name: value」の形式になっていません。</translation>
    </message>
    <message>
        <source>Model name &quot;%1&quot; must be non-empty and without spaces.</source>
        <translation>モデル名「%1」は空にできず、スペースも使用できません。</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>ティア</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先度</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重み</translation>
    </message>
</context>
<context>
    <name>AccountService</name>
    <message>
        <source>The API key is empty.</source>
        <translation>API キーが空です。</translation>
    </message>
    <message>
        <source>The API key must not contain spaces or line breaks.</source>
        <translation>API キーにスペースや改行を含めることはできません。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>「%1」という名前のアカウントはすでに存在します。</translation>
    </message>
</context>
<context>
    <name>AccountStatus</name>
    <message>
        <source>Disabled</source>
        <translation>無効</translation>
    </message>
    <message>
        <source>Switched off by you: enable it to use it again.</source>
        <translation>手動で無効にされています。使用するには有効にしてください。</translation>
    </message>
    <message>
        <source>Cooling down · %1</source>
        <translation>クールダウン中 · %1</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Invalid key</source>
        <translation>無効なキー</translation>
    </message>
    <message>
        <source>Parked</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>Parked · %1</source>
        <translation>一時停止中 · %1</translation>
    </message>
    <message>
        <source>Check failed</source>
        <translation>確認失敗</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>未確認</translation>
    </message>
    <message>
        <source>Cooling down</source>
        <translation>クールダウン中</translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>残り %n 秒</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min left</source>
        <translation>
            <numerusform>残り %n 分</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d left</source>
        <translation>
            <numerusform>残り %n 日</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>残り %1 時間 %2 分</translation>
    </message>
    <message>
        <source>never</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>たった今</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 時間前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n 日前</numerusform>
        </translation>
    </message>
    <message>
        <source>Valid · %1 ms</source>
        <translation>正常 · %1 ms</translation>
    </message>
    <message>
        <source>The check failed without a message.</source>
        <translation>確認に失敗しましたが、メッセージはありません。</translation>
    </message>
    <message numerus="yes">
        <source>%n valid</source>
        <translation>
            <numerusform>正常 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n invalid</source>
        <translation>
            <numerusform>無効 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n parked</source>
        <translation>
            <numerusform>一時停止中 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cooling down</source>
        <translation>
            <numerusform>クールダウン中 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n could not be checked</source>
        <translation>
            <numerusform>確認できず %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was checked.</source>
        <translation>何も確認されませんでした。</translation>
    </message>
    <message>
        <source>, </source>
        <comment>separator of the validation summary</comment>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>AccountStore</name>
    <message>
        <source>No account with id %1.</source>
        <translation>ID が %1 のアカウントはありません。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; matches %2 account ids; give more characters or the account name.</source>
        <translation>「%1」に一致するアカウント ID が %2 件あります。さらに多くの文字を指定するか、アカウント名を指定してください。</translation>
    </message>
    <message>
        <source>No account named or with id &quot;%1&quot;. List them with: switchboard accounts list</source>
        <translation>名前または ID が「%1」のアカウントはありません。一覧の表示：switchboard accounts list</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>「%1」という名前のアカウントはすでに存在します。</translation>
    </message>
</context>
<context>
    <name>AccountTransfer</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 に書き込めません：%2</translation>
    </message>
    <message>
        <source>not valid JSON (%1 at byte %2).</source>
        <translation>有効な JSON ではありません（%2 バイト目で %1）。</translation>
    </message>
    <message>
        <source>written by a newer Switchboard (format version %1).</source>
        <translation>より新しい Switchboard で書き込まれています（フォーマットバージョン %1）。</translation>
    </message>
    <message>
        <source>not a Switchboard accounts file (expected an object with &quot;format&quot;: &quot;switchboard-accounts&quot; and an &quot;accounts&quot; list).</source>
        <translation>Switchboard のアカウントファイルではありません（&quot;format&quot;: &quot;switchboard-accounts&quot; と &quot;accounts&quot; リストを含むオブジェクトが必要です）。</translation>
    </message>
    <message>
        <source>account #%1 (%2)</source>
        <translation>アカウント #%1（%2）</translation>
    </message>
    <message>
        <source>no name</source>
        <translation>名前なし</translation>
    </message>
    <message>
        <source>account #%1 is not an object.</source>
        <translation>アカウント #%1 がオブジェクトではありません。</translation>
    </message>
    <message>
        <source>%1: &quot;name&quot; is missing.</source>
        <translation>%1：&quot;name&quot; がありません。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: an account with this name already exists.</source>
        <translation>%1：同じ名前のアカウントがすでに存在します。</translation>
    </message>
</context>
<context>
    <name>AccountsActions</name>
    <message>
        <source>Add</source>
        <translation>追加</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>アカウントを追加します</translation>
    </message>
    <message>
        <source>Batch add</source>
        <translation>一括追加</translation>
    </message>
    <message>
        <source>Add one account per API key, from a pasted list</source>
        <translation>貼り付けたリストから、API キーごとに 1 つのアカウントを追加します</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <source>Edit the selected account (double-click a row)</source>
        <translation>選択したアカウントを編集します（行をダブルクリックしても編集できます）</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>Delete the selected accounts and their keys</source>
        <translation>選択したアカウントとそのキーを削除します</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>検証</translation>
    </message>
    <message>
        <source>Check the selected accounts&apos; keys now, without spending tokens</source>
        <translation>選択したアカウントのキーを、トークンを消費せずに今すぐ確認します</translation>
    </message>
    <message>
        <source>Validate all</source>
        <translation>すべて検証</translation>
    </message>
    <message>
        <source>Check every enabled account now</source>
        <translation>有効なアカウントをすべて今すぐ確認します</translation>
    </message>
    <message>
        <source>Purge invalid</source>
        <translation>無効なアカウントを削除</translation>
    </message>
    <message>
        <source>Delete every account whose key the provider rejected</source>
        <translation>プロバイダーにキーを拒否されたアカウントをすべて削除します</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>インポート…</translation>
    </message>
    <message>
        <source>Add accounts from a Switchboard export file</source>
        <translation>Switchboard のエクスポートファイルからアカウントを追加します</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>エクスポート…</translation>
    </message>
    <message>
        <source>Save every account to a file</source>
        <translation>すべてのアカウントをファイルに保存します</translation>
    </message>
    <message>
        <source>Send every request to one account, bypassing rotation (until unpinned or restarted)</source>
        <translation>ローテーションを使わず、すべてのリクエストを 1 つのアカウントに送ります（ピン留めを解除するか再起動するまで）</translation>
    </message>
</context>
<context>
    <name>AccountsCommand</name>
    <message>
        <source>accounts add needs --name NAME.</source>
        <translation>accounts add には --name NAME が必要です。</translation>
    </message>
    <message>
        <source>An account named &quot;%1&quot; already exists.</source>
        <translation>「%1」という名前のアカウントはすでに存在します。</translation>
    </message>
    <message>
        <source>API key for %1: </source>
        <translation>%1 の API キー: </translation>
    </message>
    <message>
        <source>Added account &quot;%1&quot; (%2). Its API key is in the %3.</source>
        <translation>アカウント「%1」（%2）を追加しました。API キーの保存先：%3。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON で出力します。</translation>
    </message>
    <message>
        <source>No accounts yet. Add one with: switchboard accounts add --name NAME --provider anthropic &lt; key.txt</source>
        <translation>アカウントはまだありません。追加するには：switchboard accounts add --name NAME --provider anthropic &lt; key.txt</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>PROVIDER</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>TIER</source>
        <translation>ティア</translation>
    </message>
    <message>
        <source>PRIORITY</source>
        <translation>優先度</translation>
    </message>
    <message>
        <source>WEIGHT</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>BASE URL</source>
        <translation>ベース URL</translation>
    </message>
    <message>
        <source>New API key for %1: </source>
        <translation>%1 の新しい API キー: </translation>
    </message>
    <message>
        <source>Updated account &quot;%1&quot;.</source>
        <translation>アカウント「%1」を更新しました。</translation>
    </message>
    <message>
        <source>Removed account &quot;%1&quot; and its API key.</source>
        <translation>アカウント「%1」とその API キーを削除しました。</translation>
    </message>
    <message>
        <source>Enabled account &quot;%1&quot;.</source>
        <translation>アカウント「%1」を有効にしました。</translation>
    </message>
    <message>
        <source>Disabled account &quot;%1&quot;.</source>
        <translation>アカウント「%1」を無効にしました。</translation>
    </message>
</context>
<context>
    <name>AccountsEmptyState</name>
    <message>
        <source>No accounts yet</source>
        <translation>アカウントはまだありません</translation>
    </message>
    <message>
        <source>Add the API key of Anthropic or of an OpenAI-compatible provider, and the local endpoint can serve requests.</source>
        <translation>Anthropic または OpenAI 互換プロバイダーの API キーを追加すると、ローカルエンドポイントでリクエストを処理できるようになります。</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>アカウントを追加</translation>
    </message>
    <message>
        <source>No account matches the filter</source>
        <translation>フィルターに一致するアカウントはありません</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) hidden by the filter.</source>
        <translation>
            <numerusform>%n 件のアカウントがフィルターで非表示になっています。</numerusform>
        </translation>
    </message>
    <message>
        <source>Clear filter</source>
        <translation>フィルターをクリア</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <source>Filter by name or provider</source>
        <translation>名前またはプロバイダーで絞り込み</translation>
    </message>
    <message>
        <source>Any health</source>
        <translation>すべての状態</translation>
    </message>
    <message>
        <source>Show only accounts in this state</source>
        <translation>この状態のアカウントのみ表示します</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>有効にする</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>無効にする</translation>
    </message>
    <message>
        <source>Use the selected accounts again</source>
        <translation>選択したアカウントを再び使用します</translation>
    </message>
    <message>
        <source>Stop sending requests to the selected accounts</source>
        <translation>選択したアカウントへのリクエスト送信を停止します</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>ピン留めを解除</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>ピン留め</translation>
    </message>
    <message>
        <source>Send every request to one account, bypassing rotation (until unpinned or restarted)</source>
        <translation>ローテーションを使わず、すべてのリクエストを 1 つのアカウントに送ります（ピン留めを解除するか再起動するまで）</translation>
    </message>
    <message>
        <source>Added “%1”. It is checked in the background.</source>
        <translation>「%1」を追加しました。バックグラウンドで確認しています。</translation>
    </message>
    <message>
        <source>Saved “%1”.</source>
        <translation>「%1」を保存しました。</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) added.</source>
        <translation>
            <numerusform>%n 件のアカウントを追加しました。</numerusform>
        </translation>
    </message>
    <message>
        <source>“%1” could not be changed: %2</source>
        <translation>「%1」を変更できませんでした：%2</translation>
    </message>
    <message>
        <source>“%1” is enabled.</source>
        <translation>「%1」を有効にしました。</translation>
    </message>
    <message>
        <source>“%1” is disabled: no requests go to it.</source>
        <translation>「%1」を無効にしました。このアカウントにはリクエストが送られません。</translation>
    </message>
    <message>
        <source>Unpinned: requests rotate over the accounts again.</source>
        <translation>ピン留めを解除しました。リクエストは再びアカウント間でローテーションされます。</translation>
    </message>
    <message>
        <source>Pinned “%1”: every request goes to it until you unpin it.</source>
        <translation>「%1」をピン留めしました。解除するまで、すべてのリクエストがこのアカウントに送られます。</translation>
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
        <translation>アカウントの削除</translation>
    </message>
    <message numerus="yes">
        <source>Delete %1? Their API keys are removed from the keychain too. This cannot be undone.</source>
        <translation>
            <numerusform>%1を削除しますか？API キーもキーチェーンから削除されます。この操作は元に戻せません。</numerusform>
        </translation>
    </message>
    <message>
        <source>No account has an invalid key.</source>
        <translation>キーが無効なアカウントはありません。</translation>
    </message>
    <message>
        <source>Purge invalid accounts</source>
        <translation>無効なアカウントの削除</translation>
    </message>
    <message>
        <source>The provider rejected the key of %1. Delete these accounts and their keys? This cannot be undone.</source>
        <translation>プロバイダーが%1のキーを拒否しました。これらのアカウントとそのキーを削除しますか？この操作は元に戻せません。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) deleted.</source>
        <translation>
            <numerusform>%n 件のアカウントを削除しました。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) could not be deleted.</source>
        <translation>
            <numerusform>%n 件のアカウントを削除できませんでした。</numerusform>
        </translation>
    </message>
    <message>
        <source>These accounts were not deleted and are unchanged:
%1
Check that the keychain is unlocked, then try again.</source>
        <translation>次のアカウントは削除されておらず、変更もされていません：
%1
キーチェーンのロックが解除されていることを確認してから、もう一度お試しください。</translation>
    </message>
</context>
<context>
    <name>AccountsTableModel</name>
    <message>
        <source>%1 · Pinned</source>
        <translation>%1 · ピン留め中</translation>
    </message>
    <message>
        <source>Pinned: every request goes to this account until you unpin it.</source>
        <translation>ピン留め中：解除するまで、すべてのリクエストがこのアカウントに送られます。</translation>
    </message>
    <message>
        <source>Back in use at %1.</source>
        <translation>%1 に使用を再開します。</translation>
    </message>
    <message>
        <source>Not validated yet.</source>
        <translation>まだ検証されていません。</translation>
    </message>
    <message>
        <source>Answered in %1 ms.</source>
        <translation>%1 ms で応答しました。</translation>
    </message>
    <message>
        <source>Errors in a row since the last success.</source>
        <translation>前回の成功以降の連続エラー数です。</translation>
    </message>
    <message>
        <source>Tier 1 is tried first; tier 2 only when tier 1 has no healthy account.</source>
        <translation>最初にティア 1 が試行され、ティア 1 に正常なアカウントがない場合にのみティア 2 が使われます。</translation>
    </message>
    <message>
        <source>Higher priority first, within a tier.</source>
        <translation>同じティア内では、優先度の高いアカウントから使われます。</translation>
    </message>
    <message>
        <source>Today, since local midnight.</source>
        <translation>本日（ローカル時刻の午前 0 時以降）。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>プロバイダー</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>ティア</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先度</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Last validated</source>
        <translation>最終検証</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>リクエスト数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン数</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>連続エラー</translation>
    </message>
</context>
<context>
    <name>AccountsTransferFlow</name>
    <message>
        <source>Import accounts</source>
        <translation>アカウントのインポート</translation>
    </message>
    <message>
        <source>Switchboard accounts (*.json);;All files (*)</source>
        <translation>Switchboard アカウント (*.json);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Export accounts</source>
        <translation>アカウントのエクスポート</translation>
    </message>
    <message>
        <source>Switchboard accounts (*.json)</source>
        <translation>Switchboard アカウント (*.json)</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>インポート中…</translation>
    </message>
    <message>
        <source>Nothing was imported.</source>
        <translation>何もインポートされませんでした。</translation>
    </message>
    <message>
        <source>Nothing was imported from %1:
%2
Fix the file or choose another one; your accounts are unchanged.</source>
        <translation>%1 からは何もインポートされませんでした：
%2
ファイルを修正するか、別のファイルを選択してください。既存のアカウントは変更されていません。</translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) imported from %1.</source>
        <translation>
            <numerusform>%1 から %n 件のアカウントをインポートしました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Include the API keys?</source>
        <translation>API キーを含めますか？</translation>
    </message>
    <message>
        <source>The export can include the API keys, so another Switchboard can use the accounts at once.

The keys are written in plain text: anyone who can read the file can use them and spend your credit. Include them only for a file you keep safe.

Include the API keys?</source>
        <translation>エクスポートに API キーを含めると、別の Switchboard ですぐにアカウントを使用できます。

キーは平文で書き込まれます。ファイルを読める人なら誰でもキーを使用でき、あなたのクレジットを消費できます。安全に保管できるファイルの場合にのみ含めてください。

API キーを含めますか？</translation>
    </message>
    <message>
        <source>The export failed.</source>
        <translation>エクスポートに失敗しました。</translation>
    </message>
    <message>
        <source>The accounts could not be written to %1:
%2
Choose another folder and try again.</source>
        <translation>アカウントを %1 に書き込めませんでした：
%2
別のフォルダーを選択して、もう一度お試しください。</translation>
    </message>
    <message>
        <source>Exported to %1, with the API keys in plain text.</source>
        <translation>%1 にエクスポートしました（API キーは平文で含まれています）。</translation>
    </message>
    <message>
        <source>Exported to %1, without the API keys.</source>
        <translation>%1 にエクスポートしました（API キーは含まれていません）。</translation>
    </message>
</context>
<context>
    <name>AccountsValidationFlow</name>
    <message>
        <source>The local gateway is stopped: start it to validate accounts.</source>
        <translation>ローカルゲートウェイが停止しています。アカウントを検証するには起動してください。</translation>
    </message>
    <message>
        <source>Every account is disabled: enable one to validate it.</source>
        <translation>すべてのアカウントが無効です。検証するにはアカウントを有効にしてください。</translation>
    </message>
</context>
<context>
    <name>AdminApi</name>
    <message>
        <source>There is no admin endpoint /admin/v1/%1.</source>
        <translation>管理エンドポイント /admin/v1/%1 はありません。</translation>
    </message>
    <message>
        <source>There is no admin endpoint %1 /admin/v1/%2.</source>
        <translation>管理エンドポイント %1 /admin/v1/%2 はありません。</translation>
    </message>
    <message>
        <source>No account named or with id &quot;%1&quot;.</source>
        <translation>名前または ID が「%1」のアカウントはありません。</translation>
    </message>
    <message>
        <source>The admin API is not available in this mode.</source>
        <translation>このモードでは管理 API を使用できません。</translation>
    </message>
    <message>
        <source>The admin API takes GET, POST, PATCH and DELETE.</source>
        <translation>管理 API が受け付けるのは GET、POST、PATCH、DELETE です。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>リクエストボディは JSON オブジェクトである必要があります。</translation>
    </message>
    <message>
        <source>name: the field is required.</source>
        <translation>name: このフィールドは必須です。</translation>
    </message>
    <message>
        <source>The API key is still being read from the keychain: try again in a moment.</source>
        <translation>API キーをまだキーチェーンから読み込み中です。しばらくしてからもう一度お試しください。</translation>
    </message>
    <message>
        <source>The API key could not be read: %1</source>
        <translation>API キーを読み取れませんでした：%1</translation>
    </message>
</context>
<context>
    <name>Admission</name>
    <message>
        <source>Host &quot;%1&quot; is not this machine: use http://127.0.0.1:%2 (requests through other host names are refused to stop DNS rebinding).</source>
        <translation>ホスト「%1」はこのマシンではありません。http://127.0.0.1:%2 を使用してください（DNS リバインディングを防ぐため、他のホスト名を経由したリクエストは拒否されます）。</translation>
    </message>
    <message>
        <source>Browser requests from %1 are refused. Allow this origin in Switchboard&apos;s settings (gateway.allowed_origins) if you trust it.</source>
        <translation>%1 からのブラウザーリクエストは拒否されました。このオリジンを信頼する場合は、Switchboard の設定（gateway.allowed_origins）で許可してください。</translation>
    </message>
    <message>
        <source>No API key: send a Switchboard access key in x-api-key or Authorization: Bearer (create one with: switchboard keys create --name NAME).</source>
        <translation>API キーがありません。x-api-key または Authorization: Bearer で Switchboard のアクセスキーを送信してください（作成するには：switchboard keys create --name NAME）。</translation>
    </message>
    <message>
        <source>Invalid admin key: the admin API needs a key created with switchboard keys create --name NAME --admin.</source>
        <translation>管理キーが無効です。管理 API には switchboard keys create --name NAME --admin で作成したキーが必要です。</translation>
    </message>
    <message>
        <source>Invalid API key: this is not a Switchboard access key, or it was revoked (list them with: switchboard keys list).</source>
        <translation>API キーが無効です。Switchboard のアクセスキーではないか、取り消されています（一覧の表示：switchboard keys list）。</translation>
    </message>
    <message>
        <source>host %1</source>
        <translation>ホスト %1</translation>
    </message>
    <message>
        <source>origin %1</source>
        <translation>オリジン %1</translation>
    </message>
    <message>
        <source>no key</source>
        <translation>キーなし</translation>
    </message>
    <message>
        <source>revoked key “%1”</source>
        <translation>取り消し済みのキー「%1」</translation>
    </message>
    <message>
        <source>unknown key …%1</source>
        <translation>不明なキー …%1</translation>
    </message>
    <message>
        <source>unknown key</source>
        <translation>不明なキー</translation>
    </message>
</context>
<context>
    <name>AnswerPolicy</name>
    <message>
        <source>the upstream&apos;s answer is larger than %1 MiB</source>
        <translation>アップストリームの応答が %1 MiB を超えています</translation>
    </message>
    <message>
        <source>the upstream answered with an event stream, but the client asked for one message</source>
        <translation>アップストリームはイベントストリームで応答しましたが、クライアントは単一のメッセージを要求しました</translation>
    </message>
    <message>
        <source>the upstream answered with one message, but the client asked for an event stream</source>
        <translation>アップストリームは単一のメッセージで応答しましたが、クライアントはイベントストリームを要求しました</translation>
    </message>
    <message>
        <source>the upstream&apos;s stream sent more than %1 MiB before any content</source>
        <translation>アップストリームのストリームが、コンテンツより前に %1 MiB を超えるデータを送信しました</translation>
    </message>
    <message>
        <source>The upstream sent a stream event larger than %1 MiB.</source>
        <translation>アップストリームが %1 MiB を超えるストリームイベントを送信しました。</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>switchboard: no display available, starting headless.</source>
        <translation>switchboard: ディスプレイを利用できないため、ヘッドレスモードで起動します。</translation>
    </message>
</context>
<context>
    <name>AutoStart</name>
    <message>
        <source>Cannot change the Windows start-up entry (%1). Check that your account may edit the registry.</source>
        <translation>Windows のスタートアップ項目を変更できません（%1）。お使いのアカウントにレジストリの編集権限があるか確認してください。</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2. Remove it by hand.</source>
        <translation>%1 を削除できません：%2。手動で削除してください。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1. Check the permissions of its parent folder.</source>
        <translation>フォルダー %1 を作成できません。親フォルダーのアクセス許可を確認してください。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Check that the folder is writable.</source>
        <translation>%1 に書き込めません：%2。フォルダーが書き込み可能か確認してください。</translation>
    </message>
</context>
<context>
    <name>BatchAddDialog</name>
    <message>
        <source>Add many accounts</source>
        <translation>アカウントの一括追加</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>プロバイダー(&amp;P):</translation>
    </message>
    <message>
        <source>&amp;Base URL:</source>
        <translation>ベース URL(&amp;B):</translation>
    </message>
    <message>
        <source>https://…</source>
        <translation>https://…</translation>
    </message>
    <message>
        <source>&amp;Name prefix:</source>
        <translation>名前のプレフィックス(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Tier:</source>
        <translation>ティア(&amp;T):</translation>
    </message>
    <message>
        <source>P&amp;riority:</source>
        <translation>優先度(&amp;R):</translation>
    </message>
    <message>
        <source>API &amp;keys, one per line:</source>
        <translation>API キー（1 行に 1 つ）(&amp;K):</translation>
    </message>
    <message>
        <source>sk-…
sk-…</source>
        <translation>sk-…
sk-…</translation>
    </message>
    <message>
        <source>Accounts will be named %1, …</source>
        <translation>アカウント名は %1、… になります</translation>
    </message>
    <message>
        <source>The account will be named %1.</source>
        <translation>アカウント名は %1 になります。</translation>
    </message>
    <message>
        <source>Accounts will be named %1 … %2.</source>
        <translation>アカウント名は %1 … %2 になります。</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) → %n account(s)</source>
        <translation>
            <numerusform>キー %n 件 → アカウント %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n repeated key(s) ignored)</source>
        <translation>
            <numerusform>%1（重複したキー %n 件を無視）</numerusform>
        </translation>
    </message>
    <message>
        <source>These lines are skipped: %1</source>
        <translation>次の行はスキップされます：%1</translation>
    </message>
    <message>
        <source>Paste at least one API key.</source>
        <translation>API キーを 1 つ以上貼り付けてください。</translation>
    </message>
    <message>
        <source>Adding %1 of %2…</source>
        <translation>追加中（%1/%2）…</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) not tried: the batch was stopped.</source>
        <translation>
            <numerusform>%n 件のキーは未処理です：一括追加が停止されました。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n account(s) added. Not added:
%2
The keys not added are left in the box: fix the cause and add again.</source>
        <translation>
            <numerusform>%n 件中 %1 件のアカウントを追加しました。追加されなかったもの：
%2
追加されなかったキーは入力欄に残っています。原因を解決してから、もう一度追加してください。</numerusform>
        </translation>
    </message>
    <message>
        <source>Add accounts</source>
        <translation>アカウントを追加</translation>
    </message>
</context>
<context>
    <name>ClaudeSettingsFile</name>
    <message>
        <source>Cannot read %1: %2. Check the file&apos;s permissions.</source>
        <translation>%1 を読み取れません：%2。ファイルのアクセス許可を確認してください。</translation>
    </message>
    <message>
        <source>%1 is not valid JSON (%2 at character %3). Fix the file or move it away, then try again.</source>
        <translation>%1 は有効な JSON ではありません（%3 文字目で %2）。ファイルを修正するか別の場所に移動してから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>%1 does not hold a JSON object. Fix the file or move it away, then try again.</source>
        <translation>%1 に JSON オブジェクトが含まれていません。ファイルを修正するか別の場所に移動してから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>&quot;env&quot; in %1 is not an object. Fix the file or move it away, then try again.</source>
        <translation>%1 の &quot;env&quot; がオブジェクトではありません。ファイルを修正するか別の場所に移動してから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2. Check that the folder is writable.</source>
        <translation>%1 に書き込めません：%2。フォルダーが書き込み可能か確認してください。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1. Check the permissions of its parent folder.</source>
        <translation>フォルダー %1 を作成できません。親フォルダーのアクセス許可を確認してください。</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2. Remove it by hand.</source>
        <translation>%1 を削除できません：%2。手動で削除してください。</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>Unknown command &quot;%1&quot; (see switchboard --help).</source>
        <translation>不明なコマンド「%1」です（switchboard --help を参照してください）。</translation>
    </message>
    <message>
        <source>warning: API keys are kept in the plaintext file %1 (readable by you only), not in the system keychain.</source>
        <translation>警告：API キーはシステムのキーチェーンではなく、平文のファイル %1（本人のみ読み取り可能）に保存されます。</translation>
    </message>
    <message>
        <source>Unknown command &quot;%1 %2&quot; (see switchboard --help).</source>
        <translation>不明なコマンド「%1 %2」です（switchboard --help を参照してください）。</translation>
    </message>
    <message>
        <source>Usage: switchboard %1 %2 (see --help)</source>
        <translation>使い方：switchboard %1 %2（--help を参照）</translation>
    </message>
</context>
<context>
    <name>ClientWriter</name>
    <message>
        <source>The gateway ended this request without an answer.</source>
        <translation>ゲートウェイは応答を返さずにこのリクエストを終了しました。</translation>
    </message>
</context>
<context>
    <name>ConnectPanel</name>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>クリップボードにコピーしました。</translation>
    </message>
    <message>
        <source>Both lines copied to the clipboard.</source>
        <translation>2 行ともクリップボードにコピーしました。</translation>
    </message>
    <message>
        <source>&lt;your access key&gt;</source>
        <translation>&lt;アクセスキー&gt;</translation>
    </message>
    <message>
        <source>Written to %1. The previous file is kept in %2; Undo puts it back. Restart Claude Code to use Switchboard.</source>
        <translation>%1 に書き込みました。以前のファイルは %2 に保存されており、「元に戻す」で復元できます。Switchboard を使用するには Claude Code を再起動してください。</translation>
    </message>
    <message>
        <source>Created %1. Restart Claude Code to use Switchboard.</source>
        <translation>%1 を作成しました。Switchboard を使用するには Claude Code を再起動してください。</translation>
    </message>
    <message>
        <source>Restored the previous %1.</source>
        <translation>以前の %1 を復元しました。</translation>
    </message>
    <message>
        <source>Removed %1 again.</source>
        <translation>作成した %1 を削除しました。</translation>
    </message>
    <message>
        <source>✔ Claude Code is connected: its settings file sends requests to %1.</source>
        <translation>✔ Claude Code は接続済みです。設定ファイルにより、リクエストは %1 に送信されます。</translation>
    </message>
    <message>
        <source>The local endpoint is not running, so Claude Code cannot connect. Start it from the tray menu, or choose a free port on the Gateway tab.</source>
        <translation>ローカルエンドポイントが動作していないため、Claude Code は接続できません。トレイメニューから起動するか、「ゲートウェイ」タブで空いているポートを選択してください。</translation>
    </message>
    <message>
        <source>Claude Code is not connected to Switchboard yet.</source>
        <translation>Claude Code はまだ Switchboard に接続されていません。</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>Claude Code を接続</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>環境変数</translation>
    </message>
    <message>
        <source>Claude Code settings file</source>
        <translation>Claude Code の設定ファイル</translation>
    </message>
    <message>
        <source>Claude Code sends its requests to ANTHROPIC_BASE_URL with the key in ANTHROPIC_AUTH_TOKEN. Set both in the shell you start Claude Code from:</source>
        <translation>Claude Code は ANTHROPIC_BASE_URL にリクエストを送信し、ANTHROPIC_AUTH_TOKEN のキーを使用します。Claude Code を起動するシェルで、両方を設定してください：</translation>
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
        <translation>コピー</translation>
    </message>
    <message>
        <source>Copy both lines</source>
        <translation>2 行ともコピー</translation>
    </message>
    <message>
        <source>The lines use the key &quot;%1&quot; you just created.</source>
        <translation>これらの行では、作成したばかりのキー「%1」を使用しています。</translation>
    </message>
    <message>
        <source>Switchboard keeps only a hash of each access key, so it cannot fill in an existing one. Paste yours, or create a new key for Claude Code.</source>
        <translation>Switchboard は各アクセスキーのハッシュしか保存しないため、既存のキーを自動入力できません。お持ちのキーを貼り付けるか、Claude Code 用に新しいキーを作成してください。</translation>
    </message>
    <message>
        <source>Create a key for Claude Code</source>
        <translation>Claude Code 用のキーを作成</translation>
    </message>
    <message>
        <source>Or let Switchboard write both values into the &quot;env&quot; section of %1. Other settings stay as they are, and the previous file is kept as a backup.</source>
        <translation>または、Switchboard に %1 の &quot;env&quot; セクションへ両方の値を書き込ませることもできます。その他の設定はそのまま残り、以前のファイルはバックアップとして保存されます。</translation>
    </message>
    <message>
        <source>Or let Switchboard write both values into the &quot;env&quot; section of %1. This needs the key itself: create a key for Claude Code first.</source>
        <translation>または、Switchboard に %1 の &quot;env&quot; セクションへ両方の値を書き込ませることもできます。これにはキーそのものが必要です。先に Claude Code 用のキーを作成してください。</translation>
    </message>
    <message>
        <source>Write to %1</source>
        <translation>%1 に書き込む</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
</context>
<context>
    <name>ConnectionGuard</name>
    <message>
        <source>The gateway is holding too many large requests right now; try again in a moment.</source>
        <translation>ゲートウェイは現在、大きなリクエストを多数保持しています。しばらくしてからもう一度お試しください。</translation>
    </message>
    <message>
        <source>The request headers did not arrive in time.</source>
        <translation>リクエストヘッダーが時間内に届きませんでした。</translation>
    </message>
    <message>
        <source>The request body arrived too slowly.</source>
        <translation>リクエストボディの到着が遅すぎます。</translation>
    </message>
</context>
<context>
    <name>Converter</name>
    <message>
        <source>The request&apos;s &quot;messages&quot; must be an array.</source>
        <translation>リクエストの &quot;messages&quot; は配列である必要があります。</translation>
    </message>
    <message>
        <source>messages[%1] must be an object.</source>
        <translation>messages[%1] はオブジェクトである必要があります。</translation>
    </message>
    <message>
        <source>messages[%1] has the unknown role &quot;%2&quot;.</source>
        <translation>messages[%1] のロール「%2」は不明です。</translation>
    </message>
    <message>
        <source>%1 must be a string or an array of text blocks.</source>
        <translation>%1 は文字列またはテキストブロックの配列である必要があります。</translation>
    </message>
    <message>
        <source>%1: a base64 image needs media_type and data.</source>
        <translation>%1：base64 画像には media_type と data が必要です。</translation>
    </message>
    <message>
        <source>%1: an image URL source needs a url.</source>
        <translation>%1：URL ソースの画像には url が必要です。</translation>
    </message>
    <message>
        <source>%1: unsupported image source type &quot;%2&quot;.</source>
        <translation>%1：サポートされていない画像ソースの種類「%2」です。</translation>
    </message>
    <message>
        <source>messages[%1].content must be a string or an array.</source>
        <translation>messages[%1].content は文字列または配列である必要があります。</translation>
    </message>
    <message>
        <source>%1: tool_result without tool_use_id.</source>
        <translation>%1：tool_result に tool_use_id がありません。</translation>
    </message>
    <message>
        <source>%1: tool_use needs an id and a name.</source>
        <translation>%1：tool_use には id と name が必要です。</translation>
    </message>
</context>
<context>
    <name>Database</name>
    <message>
        <source>Cannot create the data folder %1.</source>
        <translation>データフォルダー %1 を作成できません。</translation>
    </message>
    <message>
        <source>Cannot create the database file %1: %2</source>
        <translation>データベースファイル %1 を作成できません：%2</translation>
    </message>
    <message>
        <source>The Qt SQL driver %1 is not installed (on Debian: apt install %2).</source>
        <translation>Qt SQL ドライバー %1 がインストールされていません（Debian の場合：apt install %2）。</translation>
    </message>
    <message>
        <source>Cannot open %1: %2</source>
        <translation>%1 を開けません：%2</translation>
    </message>
</context>
<context>
    <name>DatabaseConfig</name>
    <message>
        <source>Database URL must look like postgresql://USER:PASSWORD@HOST:PORT/DATABASE.</source>
        <translation>データベース URL は postgresql://USER:PASSWORD@HOST:PORT/DATABASE の形式で指定してください。</translation>
    </message>
</context>
<context>
    <name>FailureClassifier</name>
    <message>
        <source>The upstream did not answer in time.</source>
        <translation>アップストリームが時間内に応答しませんでした。</translation>
    </message>
    <message>
        <source>The upstream refused the connection.</source>
        <translation>アップストリームが接続を拒否しました。</translation>
    </message>
    <message>
        <source>The upstream closed the connection before answering.</source>
        <translation>アップストリームが応答する前に接続を閉じました。</translation>
    </message>
    <message>
        <source>The upstream&apos;s answer cannot be relayed: %1</source>
        <translation>アップストリームの応答を中継できません：%1</translation>
    </message>
    <message>
        <source>The upstream could not be reached: %1</source>
        <translation>アップストリームに接続できませんでした：%1</translation>
    </message>
    <message>
        <source>The upstream answered HTTP %1, which is not an answer of the API (check the base URL, and any proxy in between).</source>
        <translation>アップストリームが HTTP %1 を返しましたが、これは API の応答ではありません（ベース URL と、間にあるプロキシを確認してください）。</translation>
    </message>
    <message>
        <source>The monthly spend limit is reached (%1); parked until %2.</source>
        <translation>月間の利用上限に達しました（%1）。%2 まで一時停止します。</translation>
    </message>
    <message>
        <source>The account is out of credit (%1).</source>
        <translation>アカウントのクレジットが不足しています（%1）。</translation>
    </message>
    <message>
        <source>The API key was rejected (%1).</source>
        <translation>API キーが拒否されました（%1）。</translation>
    </message>
    <message>
        <source>Access denied (%1).</source>
        <translation>アクセスが拒否されました（%1）。</translation>
    </message>
    <message>
        <source>Rate limited (%1).</source>
        <translation>レート制限に達しました（%1）。</translation>
    </message>
    <message>
        <source>The upstream is overloaded (%1).</source>
        <translation>アップストリームが過負荷状態です（%1）。</translation>
    </message>
    <message>
        <source>The upstream failed with HTTP %1 (%2).</source>
        <translation>アップストリームが HTTP %1 で失敗しました（%2）。</translation>
    </message>
</context>
<context>
    <name>FileSecretStore</name>
    <message>
        <source>secrets file %1</source>
        <translation>シークレットファイル %1</translation>
    </message>
    <message>
        <source>the file is not a Switchboard secrets file</source>
        <translation>このファイルは Switchboard のシークレットファイルではありません</translation>
    </message>
    <message>
        <source>cannot create folder %1</source>
        <translation>フォルダー %1 を作成できません</translation>
    </message>
    <message>
        <source>The secrets file %1 cannot be used: %2</source>
        <translation>シークレットファイル %1 を使用できません：%2</translation>
    </message>
    <message>
        <source>The secrets file has no secret for this account.</source>
        <translation>シークレットファイルにこのアカウントのシークレットがありません。</translation>
    </message>
</context>
<context>
    <name>Gateway</name>
    <message>
        <source>The local gateway is stopped: start it to test accounts.</source>
        <translation>ローカルゲートウェイが停止しています。アカウントをテストするには起動してください。</translation>
    </message>
</context>
<context>
    <name>GatewayServer</name>
    <message>
        <source>There is no endpoint at %1.</source>
        <translation>%1 にはエンドポイントがありません。</translation>
    </message>
    <message>
        <source>Browser requests from %1 are refused. Allow this origin in Switchboard&apos;s settings (gateway.allowed_origins) if you trust it.</source>
        <translation>%1 からのブラウザーリクエストは拒否されました。このオリジンを信頼する場合は、Switchboard の設定（gateway.allowed_origins）で許可してください。</translation>
    </message>
    <message>
        <source>%1 needs %2, not %3.</source>
        <translation>%1 には %3 ではなく %2 を使用してください。</translation>
    </message>
    <message>
        <source>The request body is not valid JSON: %1 at byte %2.</source>
        <translation>リクエストボディが有効な JSON ではありません：%2 バイト目で %1。</translation>
    </message>
    <message>
        <source>The request body must be a JSON object.</source>
        <translation>リクエストボディは JSON オブジェクトである必要があります。</translation>
    </message>
    <message>
        <source>model: the field is required (a model name such as claude-sonnet-4-5).</source>
        <translation>model: このフィールドは必須です（claude-sonnet-4-5 などのモデル名）。</translation>
    </message>
    <message>
        <source>Cannot listen on %1 port %2: %3. Another program may be using the port; choose another one in the settings.</source>
        <translation>%1 のポート %2 で待ち受けできません：%3。別のプログラムがこのポートを使用している可能性があります。設定で別のポートを選択してください。</translation>
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
        <translation>Switchboard のデータを開けません：%1
データフォルダーが書き込み可能か確認するか、--data-dir で別のフォルダーを指定して起動してください。</translation>
    </message>
</context>
<context>
    <name>HeadlessServer</name>
    <message>
        <source>Received signal %1, shutting down.</source>
        <translation>シグナル %1 を受信しました。終了します。</translation>
    </message>
    <message>
        <source>Switchboard is listening on http://%1:%2</source>
        <translation>Switchboard は http://%1:%2 で待ち受けています</translation>
    </message>
</context>
<context>
    <name>HealthPolicy</name>
    <message numerus="yes">
        <source>%n error(s) in a row, resting until %1. Last: %2</source>
        <translation>
            <numerusform>%n 回連続でエラーが発生したため、%1 までクールダウンします。直近のエラー：%2</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <source>system keychain</source>
        <translation>システムのキーチェーン</translation>
    </message>
    <message>
        <source>The keychain has no secret for this account.</source>
        <translation>キーチェーンにこのアカウントのシークレットがありません。</translation>
    </message>
    <message>
        <source>The system keychain is not available (%1). Start your desktop&apos;s keyring (for example gnome-keyring or KWallet) and try again, or run with --secrets-file PATH to keep secrets in a private file.</source>
        <translation>システムのキーチェーンを利用できません（%1）。デスクトップのキーリング（gnome-keyring や KWallet など）を起動してからもう一度お試しいただくか、--secrets-file PATH を指定して実行し、シークレットを非公開のファイルに保存してください。</translation>
    </message>
    <message>
        <source>Access to the system keychain was denied (%1). Unlock the keyring and try again.</source>
        <translation>システムのキーチェーンへのアクセスが拒否されました（%1）。キーリングのロックを解除してから、もう一度お試しください。</translation>
    </message>
    <message>
        <source>The system keychain failed: %1</source>
        <translation>システムのキーチェーンでエラーが発生しました：%1</translation>
    </message>
</context>
<context>
    <name>KeysCommand</name>
    <message>
        <source>never</source>
        <translation>未使用</translation>
    </message>
    <message>
        <source>What the key is for (e.g. laptop).</source>
        <translation>キーの用途（例：laptop）。</translation>
    </message>
    <message>
        <source>Print {&quot;id&quot;:…,&quot;key&quot;:…} as JSON.</source>
        <translation>{&quot;id&quot;:…,&quot;key&quot;:…} を JSON で出力します。</translation>
    </message>
    <message>
        <source>An admin key: opens the admin API (/admin/v1) instead of the Messages API.</source>
        <translation>管理キーを作成します：Messages API ではなく管理 API（/admin/v1）にアクセスできます。</translation>
    </message>
    <message>
        <source>keys create needs --name NAME.</source>
        <translation>keys create には --name NAME が必要です。</translation>
    </message>
    <message>
        <source>Created access key &quot;%1&quot; (%2). This is the only time it is shown: copy it now.</source>
        <translation>アクセスキー「%1」（%2）を作成しました。キーが表示されるのは今回限りです。今すぐコピーしてください。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON で出力します。</translation>
    </message>
    <message>
        <source>No access keys yet. Create one with: switchboard keys create --name NAME</source>
        <translation>アクセスキーはまだありません。作成するには：switchboard keys create --name NAME</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>取り消し済み</translation>
    </message>
    <message>
        <source>active (admin)</source>
        <translation>有効（管理）</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>PREFIX</source>
        <translation>プレフィックス</translation>
    </message>
    <message>
        <source>CREATED</source>
        <translation>作成日時</translation>
    </message>
    <message>
        <source>LAST USED</source>
        <translation>最終使用</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>Revoked access key &quot;%1&quot; (%2…): clients using it are refused from now on.</source>
        <translation>アクセスキー「%1」（%2…）を取り消しました。今後、このキーを使用するクライアントは拒否されます。</translation>
    </message>
</context>
<context>
    <name>LogDebugReader</name>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み取れません：%2</translation>
    </message>
</context>
<context>
    <name>LogExport</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 に書き込めません：%2</translation>
    </message>
</context>
<context>
    <name>LogFormat</name>
    <message>
        <source>499 client closed</source>
        <translation>499 クライアントが切断</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 in · %2 out · %3 cache</source>
        <translation>入力 %1 · 出力 %2 · キャッシュ %3</translation>
    </message>
    <message>
        <source>%1 in · %2 out</source>
        <translation>入力 %1 · 出力 %2</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>アカウントなし</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>クライアントキー</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Upstream model</source>
        <translation>アップストリームのモデル</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>試行回数</translation>
    </message>
    <message>
        <source>Failover path</source>
        <translation>フェイルオーバー経路</translation>
    </message>
    <message>
        <source>Changed by the gateway</source>
        <translation>ゲートウェイによる変更</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>ストリーミング</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>レイテンシ</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>最初のトークン</translation>
    </message>
    <message>
        <source>Input tokens</source>
        <translation>入力トークン</translation>
    </message>
    <message>
        <source>Output tokens</source>
        <translation>出力トークン</translation>
    </message>
    <message>
        <source>Cache read tokens</source>
        <translation>キャッシュ読み取りトークン</translation>
    </message>
    <message>
        <source>Cache write tokens</source>
        <translation>キャッシュ書き込みトークン</translation>
    </message>
    <message>
        <source>Not admitted</source>
        <translation>受け付け拒否</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>拒否</translation>
    </message>
    <message>
        <source>Told the client</source>
        <translation>クライアントへの通知</translation>
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
        <translation>取り消し済みのキー</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>クライアント</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>試行回数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>レイテンシ</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>最初のトークン</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <source>Search client, model, account, status…</source>
        <translation>クライアント、モデル、アカウント、ステータスを検索…</translation>
    </message>
    <message>
        <source>Show the requests of one account</source>
        <translation>特定のアカウントのリクエストを表示します</translation>
    </message>
    <message>
        <source>Show successful requests, errors or one status code</source>
        <translation>成功したリクエスト、エラー、または特定のステータスコードを表示します</translation>
    </message>
    <message>
        <source>Show the requests for one model</source>
        <translation>特定のモデルのリクエストを表示します</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>エクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the requests shown to a CSV or JSON lines file</source>
        <translation>表示中のリクエストを CSV または JSON Lines ファイルに保存します</translation>
    </message>
    <message>
        <source>Request and response bodies</source>
        <translation>リクエストとレスポンスのボディ</translation>
    </message>
    <message>
        <source>Turn on &amp;debug logging</source>
        <translation>デバッグログを有効にする(&amp;D)</translation>
    </message>
    <message>
        <source>Logs request and response bodies (keys masked) from now on; the same switch is in Settings</source>
        <translation>今後、リクエストとレスポンスのボディを記録します（キーはマスクされます）。同じスイッチは設定にもあります</translation>
    </message>
    <message>
        <source>Cannot turn on debug logging: %1. Try again in Settings.</source>
        <translation>デバッグログを有効にできません：%1。設定でもう一度お試しください。</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>すべてのアカウント</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>アカウントなし</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>すべてのモデル</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) shown</source>
        <translation>
            <numerusform>%n 件のリクエストを表示</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1（全 %2 件中）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Cannot load the recent requests: %1. Switch pages to try again.</source>
        <translation>最近のリクエストを読み込めません：%1。ページを切り替えると再試行します。</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>エクスポート中…</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n request(s) to %1.</source>
        <translation>
            <numerusform>%n 件のリクエストを %1 にエクスポートしました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1. Choose another folder and export again.</source>
        <translation>エクスポートに失敗しました：%1。別のフォルダーを選択して、もう一度エクスポートしてください。</translation>
    </message>
    <message>
        <source>Select a request to see its details.</source>
        <translation>リクエストを選択すると詳細が表示されます。</translation>
    </message>
    <message>
        <source>Turn on debug logging in Settings to see bodies.</source>
        <translation>ボディを表示するには、設定でデバッグログを有効にしてください。</translation>
    </message>
    <message>
        <source>Bodies are not logged. Turn on debug logging in Settings to see the bodies of later requests.</source>
        <translation>ボディは記録されていません。設定でデバッグログを有効にすると、以降のリクエストのボディを表示できます。</translation>
    </message>
    <message>
        <source>Looking up the bodies in the debug log…</source>
        <translation>デバッグログからボディを検索しています…</translation>
    </message>
    <message>
        <source>Cannot read the debug log: %1. Check the logs folder&apos;s permissions.</source>
        <translation>デバッグログを読み取れません：%1。ログフォルダーのアクセス許可を確認してください。</translation>
    </message>
    <message>
        <source>This request is not in the debug log: it came before debug logging was on, or the log has rotated since.</source>
        <translation>このリクエストはデバッグログにありません。デバッグログを有効にする前のリクエストか、その後ログがローテーションされています。</translation>
    </message>
    <message>
        <source>Request: %1 %2
%3

Response: %4
%5</source>
        <translation>リクエスト：%1 %2
%3

レスポンス：%4
%5</translation>
    </message>
    <message>
        <source>Export requests</source>
        <translation>リクエストのエクスポート</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV ファイル (*.csv)</translation>
    </message>
    <message>
        <source>JSON lines (*.jsonl)</source>
        <translation>JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>すべてのステータス</translation>
    </message>
    <message>
        <source>Successful</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>エラー</translation>
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
        <translation>概要</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>使用量</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>ログ</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Starting the local endpoint…</source>
        <translation>ローカルエンドポイントを起動中…</translation>
    </message>
    <message>
        <source>Serving Claude-compatible clients at %1</source>
        <translation>%1 で Claude 互換クライアントのリクエストを処理中</translation>
    </message>
    <message>
        <source>The local endpoint is stopped. Start it from the tray menu.</source>
        <translation>ローカルエンドポイントは停止しています。トレイメニューから起動してください。</translation>
    </message>
    <message>
        <source>The local endpoint is not running: %1</source>
        <translation>ローカルエンドポイントが動作していません：%1</translation>
    </message>
</context>
<context>
    <name>MessageRelay</name>
    <message>
        <source>Its API key is still being read from the keychain.</source>
        <translation>このアカウントの API キーをまだキーチェーンから読み込み中です。</translation>
    </message>
    <message>
        <source>Its API key could not be read: %1</source>
        <translation>このアカウントの API キーを読み取れませんでした：%1</translation>
    </message>
    <message>
        <source>the upstream answered with malformed JSON (%1)</source>
        <translation>アップストリームが不正な形式の JSON で応答しました（%1）</translation>
    </message>
    <message>
        <source>%1 400 (thinking refused)</source>
        <translation>%1 400（thinking 拒否）</translation>
    </message>
    <message>
        <source>the upstream&apos;s answer is not a chat completion (%1)</source>
        <translation>アップストリームの応答が Chat Completions の形式ではありません（%1）</translation>
    </message>
    <message>
        <source>The upstream stream ended early (%1).</source>
        <translation>アップストリームのストリームが途中で終了しました（%1）。</translation>
    </message>
    <message>
        <source>no data for too long</source>
        <translation>長時間データが届きません</translation>
    </message>
    <message>
        <source>it closed without message_stop</source>
        <translation>message_stop なしで接続が閉じられました</translation>
    </message>
</context>
<context>
    <name>Migrations</name>
    <message>
        <source>Database schema update failed: %1</source>
        <translation>データベーススキーマの更新に失敗しました：%1</translation>
    </message>
    <message>
        <source>Cannot read the database schema version: %1</source>
        <translation>データベーススキーマのバージョンを読み取れません：%1</translation>
    </message>
    <message>
        <source>The database was written by a newer Switchboard (schema %1, this build knows %2). Update Switchboard.</source>
        <translation>データベースはより新しい Switchboard で書き込まれています（スキーマ %1、このビルドの対応は %2 まで）。Switchboard を更新してください。</translation>
    </message>
</context>
<context>
    <name>ModelMapping</name>
    <message>
        <source>Model mapping &quot;%1&quot; is not of the form PATTERN=MODEL, for example claude-opus-*=gpt-4o.</source>
        <translation>モデルマッピング「%1」が PATTERN=MODEL の形式になっていません（例：claude-opus-*=gpt-4o）。</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>The provider rejected the key of &quot;%1&quot;. Switchboard stopped using it: update the key in Accounts.</source>
        <translation>プロバイダーが「%1」のキーを拒否しました。Switchboard はこのアカウントの使用を停止しました。「アカウント」でキーを更新してください。</translation>
    </message>
    <message>
        <source>The provider rejected the key of &quot;%1&quot; (%2). Switchboard stopped using it: update the key in Accounts.</source>
        <translation>プロバイダーが「%1」のキーを拒否しました（%2）。Switchboard はこのアカウントの使用を停止しました。「アカウント」でキーを更新してください。</translation>
    </message>
    <message>
        <source>Account key rejected</source>
        <translation>アカウントのキーが拒否されました</translation>
    </message>
    <message>
        <source>No account can serve requests</source>
        <translation>リクエストを処理できるアカウントがありません</translation>
    </message>
    <message numerus="yes">
        <source>All %n account(s) are cooling down, rejected or parked. Requests fail until one recovers; check Accounts for the reasons.</source>
        <translation>
            <numerusform>%n 件のアカウントすべてがクールダウン中、キー拒否、または一時停止中です。いずれかが回復するまでリクエストは失敗します。原因は「アカウント」で確認してください。</numerusform>
        </translation>
    </message>
    <message>
        <source>The local endpoint is not running</source>
        <translation>ローカルエンドポイントが動作していません</translation>
    </message>
    <message>
        <source>The local endpoint is running again</source>
        <translation>ローカルエンドポイントが再び動作しています</translation>
    </message>
    <message>
        <source>Clients can reach Switchboard at %1.</source>
        <translation>クライアントは %1 で Switchboard に接続できます。</translation>
    </message>
    <message>
        <source>A client keeps being refused</source>
        <translation>クライアントが繰り返し拒否されています</translation>
    </message>
    <message>
        <source>Switchboard refused %1 several times: %2 If this is Claude Code, open Settings ▸ Connect Claude Code to give it a working key.</source>
        <translation>Switchboard は %1 を何度も拒否しました：%2 Claude Code の場合は、「設定 ▸ Claude Code を接続」で有効なキーを設定してください。</translation>
    </message>
</context>
<context>
    <name>OpenAIError</name>
    <message>
        <source>The provider reported an error in the stream without a message.</source>
        <translation>プロバイダーがストリーム内でエラーを報告しましたが、メッセージはありません。</translation>
    </message>
    <message>
        <source>Provider error in the stream: %1</source>
        <translation>ストリーム内のプロバイダーエラー：%1</translation>
    </message>
    <message>
        <source>The provider answered HTTP %1 without an error message.</source>
        <translation>プロバイダーが HTTP %1 を返しましたが、エラーメッセージはありません。</translation>
    </message>
    <message>
        <source>Provider error (HTTP %1): %2</source>
        <translation>プロバイダーエラー（HTTP %1）：%2</translation>
    </message>
</context>
<context>
    <name>OpenAIRequest</name>
    <message>
        <source>tools[%1] has no name.</source>
        <translation>tools[%1] に name がありません。</translation>
    </message>
    <message>
        <source>tool_choice of type &quot;tool&quot; needs a name.</source>
        <translation>種類が &quot;tool&quot; の tool_choice には name が必要です。</translation>
    </message>
    <message>
        <source>Unknown tool_choice type &quot;%1&quot;.</source>
        <translation>不明な tool_choice の種類「%1」です。</translation>
    </message>
</context>
<context>
    <name>OpenAIResponse</name>
    <message>
        <source>The provider&apos;s answer has no choices.</source>
        <translation>プロバイダーの応答に choices がありません。</translation>
    </message>
    <message>
        <source>The provider answered with an error: %1</source>
        <translation>プロバイダーがエラーを返しました：%1</translation>
    </message>
</context>
<context>
    <name>OpenAIStreamTranslator</name>
    <message>
        <source>The provider sent more than %1 of unfinished tool-call arguments and text held back behind them; the answer was cut off there.</source>
        <translation>プロバイダーが、未完了のツール呼び出し引数とその後ろに保留されたテキストを %1 を超えて送信したため、応答はそこで打ち切られました。</translation>
    </message>
    <message>
        <source>The provider sent a stream chunk that is not JSON.</source>
        <translation>プロバイダーが JSON ではないストリームチャンクを送信しました。</translation>
    </message>
    <message>
        <source>The provider ended the stream before the answer was complete.</source>
        <translation>プロバイダーが応答の完了前にストリームを終了しました。</translation>
    </message>
</context>
<context>
    <name>OverviewAccountsModel</name>
    <message>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Requests left</source>
        <translation>残りリクエスト</translation>
    </message>
    <message>
        <source>Tokens left</source>
        <translation>残りトークン</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>本日</translation>
    </message>
    <message>
        <source>What the provider&apos;s last answer said is left of its rate limit, and when the limit fills up again. Not every provider says.</source>
        <translation>プロバイダーの直近の応答に示されたレート制限の残量と、上限まで回復する時刻です。この情報を返さないプロバイダーもあります。</translation>
    </message>
    <message>
        <source>Requests this account served today.</source>
        <translation>このアカウントが本日処理したリクエスト数です。</translation>
    </message>
    <message>
        <source>%1 (pinned)</source>
        <translation>%1（ピン留め中）</translation>
    </message>
</context>
<context>
    <name>OverviewFigures</name>
    <message>
        <source>%1 · pinned</source>
        <translation>%1 · ピン留め中</translation>
    </message>
    <message>
        <source>%1 · same conversation</source>
        <translation>%1 · 同じ会話</translation>
    </message>
    <message>
        <source>%1 · after another account failed</source>
        <translation>%1 · 別のアカウントの失敗後</translation>
    </message>
    <message>
        <source>%1 · chosen by the %2 strategy</source>
        <translation>%1 · ストラテジー「%2」で選択</translation>
    </message>
    <message>
        <source>No request served yet</source>
        <translation>まだリクエストを処理していません</translation>
    </message>
    <message>
        <source>full again</source>
        <translation>全回復</translation>
    </message>
    <message>
        <source>%1 of %2 left</source>
        <translation>残り %1 / %2</translation>
    </message>
    <message>
        <source>%1 · resets %2</source>
        <translation>%1 · %2 にリセット</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>no account could serve the last request (%1)</source>
        <translation>直前のリクエストを処理できるアカウントがありません（%1）</translation>
    </message>
    <message>
        <source>failed over: %1</source>
        <translation>フェイルオーバー：%1</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <source>Copied</source>
        <translation>コピーしました</translation>
    </message>
    <message>
        <source>Copy address</source>
        <translation>アドレスをコピー</translation>
    </message>
    <message>
        <source>Copies the address clients use as their base URL</source>
        <translation>クライアントがベース URL として使うアドレスをコピーします</translation>
    </message>
    <message>
        <source>Serving now:</source>
        <translation>処理中のアカウント:</translation>
    </message>
    <message>
        <source>Requests today</source>
        <translation>本日のリクエスト</translation>
    </message>
    <message>
        <source>Tokens today</source>
        <translation>本日のトークン</translation>
    </message>
    <message>
        <source>Estimated cost today</source>
        <translation>本日の推定コスト</translation>
    </message>
    <message>
        <source>Upstream error rate</source>
        <translation>アップストリームのエラー率</translation>
    </message>
    <message>
        <source>Requests per minute, last hour</source>
        <translation>1 分あたりのリクエスト数（過去 1 時間）</translation>
    </message>
    <message>
        <source>Recent failures</source>
        <translation>最近の失敗</translation>
    </message>
    <message>
        <source>No failed request today.</source>
        <translation>本日失敗したリクエストはありません。</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>● Starting…</source>
        <translation>● 起動中…</translation>
    </message>
    <message>
        <source>● Serving at</source>
        <translation>● 稼働中</translation>
    </message>
    <message>
        <source>● Stopped: clients cannot connect.</source>
        <translation>● 停止中：クライアントは接続できません。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>起動</translation>
    </message>
    <message>
        <source>● Not running: %1</source>
        <translation>● 動作していません：%1</translation>
    </message>
    <message>
        <source>Change the port…</source>
        <translation>ポートを変更…</translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled by the client</source>
        <translation>
            <numerusform>クライアントによるキャンセル %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>since midnight</source>
        <translation>午前 0 時以降</translation>
    </message>
    <message>
        <source>input, output and cache</source>
        <translation>入力、出力、キャッシュ</translation>
    </message>
    <message>
        <source>estimate from your price table</source>
        <translation>価格表に基づく推定</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>価格表にないモデルのリクエスト %n 件は含まれていません</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>直近 %n 件のリクエストに基づく推定</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message numerus="yes">
        <source>%n client error(s) not counted</source>
        <translation>
            <numerusform>クライアントエラー %n 件は含まれていません</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
    <message>
        <source>Clients cannot use Switchboard yet: each needs an access key (Claude Code too).</source>
        <translation>クライアントはまだ Switchboard を使えません。各クライアント（Claude Code を含む）にアクセスキーが必要です。</translation>
    </message>
    <message>
        <source>Create access key…</source>
        <translation>アクセスキーを作成…</translation>
    </message>
    <message numerus="yes">
        <source>%n failed attempt(s) of %1</source>
        <translation>
            <numerusform>%1 回の試行のうち %n 回失敗</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PriceTable</name>
    <message>
        <source>The price file is not a JSON object with a &quot;prices&quot; list.</source>
        <translation>価格ファイルが &quot;prices&quot; リストを含む JSON オブジェクトではありません。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み取れません：%2</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 に書き込めません：%2</translation>
    </message>
</context>
<context>
    <name>PriceTableDialog</name>
    <message>
        <source>Model prices</source>
        <translation>モデルの価格</translation>
    </message>
    <message>
        <source>Estimated prices in US dollars per million tokens, used only to estimate costs on the Usage page. They are not your bill: edit them to match your plan. A model uses the first row whose pattern matches it; * matches any characters.</source>
        <translation>100 万トークンあたりの推定価格（米ドル）です。「使用量」ページでのコストの推定にのみ使用され、実際の請求額ではありません。ご利用のプランに合わせて編集してください。各モデルには、パターンが一致する最初の行が使われます。* は任意の文字列に一致します。</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>追加(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>削除(&amp;R)</translation>
    </message>
    <message>
        <source>Restore &amp;defaults</source>
        <translation>既定値に戻す(&amp;D)</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) have no model pattern and match nothing: type one, e.g. claude-sonnet-4*, or remove the row.</source>
        <translation>
            <numerusform>%n 行にモデルパターンがないため、どのモデルにも一致しません。パターン（例：claude-sonnet-4*）を入力するか、行を削除してください。</numerusform>
        </translation>
    </message>
    <message>
        <source>Model pattern</source>
        <translation>モデルパターン</translation>
    </message>
    <message>
        <source>Input $/M</source>
        <translation>入力 $/M</translation>
    </message>
    <message>
        <source>Output $/M</source>
        <translation>出力 $/M</translation>
    </message>
    <message>
        <source>Cache read $/M</source>
        <translation>キャッシュ読み取り $/M</translation>
    </message>
    <message>
        <source>Cache write $/M</source>
        <translation>キャッシュ書き込み $/M</translation>
    </message>
</context>
<context>
    <name>ProviderPreset</name>
    <message>
        <source>Other Anthropic-compatible</source>
        <translation>その他の Anthropic 互換サービス</translation>
    </message>
    <message>
        <source>Other OpenAI-compatible</source>
        <translation>その他の OpenAI 互換サービス</translation>
    </message>
</context>
<context>
    <name>RefusalTally</name>
    <message>
        <source>other clients</source>
        <translation>その他のクライアント</translation>
    </message>
    <message>
        <source>Several clients were refused; each was told why.</source>
        <translation>複数のクライアントが拒否されました。それぞれに理由を伝えています。</translation>
    </message>
</context>
<context>
    <name>RequestFramer</name>
    <message>
        <source>The request has no request line.</source>
        <translation>リクエストにリクエスト行がありません。</translation>
    </message>
    <message>
        <source>The request line is malformed: it must read METHOD /path HTTP/1.1.</source>
        <translation>リクエスト行の形式が正しくありません。METHOD /path HTTP/1.1 の形式である必要があります。</translation>
    </message>
    <message>
        <source>%1 is not supported: Switchboard speaks HTTP/1.1.</source>
        <translation>%1 はサポートされていません。Switchboard は HTTP/1.1 で通信します。</translation>
    </message>
    <message>
        <source>The request has more than %1 header fields.</source>
        <translation>リクエストのヘッダーフィールドが %1 個を超えています。</translation>
    </message>
    <message>
        <source>The request uses folded header lines, which HTTP/1.1 forbids.</source>
        <translation>リクエストで折り返されたヘッダー行が使われています。これは HTTP/1.1 で禁止されています。</translation>
    </message>
    <message>
        <source>A request header line is malformed.</source>
        <translation>リクエストヘッダーの行の形式が正しくありません。</translation>
    </message>
    <message>
        <source>The request has more than one Content-Length.</source>
        <translation>リクエストに Content-Length が複数あります。</translation>
    </message>
    <message>
        <source>The request&apos;s Content-Length is not a number.</source>
        <translation>リクエストの Content-Length が数値ではありません。</translation>
    </message>
    <message>
        <source>The request has more than one Transfer-Encoding.</source>
        <translation>リクエストに Transfer-Encoding が複数あります。</translation>
    </message>
    <message>
        <source>Transfer-Encoding &quot;%1&quot; is not supported; send chunked or a Content-Length.</source>
        <translation>Transfer-Encoding「%1」はサポートされていません。chunked または Content-Length を使用してください。</translation>
    </message>
    <message>
        <source>Expect: %1 is not supported.</source>
        <translation>Expect: %1 はサポートされていません。</translation>
    </message>
    <message>
        <source>The request has more than one %1 header.</source>
        <translation>リクエストに %1 ヘッダーが複数あります。</translation>
    </message>
    <message>
        <source>The request has more than one Host header.</source>
        <translation>リクエストに Host ヘッダーが複数あります。</translation>
    </message>
    <message>
        <source>The request has both Content-Length and Transfer-Encoding.</source>
        <translation>リクエストに Content-Length と Transfer-Encoding の両方があります。</translation>
    </message>
    <message>
        <source>The request body is larger than %1 MiB.</source>
        <translation>リクエストボディが %1 MiB を超えています。</translation>
    </message>
    <message>
        <source>A chunk of the request body is not followed by CRLF.</source>
        <translation>リクエストボディのチャンクの後に CRLF がありません。</translation>
    </message>
    <message>
        <source>The request starts with too many empty lines.</source>
        <translation>リクエストの先頭に空行が多すぎます。</translation>
    </message>
    <message>
        <source>The request headers are larger than %1 KiB.</source>
        <translation>リクエストヘッダーが %1 KiB を超えています。</translation>
    </message>
    <message>
        <source>A chunk header of the request body is malformed.</source>
        <translation>リクエストボディのチャンクヘッダーの形式が正しくありません。</translation>
    </message>
    <message>
        <source>Trailers after a chunked request body are not supported.</source>
        <translation>チャンク形式のリクエストボディの後のトレーラーはサポートされていません。</translation>
    </message>
</context>
<context>
    <name>RuntimeFacade</name>
    <message numerus="yes">
        <source>%1 (%n times)</source>
        <translation>
            <numerusform>%1（%n 回）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SecretInput</name>
    <message>
        <source>Cannot read standard input.</source>
        <translation>標準入力を読み取れません。</translation>
    </message>
    <message>
        <source>No API key was given: pipe it on standard input, for example switchboard accounts add … &lt; key.txt</source>
        <translation>API キーが指定されていません。標準入力からパイプで渡してください（例：switchboard accounts add … &lt; key.txt）</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>IP address the local endpoint listens on</source>
        <translation>ローカルエンドポイントが待ち受ける IP アドレス</translation>
    </message>
    <message>
        <source>TCP port of the local endpoint</source>
        <translation>ローカルエンドポイントの TCP ポート</translation>
    </message>
    <message>
        <source>Browser origins allowed to call the endpoint, comma-separated</source>
        <translation>エンドポイントの呼び出しを許可するブラウザーのオリジン（カンマ区切り）</translation>
    </message>
    <message>
        <source>Forward a client key that is not a local access key upstream</source>
        <translation>ローカルのアクセスキーではないクライアントキーをアップストリームに転送する</translation>
    </message>
    <message>
        <source>Seconds of upstream silence before an attempt counts as timed out</source>
        <translation>アップストリームからの応答がこの秒数ない場合、その試行をタイムアウトとみなす</translation>
    </message>
    <message>
        <source>Seconds after which a request starts no new attempt</source>
        <translation>リクエストの開始からこの秒数を過ぎると、新しい試行を開始しない</translation>
    </message>
    <message>
        <source>How to pick an account within a tier</source>
        <translation>ティア内でアカウントを選ぶ方法</translation>
    </message>
    <message>
        <source>Minutes between automatic account checks (0: never)</source>
        <translation>アカウントを自動確認する間隔（分、0：確認しない）</translation>
    </message>
    <message>
        <source>Consecutive errors after which an account rests for a while</source>
        <translation>アカウントがクールダウンに入るまでの連続エラー数</translation>
    </message>
    <message>
        <source>Seconds an account rests after a rate limit without retry-after</source>
        <translation>retry-after のないレート制限の後、アカウントがクールダウンする秒数</translation>
    </message>
    <message>
        <source>Seconds an account rests after an overloaded answer</source>
        <translation>過負荷の応答の後、アカウントがクールダウンする秒数</translation>
    </message>
    <message>
        <source>Seconds an account rests after repeated errors</source>
        <translation>エラーが繰り返された後、アカウントがクールダウンする秒数</translation>
    </message>
    <message>
        <source>Seconds an account skips a model it was refused access to</source>
        <translation>アクセスを拒否されたモデルを、アカウントがスキップする秒数</translation>
    </message>
    <message>
        <source>Minutes a conversation stays on its account (0: no stickiness)</source>
        <translation>会話が同じアカウントに留まる時間（分、0：固定しない）</translation>
    </message>
    <message>
        <source>Log request and response bodies (keys masked)</source>
        <translation>リクエストとレスポンスのボディを記録する（キーはマスク）</translation>
    </message>
    <message>
        <source>Language of the window</source>
        <translation>ウィンドウの表示言語</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>起動時にトレイに最小化する</translation>
    </message>
    <message>
        <source>Closing the window keeps Switchboard serving in the tray</source>
        <translation>ウィンドウを閉じても Switchboard はトレイで動作を続ける</translation>
    </message>
    <message>
        <source>Start Switchboard when you log in</source>
        <translation>ログイン時に Switchboard を起動する</translation>
    </message>
    <message>
        <source>%1 must be true or false (got &quot;%2&quot;).</source>
        <translation>%1 には true または false を指定してください（指定値：「%2」）。</translation>
    </message>
    <message>
        <source>%1 must be a whole number (got &quot;%2&quot;).</source>
        <translation>%1 には整数を指定してください（指定値：「%2」）。</translation>
    </message>
    <message>
        <source>Unknown setting &quot;%1&quot;. List them with: switchboard settings list</source>
        <translation>不明な設定「%1」です。一覧の表示：switchboard settings list</translation>
    </message>
    <message>
        <source>%1 must be true or false.</source>
        <translation>%1 には true または false を指定してください。</translation>
    </message>
    <message>
        <source>%1 must be a whole number.</source>
        <translation>%1 には整数を指定してください。</translation>
    </message>
    <message>
        <source>%1 must be between %2 and %3 (got %4).</source>
        <translation>%1 は %2～%3 の範囲で指定してください（指定値：%4）。</translation>
    </message>
    <message>
        <source>%1 must be one of: %2 (got &quot;%3&quot;).</source>
        <translation>%1 には次のいずれかを指定してください：%2（指定値：「%3」）。</translation>
    </message>
    <message>
        <source>%1 must be a list of origins.</source>
        <translation>%1 にはオリジンのリストを指定してください。</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not an origin such as http://localhost:3000.</source>
        <translation>%1：「%2」は http://localhost:3000 のようなオリジンではありません。</translation>
    </message>
    <message>
        <source>%1 must be an IP address such as 127.0.0.1 (got &quot;%2&quot;).</source>
        <translation>%1 には 127.0.0.1 のような IP アドレスを指定してください（指定値：「%2」）。</translation>
    </message>
</context>
<context>
    <name>SettingsChoices</name>
    <message>
        <source>Listen address</source>
        <translation>待ち受けアドレス</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <source>Allowed browser origins</source>
        <translation>許可するブラウザーのオリジン</translation>
    </message>
    <message>
        <source>Pass unknown client keys upstream</source>
        <translation>不明なクライアントキーをアップストリームに転送</translation>
    </message>
    <message>
        <source>Upstream timeout</source>
        <translation>アップストリームのタイムアウト</translation>
    </message>
    <message>
        <source>Request deadline</source>
        <translation>リクエストの期限</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>ストラテジー</translation>
    </message>
    <message>
        <source>Check accounts every</source>
        <translation>アカウントの確認間隔</translation>
    </message>
    <message>
        <source>Errors before a rest</source>
        <translation>クールダウンまでのエラー数</translation>
    </message>
    <message>
        <source>After a rate limit</source>
        <translation>レート制限の後</translation>
    </message>
    <message>
        <source>After &quot;overloaded&quot;</source>
        <translation>「過負荷」の後</translation>
    </message>
    <message>
        <source>After repeated errors</source>
        <translation>連続エラーの後</translation>
    </message>
    <message>
        <source>After a refused model</source>
        <translation>モデルを拒否された後</translation>
    </message>
    <message>
        <source>Keep a conversation on its account for</source>
        <translation>会話を同じアカウントに留める時間</translation>
    </message>
    <message>
        <source>Debug logging</source>
        <translation>デバッグログ</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>起動時にトレイに最小化する</translation>
    </message>
    <message>
        <source>Closing the window keeps Switchboard serving in the tray</source>
        <translation>ウィンドウを閉じても Switchboard はトレイで動作を続ける</translation>
    </message>
    <message>
        <source>Start Switchboard when you log in</source>
        <translation>ログイン時に Switchboard を起動する</translation>
    </message>
    <message>
        <source>Switchboard starts in the background when you log in to this computer.</source>
        <translation>このコンピューターにログインすると、Switchboard がバックグラウンドで起動します。</translation>
    </message>
    <message>
        <source>Only the tray icon appears at start; click it to open the window. Without a system tray the window always opens.</source>
        <translation>起動時にはトレイアイコンのみが表示されます。クリックするとウィンドウが開きます。システムトレイがない場合は、常にウィンドウが開きます。</translation>
    </message>
    <message>
        <source>The local endpoint keeps serving after you close the window. Quit from the tray menu.</source>
        <translation>ウィンドウを閉じても、ローカルエンドポイントは動作し続けます。終了するにはトレイメニューを使用してください。</translation>
    </message>
    <message numerus="yes">
        <source>minute(s)</source>
        <translation>
            <numerusform>分</numerusform>
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
            <numerusform>回</numerusform>
        </translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>優先度</translation>
    </message>
    <message>
        <source>Round robin</source>
        <translation>ラウンドロビン</translation>
    </message>
    <message>
        <source>Least used</source>
        <translation>最少使用</translation>
    </message>
    <message>
        <source>Weighted</source>
        <translation>重み付け</translation>
    </message>
    <message>
        <source>The healthy account with the highest priority serves every request; the others stand by.</source>
        <translation>優先度が最も高い正常なアカウントがすべてのリクエストを処理し、他のアカウントは待機します。</translation>
    </message>
    <message>
        <source>Accounts take turns, one request each.</source>
        <translation>アカウントが 1 リクエストずつ交代で処理します。</translation>
    </message>
    <message>
        <source>The account that served the fewest requests goes next.</source>
        <translation>処理したリクエストが最も少ないアカウントが次を担当します。</translation>
    </message>
    <message>
        <source>Requests are shared in proportion to each account&apos;s weight.</source>
        <translation>各アカウントの重みに比例してリクエストを配分します。</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>システムの言語</translation>
    </message>
</context>
<context>
    <name>SettingsCommand</name>
    <message>
        <source>Print JSON.</source>
        <translation>JSON で出力します。</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <source>%1 is back to its default.</source>
        <translation>%1 を既定値に戻しました。</translation>
    </message>
    <message>
        <source>KEY</source>
        <translation>キー</translation>
    </message>
    <message>
        <source>VALUE</source>
        <translation>値</translation>
    </message>
    <message>
        <source>DEFAULT</source>
        <translation>既定値</translation>
    </message>
    <message>
        <source>DESCRIPTION</source>
        <translation>説明</translation>
    </message>
</context>
<context>
    <name>SettingsForm</name>
    <message>
        <source>Enter a whole number from %1 to %2. This value was not saved.</source>
        <translation>%1～%2 の整数を入力してください。この値は保存されていません。</translation>
    </message>
    <message>
        <source>Enter an IP address such as 127.0.0.1 (this computer only). This value was not saved.</source>
        <translation>127.0.0.1（このコンピューターのみ）のような IP アドレスを入力してください。この値は保存されていません。</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>保存されていません：%1</translation>
    </message>
    <message>
        <source>Press Enter to save</source>
        <translation>Enter キーで保存</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
    <message>
        <source>✔ Saved</source>
        <translation>✔ 保存しました</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>保存されていません</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>Local endpoint</source>
        <translation>ローカルエンドポイント</translation>
    </message>
    <message>
        <source>Routing</source>
        <translation>ルーティング</translation>
    </message>
    <message>
        <source>Health checks</source>
        <translation>ヘルスチェック</translation>
    </message>
    <message>
        <source>Cooldowns</source>
        <translation>クールダウン</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>診断</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>詳細設定</translation>
    </message>
    <message>
        <source>Startup and tray</source>
        <translation>起動とトレイ</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
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
        <translation>ローカルエンドポイントを起動中…</translation>
    </message>
    <message>
        <source>✔ Running at %1</source>
        <translation>✔ %1 で稼働中</translation>
    </message>
    <message>
        <source>The local endpoint is stopped. Start it from the tray menu.</source>
        <translation>ローカルエンドポイントは停止しています。トレイメニューから起動してください。</translation>
    </message>
    <message>
        <source>The local endpoint could not start: %1</source>
        <translation>ローカルエンドポイントを起動できませんでした：%1</translation>
    </message>
    <message>
        <source>⚠ Debug logging is on: request and response bodies (your prompts and the answers) are written to %1, with keys masked to their last 4 characters. Turn it off when you are done.</source>
        <translation>⚠ デバッグログが有効です：リクエストとレスポンスのボディ（プロンプトとその応答）が %1 に書き込まれます。キーは末尾 4 文字以外がマスクされます。作業が終わったら無効にしてください。</translation>
    </message>
    <message>
        <source>When on, request and response bodies (your prompts and the answers) are written to %1 on this computer, with keys masked to their last 4 characters.</source>
        <translation>有効にすると、リクエストとレスポンスのボディ（プロンプトとその応答）が、このコンピューター上の %1 に書き込まれます。キーは末尾 4 文字以外がマスクされます。</translation>
    </message>
    <message>
        <source>Gateway</source>
        <translation>ゲートウェイ</translation>
    </message>
    <message>
        <source>App</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <source>Access keys</source>
        <translation>アクセスキー</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>Claude Code を接続</translation>
    </message>
    <message>
        <source>Start at login was saved, but the desktop entry was not changed: %1</source>
        <translation>「ログイン時に起動」は保存されましたが、デスクトップエントリーは変更されませんでした：%1</translation>
    </message>
</context>
<context>
    <name>Sql</name>
    <message>
        <source>Database error: %1</source>
        <translation>データベースエラー：%1</translation>
    </message>
</context>
<context>
    <name>StartOptions</name>
    <message>
        <source>--listen must be HOST:PORT with an IP address, for example 127.0.0.1:%1 (got &quot;%2&quot;).</source>
        <translation>--listen には IP アドレスを使った HOST:PORT を指定してください（例：127.0.0.1:%1、指定値：「%2」）。</translation>
    </message>
    <message>
        <source>--data-dir needs a folder.</source>
        <translation>--data-dir にはフォルダーを指定してください。</translation>
    </message>
    <message>
        <source>--secrets-file needs a file path.</source>
        <translation>--secrets-file にはファイルパスを指定してください。</translation>
    </message>
    <message>
        <source>Unknown option %1 (see switchboard --help).</source>
        <translation>不明なオプション %1 です（switchboard --help を参照してください）。</translation>
    </message>
    <message>
        <source>--headless takes no command (got &quot;%1&quot;).</source>
        <translation>--headless にはコマンドを指定できません（指定値：「%1」）。</translation>
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
        <translation>使い方：switchboard [--data-dir DIR] [--secrets-file PATH] [COMMAND]

コマンドを指定しない場合はデスクトップアプリを起動し、--headless を指定した場合はゲートウェイのみを起動します。

  --headless [--listen HOST:PORT]  SIGINT/SIGTERM を受け取るまでウィンドウなしで動作
  --data-dir DIR                   データベースの場所（または $SWITCHBOARD_DATA_DIR）
  --secrets-file PATH              API キーをシステムのキーチェーンではなく非公開の
                                   ファイルに保存（キーチェーンのないサーバー向け）

コマンド（それぞれ --help あり）：
  accounts add|list|show|edit|remove|enable|disable
  accounts validate NAME|ID | --all   トークンを消費せずにキーを確認
  accounts import FILE | export FILE [--with-secrets]
  keys create|list|revoke
  settings list|get|set|reset
  stats [--since 24h] [--json]      アカウントごとのリクエスト数、トークン数、レイテンシ

API キーは標準入力から読み取ります。コマンドラインからは読み取りません。
終了コード：0 成功、1 ストレージまたはキーチェーンの障害、2 入力エラー。
$SWITCHBOARD_DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DB を設定すると PostgreSQL を使用します。</translation>
    </message>
</context>
<context>
    <name>StatsCommand</name>
    <message>
        <source>Time span: 90m, 24h, 7d or all (default 24h).</source>
        <translation>期間：90m、24h、7d、または all（既定値：24h）。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON で出力します。</translation>
    </message>
    <message>
        <source>--since must look like 90m, 24h, 7d or all (got &quot;%1&quot;).</source>
        <translation>--since には 90m、24h、7d、all のいずれかの形式を指定してください（指定値：「%1」）。</translation>
    </message>
    <message>
        <source>No requests in this period.</source>
        <translation>この期間にリクエストはありません。</translation>
    </message>
    <message>
        <source>(no account)</source>
        <translation>（アカウントなし）</translation>
    </message>
    <message>
        <source>ACCOUNT</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>REQUESTS</source>
        <translation>リクエスト数</translation>
    </message>
    <message>
        <source>ERRORS</source>
        <translation>エラー数</translation>
    </message>
    <message>
        <source>IN</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>OUT</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>CACHE READ</source>
        <translation>キャッシュ読み取り</translation>
    </message>
    <message>
        <source>CACHE WRITE</source>
        <translation>キャッシュ書き込み</translation>
    </message>
    <message>
        <source>P50 MS</source>
        <translation>P50 ms</translation>
    </message>
    <message>
        <source>P95 MS</source>
        <translation>P95 ms</translation>
    </message>
</context>
<context>
    <name>StorageSecretStore</name>
    <message>
        <source>the storage thread&apos;s secret store</source>
        <translation>ストレージスレッドのシークレットストア</translation>
    </message>
    <message>
        <source>The secret store is not open yet.</source>
        <translation>シークレットストアがまだ開かれていません。</translation>
    </message>
    <message>
        <source>The storage thread has stopped.</source>
        <translation>ストレージスレッドが停止しました。</translation>
    </message>
</context>
<context>
    <name>ThinkingHandoff</name>
    <message>
        <source>an unknown account</source>
        <translation>不明なアカウント</translation>
    </message>
    <message>
        <source>thinking dropped: from another provider</source>
        <translation>thinking ブロックを削除：別のプロバイダーによるもの</translation>
    </message>
    <message>
        <source>thinking dropped: signed by %1</source>
        <translation>thinking ブロックを削除：%1 による署名</translation>
    </message>
    <message>
        <source>; thinking turned off for this turn</source>
        <translation>；このターンでは thinking を無効化</translation>
    </message>
</context>
<context>
    <name>TransferCommand</name>
    <message>
        <source>Include the API keys (plaintext!).</source>
        <translation>API キーを含めます（平文です！）。</translation>
    </message>
    <message>
        <source>warning: the export contains API keys in plaintext. Keep it private and delete it when done.</source>
        <translation>警告：エクスポートには API キーが平文で含まれています。他人に見られないよう保管し、使い終わったら削除してください。</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n account(s) to %1.</source>
        <translation>
            <numerusform>%n 件のアカウントを %1 にエクスポートしました。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n account(s).</source>
        <translation>
            <numerusform>%n 件のアカウントをインポートしました。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n account(s) had no API key and were left disabled; set one with: switchboard accounts edit NAME --secret &lt; key.txt</source>
        <translation>
            <numerusform>%n 件のアカウントには API キーがないため、無効のままにしました。次のコマンドで設定してください：switchboard accounts edit NAME --secret &lt; key.txt</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 を読み取れません：%2</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Open Switchboard</source>
        <translation>Switchboard を開く</translation>
    </message>
    <message>
        <source>Copy base URL</source>
        <translation>ベース URL をコピー</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>ストラテジー</translation>
    </message>
    <message>
        <source>Pin account</source>
        <translation>アカウントをピン留め</translation>
    </message>
    <message>
        <source>Quit Switchboard</source>
        <translation>Switchboard を終了</translation>
    </message>
    <message>
        <source>Stop the local endpoint</source>
        <translation>ローカルエンドポイントを停止</translation>
    </message>
    <message>
        <source>Start the local endpoint</source>
        <translation>ローカルエンドポイントを起動</translation>
    </message>
    <message>
        <source>None (automatic routing)</source>
        <translation>なし（自動ルーティング）</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n request(s) today</source>
        <translation>
            <numerusform>%1 — 本日のリクエスト %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Switchboard: %1</source>
        <translation>Switchboard: %1</translation>
    </message>
    <message>
        <source>Switchboard keeps serving</source>
        <translation>Switchboard は稼働を続けています</translation>
    </message>
    <message>
        <source>The window is closed, the local endpoint still serves your clients. Open Switchboard or quit it from this icon&apos;s menu.</source>
        <translation>ウィンドウは閉じましたが、ローカルエンドポイントは引き続きクライアントにサービスを提供しています。このアイコンのメニューから Switchboard を開くか終了できます。</translation>
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
        <translation>ローカルエンドポイントを起動しています。</translation>
    </message>
    <message>
        <source>The local endpoint is stopped.</source>
        <translation>ローカルエンドポイントは停止しています。</translation>
    </message>
    <message>
        <source>The local endpoint is not running: %1</source>
        <translation>ローカルエンドポイントが動作していません：%1</translation>
    </message>
    <message>
        <source>No enabled account: add one in the window.</source>
        <translation>有効なアカウントがありません。ウィンドウから追加してください。</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n account(s) can serve requests.</source>
        <translation>
            <numerusform>%n 件中 %1 件のアカウントがリクエストを処理できます。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnservedAnswer</name>
    <message>
        <source>Switchboard has no upstream accounts yet: add one in the window or with: switchboard accounts add --name NAME &lt; key.txt</source>
        <translation>Switchboard にはまだアップストリームのアカウントがありません。ウィンドウで追加するか、次のコマンドで追加してください：switchboard accounts add --name NAME &lt; key.txt</translation>
    </message>
    <message>
        <source>No enabled account may serve the model &quot;%1&quot;. Check the accounts&apos; allowed models.</source>
        <translation>モデル「%1」を扱える有効なアカウントがありません。各アカウントの許可するモデルを確認してください。</translation>
    </message>
    <message>
        <source>Every account that serves this model is resting after repeated upstream errors; the first is tried again at %1.</source>
        <translation>このモデルを扱うすべてのアカウントが、アップストリームのエラーが続いたためクールダウン中です。最初のアカウントは %1 に再試行されます。</translation>
    </message>
    <message>
        <source>Every account that serves this model is resting; the first is available again at %1.</source>
        <translation>このモデルを扱うすべてのアカウントがクールダウン中です。最初のアカウントは %1 に再び利用可能になります。</translation>
    </message>
    <message>
        <source>Every account that serves the model &quot;%1&quot; was refused access to it by its provider; they are tried again at %2.</source>
        <translation>モデル「%1」を扱うすべてのアカウントが、プロバイダーによってこのモデルへのアクセスを拒否されました。%2 に再試行されます。</translation>
    </message>
    <message>
        <source>No account is available: every account is disabled, parked or has an invalid key. Open Switchboard to fix them.</source>
        <translation>利用できるアカウントがありません。すべてのアカウントが無効、一時停止中、またはキーが無効です。Switchboard を開いて修正してください。</translation>
    </message>
    <message>
        <source>The upstream account failed. %1</source>
        <translation>アップストリームのアカウントで失敗しました。%1</translation>
    </message>
    <message>
        <source>All %1 upstream attempts failed. %2</source>
        <translation>アップストリームへの %1 回の試行がすべて失敗しました。%2</translation>
    </message>
</context>
<context>
    <name>UpstreamMessage</name>
    <message>
        <source>an HTML page</source>
        <translation>HTML ページ</translation>
    </message>
    <message>
        <source>HTTP %1 with no details</source>
        <translation>HTTP %1（詳細なし）</translation>
    </message>
</context>
<context>
    <name>UpstreamReply</name>
    <message>
        <source>the gateway is shutting down</source>
        <translation>ゲートウェイはシャットダウン中です</translation>
    </message>
    <message>
        <source>the upstream did not answer in HTTP/1.1</source>
        <translation>アップストリームが HTTP/1.1 で応答しませんでした</translation>
    </message>
    <message>
        <source>the upstream sent a malformed chunk</source>
        <translation>アップストリームが不正な形式のチャンクを送信しました</translation>
    </message>
    <message>
        <source>the upstream sent a malformed Content-Length</source>
        <translation>アップストリームが不正な形式の Content-Length を送信しました</translation>
    </message>
    <message>
        <source>the upstream closed the connection before the answer was complete</source>
        <translation>アップストリームが応答の完了前に接続を閉じました</translation>
    </message>
    <message>
        <source>the request was aborted</source>
        <translation>リクエストは中止されました</translation>
    </message>
</context>
<context>
    <name>UpstreamValidator</name>
    <message>
        <source>The key works (%1 ms).</source>
        <translation>キーは有効です（%1 ms）。</translation>
    </message>
</context>
<context>
    <name>UsageCharts</name>
    <message>
        <source>Requests %1</source>
        <translation>リクエスト数（%1）</translation>
    </message>
    <message>
        <source>Tokens %1</source>
        <translation>トークン数（%1）</translation>
    </message>
    <message>
        <source>Errors and latency</source>
        <translation>エラーとレイテンシ</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>すべてのアカウント</translation>
    </message>
    <message>
        <source>All tokens</source>
        <translation>すべてのトークン</translation>
    </message>
    <message>
        <source>Error rate</source>
        <translation>エラー率</translation>
    </message>
    <message>
        <source>Average latency (ms)</source>
        <translation>平均レイテンシ（ms）</translation>
    </message>
    <message>
        <source>Latency (ms)</source>
        <translation>レイテンシ（ms）</translation>
    </message>
    <message>
        <source>per minute</source>
        <translation>1 分あたり</translation>
    </message>
    <message>
        <source>per 15 minutes</source>
        <translation>15 分あたり</translation>
    </message>
    <message>
        <source>per hour</source>
        <translation>1 時間あたり</translation>
    </message>
    <message>
        <source>per day</source>
        <translation>1 日あたり</translation>
    </message>
    <message>
        <source>Removed account</source>
        <translation>削除済みのアカウント</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>アカウントなし</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Cache read</source>
        <translation>キャッシュ読み取り</translation>
    </message>
    <message>
        <source>Cache write</source>
        <translation>キャッシュ書き込み</translation>
    </message>
</context>
<context>
    <name>UsagePage</name>
    <message>
        <source>&amp;Range:</source>
        <translation>期間(&amp;R):</translation>
    </message>
    <message>
        <source>Edit &amp;prices…</source>
        <translation>価格を編集(&amp;P)…</translation>
    </message>
    <message>
        <source>The cost shown is an estimate from a price table you can edit.</source>
        <translation>表示されるコストは、編集可能な価格表に基づく推定値です。</translation>
    </message>
    <message>
        <source>No requests yet — connect your assistant (Settings → Connect Claude Code) and requests will appear here live.</source>
        <translation>まだリクエストはありません — アシスタントを接続すると（設定 → Claude Code を接続）、ここにリクエストがリアルタイムで表示されます。</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>過去 1 時間</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>過去 24 時間</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>過去 7 日間</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>過去 30 日間</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>リクエスト数</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>エラー数</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>入力</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Cache</source>
        <translation>キャッシュ</translation>
    </message>
    <message>
        <source>p50 / p95</source>
        <translation>p50 / p95</translation>
    </message>
    <message>
        <source>Est. cost</source>
        <translation>推定コスト</translation>
    </message>
    <message>
        <source>Cannot load usage: %1. Switch pages or ranges to try again.</source>
        <translation>使用量を読み込めません：%1。ページまたは期間を切り替えると再試行します。</translation>
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
        <translation>既定の価格を使用しています：%1。価格を編集すると新しいファイルが作成されます。</translation>
    </message>
    <message>
        <source>Prices not saved: %1. Check that the data folder is writable, then edit a price to try again.</source>
        <translation>価格は保存されていません：%1。データフォルダーが書き込み可能か確認してから、価格を編集して再試行してください。</translation>
    </message>
</context>
<context>
    <name>UsageSummary</name>
    <message>
        <source>No account</source>
        <translation>アカウントなし</translation>
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
        <translation>リクエスト数</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>トークン数</translation>
    </message>
    <message>
        <source>Latency p50 / p95</source>
        <translation>レイテンシ p50 / p95</translation>
    </message>
    <message>
        <source>Estimated cost</source>
        <translation>推定コスト</translation>
    </message>
    <message numerus="yes">
        <source>%n with thinking dropped after failover</source>
        <translation>
            <numerusform>うちフェイルオーバー後に thinking を削除 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>in the range</source>
        <translation>選択した期間内</translation>
    </message>
    <message>
        <source>%1 in · %2 out · %3 cache</source>
        <translation>入力 %1 · 出力 %2 · キャッシュ %3</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1%</translation>
    </message>
    <message numerus="yes">
        <source>of the latest %n request(s)</source>
        <translation>
            <numerusform>直近 %n 件のリクエストから算出</numerusform>
        </translation>
    </message>
    <message>
        <source>until the last byte</source>
        <translation>最後のバイトまで</translation>
    </message>
    <message>
        <source>estimate from your price table</source>
        <translation>価格表に基づく推定</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) with models not in the price table are not counted</source>
        <translation>
            <numerusform>価格表にないモデルのリクエスト %n 件は含まれていません</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>estimate from the latest %n request(s)</source>
        <translation>
            <numerusform>直近 %n 件のリクエストに基づく推定</numerusform>
        </translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>失敗したリクエスト</translation>
    </message>
    <message numerus="yes">
        <source>%n failed, client errors included</source>
        <translation>
            <numerusform>失敗 %n 件（クライアントエラーを含む）</numerusform>
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
        <translation>有効なアカウントをすべて検証します。</translation>
    </message>
    <message>
        <source>Print JSON.</source>
        <translation>JSON で出力します。</translation>
    </message>
    <message>
        <source>Name one account, or give --all.</source>
        <translation>アカウントを 1 つ指定するか、--all を指定してください。</translation>
    </message>
    <message>
        <source>No enabled accounts to validate.</source>
        <translation>検証できる有効なアカウントがありません。</translation>
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
        <translation>検証中（%1/%2）…</translation>
    </message>
    <message>
        <source>The check stopped because the local endpoint stopped: %1 of %2 accounts answered.</source>
        <translation>ローカルエンドポイントが停止したため、確認を中止しました：%2 件中 %1 件のアカウントが応答しました。</translation>
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
        <translation>API キーを読み取れませんでした：%1</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Switchboard</source>
        <translation>Switchboard へようこそ</translation>
    </message>
    <message>
        <source>One local endpoint for Claude Code, served by all your API accounts. Three steps and you are set:</source>
        <translation>お持ちのすべての API アカウントで支える、Claude Code 用のローカルエンドポイントです。3 つのステップで準備が整います：</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>アカウントを追加</translation>
    </message>
    <message>
        <source>An Anthropic or OpenAI-compatible API key. Add more later: Switchboard moves on when one is rate-limited.</source>
        <translation>Anthropic または OpenAI 互換の API キーです。後から追加することもできます。あるアカウントがレート制限に達すると、Switchboard は次のアカウントに切り替えます。</translation>
    </message>
    <message>
        <source>Create an access key</source>
        <translation>アクセスキーを作成</translation>
    </message>
    <message>
        <source>Claude Code presents it to Switchboard, so no other program can use your accounts.</source>
        <translation>Claude Code はこのキーを Switchboard に提示します。これにより、他のプログラムがあなたのアカウントを使用することはできません。</translation>
    </message>
    <message>
        <source>Connect Claude Code</source>
        <translation>Claude Code を接続</translation>
    </message>
    <message>
        <source>Point Claude Code at Switchboard with two environment variables, or let Switchboard write its settings file.</source>
        <translation>2 つの環境変数で Claude Code の接続先を Switchboard にするか、Switchboard に Claude Code の設定ファイルを書き込ませます。</translation>
    </message>
    <message>
        <source>Add account…</source>
        <translation>アカウントを追加…</translation>
    </message>
    <message>
        <source>Create key…</source>
        <translation>キーを作成…</translation>
    </message>
    <message>
        <source>Connect…</source>
        <translation>接続…</translation>
    </message>
    <message>
        <source>Add another…</source>
        <translation>さらに追加…</translation>
    </message>
    <message>
        <source>Create another…</source>
        <translation>さらに作成…</translation>
    </message>
    <message>
        <source>Show settings</source>
        <translation>設定を表示</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>To do</source>
        <translation>未完了</translation>
    </message>
</context>
</TS>
