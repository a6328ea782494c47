<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ClientGuides</name>
    <message>
        <location filename="../desktop/clientguide.cpp" line="+13"/>
        <source>GitHub Copilot (VS Code)</source>
        <translation>GitHub Copilot（VS Code）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In VS Code&apos;s settings.json, then Chat → Manage Models… → Ollama:</source>
        <translation>在 VS Code 的 settings.json 中，然后 Chat → Manage Models… → Ollama：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ollama extensions for VS Code, ollama-js, ollama-python</source>
        <translation>VS Code 的 Ollama 扩展、ollama-js、ollama-python</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set the extension&apos;s Ollama URL, or OLLAMA_HOST for the libraries:</source>
        <translation>设置扩展的 Ollama URL，或为库设置 OLLAMA_HOST：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Continue (VS Code, JetBrains)</source>
        <translation>Continue（VS Code、JetBrains）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In ~/.continue/config.yaml:</source>
        <translation>在 ~/.continue/config.yaml 中：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Zed</source>
        <translation>Zed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In Zed&apos;s settings.json:</source>
        <translation>在 Zed 的 settings.json 中：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>JetBrains AI Assistant</source>
        <translation>JetBrains AI Assistant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings → Tools → AI Assistant → Models → Third-party AI providers → Ollama, URL:</source>
        <translation>Settings → Tools → AI Assistant → Models → Third-party AI providers → Ollama，URL：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open WebUI</source>
        <translation>Open WebUI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Admin Panel → Settings → Connections → Ollama API, or when starting it:</source>
        <translation>Admin Panel → Settings → Connections → Ollama API，或在启动时：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ollama command line</source>
        <translation>Ollama 命令行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the shell, then ollama list, ollama run %1:</source>
        <translation>在 shell 中，然后 ollama list、ollama run %1：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Claude Code</source>
        <translation>Claude Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the shell before running claude --model %1:</source>
        <translation>在 shell 中，运行 claude --model %1 之前：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Codex CLI</source>
        <translation>Codex CLI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In the shell:</source>
        <translation>在 shell 中：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>LangChain and the OpenAI SDKs</source>
        <translation>LangChain 与 OpenAI SDK</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+6"/>
        <source>In the environment of your program:</source>
        <translation>在你的程序的环境变量中：</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>The Anthropic SDKs</source>
        <translation>Anthropic SDK</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Ollama CLI</source>
        <translation>Ollama CLI</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>JetBrains</source>
        <translation>JetBrains</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>OpenAI SDK</source>
        <translation>OpenAI SDK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Anthropic SDK</source>
        <translation>Anthropic SDK</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not seen yet</source>
        <translation>尚未出现</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>last request just now</source>
        <translation>最近请求：刚刚</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>last request %n minute(s) ago</source>
        <translation>
            <numerusform>最近请求：%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>last request %n hour(s) ago</source>
        <translation>
            <numerusform>最近请求：%n 小时前</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last request on %1</source>
        <translation>最近请求：%1</translation>
    </message>
</context>
<context>
    <name>DesktopWords</name>
    <message>
        <location filename="../desktop/desktopwords.cpp" line="+45"/>
        <source>No API key for %1: enter one</source>
        <translation>%1 没有 API 密钥：请输入一个</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No API key for %1: enter one, or set %2</source>
        <translation>%1 没有 API 密钥：请输入一个，或设置 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 rejected the API key</source>
        <translation>%1 拒绝了该 API 密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 rejected the API key (it came from %2)</source>
        <translation>%1 拒绝了该 API 密钥（密钥来自 %2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 refused access</source>
        <translation>%1 拒绝访问</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 requires payment (the account is out of credit)</source>
        <translation>%1 要求付款（账户余额不足）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not connect to %1</source>
        <translation>无法连接到 %1</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>Could not connect to %1 securely (TLS)</source>
        <translation>无法与 %1 建立安全连接（TLS）</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>%1&apos;s certificate comes from an issuer this computer does not trust: add the CA certificate as the provider&apos;s CA file (tls.ca_file) or set SSL_CERT_FILE</source>
        <translation>%1 的证书来自本机不信任的签发者：请将 CA 证书设为该提供方的 CA 文件（tls.ca_file），或设置 SSL_CERT_FILE</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1&apos;s certificate has expired or is not valid yet: renew it on the server, or check this computer&apos;s clock</source>
        <translation>%1 的证书已过期或尚未生效：请在服务器上更新证书，或检查本机时钟</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1&apos;s certificate is for another host name: use the name it was issued for in the base URL</source>
        <translation>%1 的证书属于另一个主机名：请在基础 URL 中使用证书签发时所用的名称</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 refused the secure connection: if it requires a client certificate, set the certificate and key files</source>
        <translation>%1 拒绝了安全连接：如果它要求客户端证书，请设置证书文件和密钥文件</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 did not answer in time</source>
        <translation>%1 未能及时响应</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 closed the connection</source>
        <translation>%1 关闭了连接</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is rate limiting requests: try again in %2 s</source>
        <translation>%1 正在限制请求频率：请在 %2 秒后重试</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is rate limiting requests: try again later</source>
        <translation>%1 正在限制请求频率：请稍后重试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 says the account is out of quota</source>
        <translation>%1 表示账户配额已用尽</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 does not know the model %2</source>
        <translation>%1 不认识模型 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The prompt is too long for the model</source>
        <translation>提示词对该模型来说太长</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 says the request is too large</source>
        <translation>%1 表示请求过大</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 refused the request</source>
        <translation>%1 拒绝了该请求</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 cannot do this</source>
        <translation>%1 不支持此操作</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is overloaded: try again later</source>
        <translation>%1 负载过高：请稍后重试</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 answered with an error</source>
        <translation>%1 返回了错误</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 blocked the answer (content filter)</source>
        <translation>%1 屏蔽了回答（内容过滤）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The budget is used up</source>
        <translation>预算已用尽</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The request came back to llm-gateway (a loop)</source>
        <translation>请求又回到了 llm-gateway（循环）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>llm-gateway is shutting down</source>
        <translation>llm-gateway 正在关闭</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Internal error</source>
        <translation>内部错误</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the provider</source>
        <translation>该提供方</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: connected — the built-in echo provider needs no network</source>
        <translation>%1：已连接 — 内置的 echo 提供方无需网络</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: this provider type cannot list its models: use Try it on a mapping to test it</source>
        <translation>%1：此类提供方无法列出其模型：请在映射上使用“试一试”来测试</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: connected — 1 model</source>
        <translation>%1：已连接 — 1 个模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: connected — %2 models</source>
        <translation>%1：已连接 — %2 个模型</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>no keychain available on this system (no D-Bus session bus)</source>
        <translation>此系统上没有可用的钥匙串（没有 D-Bus 会话总线）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the keychain did not answer (is it locked, waiting for a password?)</source>
        <translation>钥匙串没有响应（是否已锁定，正在等待密码？）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the keychain is locked or refused access</source>
        <translation>钥匙串已锁定或拒绝访问</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the keychain is locked or refused access (%1)</source>
        <translation>钥匙串已锁定或拒绝访问（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no keychain available on this system</source>
        <translation>此系统上没有可用的钥匙串</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no keychain available on this system (%1)</source>
        <translation>此系统上没有可用的钥匙串（%1）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the keychain failed: %1</source>
        <translation>钥匙串出错：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Key stored in the keychain</source>
        <translation>密钥已保存到钥匙串</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Key deleted from the keychain</source>
        <translation>密钥已从钥匙串中删除</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no keychain available on this system — set %1 instead (%2)</source>
        <translation>此系统上没有可用的钥匙串 — 请改为设置 %1（%2）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>$%1</source>
        <translation>$%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>the daily budget for all providers</source>
        <translation>所有提供商的每日预算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the monthly budget for all providers</source>
        <translation>所有提供商的每月预算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the daily budget for %1</source>
        <translation>%1 的每日预算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the monthly budget for %1</source>
        <translation>%1 的每月预算</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>80 % of a budget spent</source>
        <translation>预算已用 80%</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Budget used up: requests are refused</source>
        <translation>预算已用完：请求将被拒绝</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Budget used up</source>
        <translation>预算已用完</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 of %2 spent</source>
        <translation>已花费 %1（共 %2）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2.</source>
        <translation>%1：%2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Requests get “429 budget used up” until the period ends; raise the budget in Settings → Usage.</source>
        <translation>在本周期结束前，请求将收到“429 预算已用完”；可在“设置 → 用量”中提高预算。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>the model takes temperature or top_p, not both; temperature wins</source>
        <translation>该模型只接受 temperature 或 top_p 之一，不能同时使用；以 temperature 为准</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>reasoning models refuse it</source>
        <translation>推理模型不接受此字段</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the model refuses it while thinking</source>
        <translation>模型在思考模式下不接受此字段</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the provider is set to send no sampling fields</source>
        <translation>该提供方被设置为不发送采样字段</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>outside the provider&apos;s range</source>
        <translation>超出提供方允许的范围</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the model has no such setting</source>
        <translation>该模型没有此设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 left out: %2</source>
        <translation>已省略 %1：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 sent as %2: %3</source>
        <translation>%1 以 %2 发送：%3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 sent as %3: %4</source>
        <translation>%1 %2 以 %3 发送：%4</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/logwindow.cpp" line="+35"/>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
</context>
<context>
    <name>autostart</name>
    <message>
        <location filename="../ui/autostart.cpp" line="+28"/>
        <source>cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>cannot remove %1</source>
        <translation>无法删除 %1</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>cannot change %1</source>
        <translation>无法更改 %1</translation>
    </message>
</context>
<context>
    <name>gw::ConnectPage</name>
    <message>
        <location filename="../ui/connectpage.cpp" line="+100"/>
        <source>The gateway answers at &lt;b&gt;%1&lt;/b&gt;. Point your tools at it with the lines below; each says whether that tool has been seen.</source>
        <translation>网关地址为 &lt;b&gt;%1&lt;/b&gt;。用下面的配置把你的工具指向它；每一项都显示该工具是否已出现过。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>It listens beyond this computer: clients on other machines send the access token, included below.</source>
        <translation>它在本机以外也可访问：其他机器上的客户端需发送访问令牌（已包含在下方）。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>gw::CostChart</name>
    <message>
        <location filename="../ui/costchart.cpp" line="+27"/>
        <source>Cost per day by provider</source>
        <translation>按提供商的每日费用</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>No spending in this range</source>
        <translation>此时间范围内没有花费</translation>
    </message>
</context>
<context>
    <name>gw::LogTableModel</name>
    <message>
        <location filename="../ui/logtablemodel.cpp" line="+63"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI Responses</source>
        <translation>OpenAI Responses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anthropic</source>
        <translation>Anthropic</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>TLS certificate not verified (insecure_skip_verify)</source>
        <translation>TLS 证书未经验证（insecure_skip_verify）</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Time to the first token of the answer</source>
        <translation>收到回答第一个 token 的时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time until the answer ended</source>
        <translation>回答结束所用的时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prompt tokens, as the provider counted them</source>
        <translation>提示 token 数（按提供商统计）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Completion tokens, as the provider counted them</source>
        <translation>生成 token 数（按提供商统计）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model name sent to the provider</source>
        <translation>发送给提供商的模型名称</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request</source>
        <translation>请求</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Upstream model</source>
        <translation>上游模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>TTFT</source>
        <translation>首 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Total</source>
        <translation>总计</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens in</source>
        <translation>输入 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens out</source>
        <translation>输出 token</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Streamed</source>
        <translation>流式</translation>
    </message>
</context>
<context>
    <name>gw::LogWindow</name>
    <message>
        <location filename="../ui/logwindow.cpp" line="+13"/>
        <source>Request Log — llm-gateway</source>
        <translation>请求日志 — llm-gateway</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Filter: model, provider, client, path or error</source>
        <translation>筛选：模型、提供商、客户端、路径或错误</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All statuses</source>
        <translation>所有状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Successful (2xx)</source>
        <translation>成功 (2xx)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All providers</source>
        <translation>所有提供商</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+158"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="-156"/>
        <source>Stop updating the table; requests that arrive meanwhile appear when you resume</source>
        <translation>停止更新表格；期间到达的请求会在继续时显示</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Log Folder</source>
        <translation>打开日志文件夹</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Select a request to see its detail.</source>
        <translation>选择一个请求以查看详情。</translation>
    </message>
    <message numerus="yes">
        <location line="+84"/>
        <source>Resume (%n new)</source>
        <translation>
            <numerusform>继续（%n 条新请求）</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+15"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No request matches the filter.</source>
        <translation>没有符合筛选条件的请求。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No requests yet. Point a client at the gateway (OLLAMA_HOST=%1, or %2/v1 for OpenAI clients) and its requests appear here as they finish.</source>
        <translation>还没有请求。将客户端指向网关（OLLAMA_HOST=%1，OpenAI 客户端用 %2/v1），请求完成后会显示在这里。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No requests yet. Start the gateway from the tray menu; requests appear here as they finish.</source>
        <translation>还没有请求。请从托盘菜单启动网关；请求完成后会显示在这里。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 %2 — status %3, %4</source>
        <translation>%1 %2 — 状态 %3，%4</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time: %1    Client: %2    API: %3</source>
        <translation>时间：%1    客户端：%2    API：%3</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Model: %1 → provider %2, upstream model %3</source>
        <translation>模型：%1 → 提供商 %2，上游模型 %3</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>first token after %1</source>
        <translation>首个 token 用时 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>streamed</source>
        <translation>流式</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not streamed</source>
        <translation>非流式</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>tokens %1 in / %2 out</source>
        <translation>token：输入 %1 / 输出 %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changed for the model&apos;s rules:</source>
        <translation>为符合模型规则所做的更改：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>── Request body (first %1 KB, keys redacted) ──</source>
        <translation>── 请求正文（前 %1 KB，密钥已遮盖）──</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>── Response body (first %1 KB, keys redacted) ──</source>
        <translation>── 响应正文（前 %1 KB，密钥已遮盖）──</translation>
    </message>
</context>
<context>
    <name>gw::MappingTableModel</name>
    <message>
        <location filename="../ui/mappingtablemodel.cpp" line="+115"/>
        <source>Row %1: enter the name clients will use.</source>
        <translation>第 %1 行：请输入客户端使用的名称。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Row %1: the name &apos;%2&apos; is used twice (names are compared without case and without &apos;:latest&apos;).</source>
        <translation>第 %1 行：名称“%2”重复（比较名称时不区分大小写，并忽略“:latest”）。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Row %1: unknown provider &apos;%2&apos; — add it on the Providers page.</source>
        <translation>第 %1 行：未知的提供商“%2”——请在“提供商”页面添加。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Row %1: enter the provider&apos;s model id.</source>
        <translation>第 %1 行：请输入提供商的模型 ID。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Row %1: unknown capability &apos;%2&apos; (known: %3).</source>
        <translation>第 %1 行：未知的能力“%2”（已知：%3）。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Row %1: fallback &apos;%2&apos; is not a model in this table.</source>
        <translation>第 %1 行：备用模型“%2”不在此表中。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Empty: from the built-in table of well-known models</source>
        <translation>留空：使用内置的常见模型表</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dollars per million tokens: input / output, optionally / cached input / cache write (e.g. 3 / 15 / 0.3 / 3.75). Empty: the built-in price of well-known models; a model without one shows its cost as “–”.</source>
        <translation>每百万 token 的美元价格：输入 / 输出，可选 / 缓存输入 / 缓存写入（例如 3 / 15 / 0.3 / 3.75）。留空：使用常见模型的内置价格；没有价格的模型费用显示为“–”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Empty: from the built-in table. Known: %1</source>
        <translation>留空：使用内置表。已知：%1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Upstream model</source>
        <translation>上游模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Capabilities</source>
        <translation>能力</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fallbacks</source>
        <translation>备用模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Price ($/M tokens)</source>
        <translation>价格（美元/百万 token）</translation>
    </message>
</context>
<context>
    <name>gw::ModelsPage</name>
    <message>
        <location filename="../ui/modelspage.cpp" line="+65"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Names clients ask for (e.g. in `ollama run NAME` or an IDE), and where each one goes. Any provider&apos;s model is also reachable as provider/model without a mapping.</source>
        <translation>客户端请求的名称（例如在 `ollama run NAME` 或 IDE 中）及其去向。任何提供商的模型也可以不经映射，以 provider/model 的形式访问。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Try it</source>
        <translation>试一试</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Say hello in five words.</source>
        <translation>用五个词打个招呼。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+99"/>
        <location line="+116"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location line="-206"/>
        <source>The answer appears here as it streams in. Try it uses the applied mappings.</source>
        <translation>回答会在流式传输时显示在这里。“试一试”使用已应用的映射。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Import Model Mappings</source>
        <translation>导入模型映射</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+10"/>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Export Model Mappings</source>
        <translation>导出模型映射</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Not applied: %1</source>
        <translation>未应用：%1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No mappings yet — add one, or ask for provider/model (e.g. openai/gpt-4o) or the built-in &quot;echo&quot;.</source>
        <translation>还没有映射——添加一个，或直接请求 provider/model（例如 openai/gpt-4o）或内置的“echo”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changes not applied yet.</source>
        <translation>更改尚未应用。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Not imported: %1</source>
        <translation>未导入：%1</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+5"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(stopped)</source>
        <translation>（已停止）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
</context>
<context>
    <name>gw::ProviderDialog</name>
    <message>
        <location filename="../ui/providerdialog.cpp" line="+33"/>
        <source>OpenAI-compatible server (custom)</source>
        <translation>OpenAI 兼容服务器（自定义）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ollama server</source>
        <translation>Ollama 服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text Generation Inference server</source>
        <translation>Text Generation Inference 服务器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Azure OpenAI</source>
        <translation>Azure OpenAI</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Edit Provider</source>
        <translation>编辑提供商</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add Provider</source>
        <translation>添加提供商</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Service:</source>
        <translation>服务：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>letters, digits, _ . -</source>
        <translation>字母、数字、_ . -</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clients reach this provider&apos;s models as NAME/model; the key is stored under this name</source>
        <translation>客户端以 NAME/model 访问该提供商的模型；密钥以此名称保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the type&apos;s default</source>
        <translation>该类型的默认值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>•••• stored in keychain</source>
        <translation>•••• 已保存在钥匙串中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paste the key; it is kept in the OS keychain</source>
        <translation>粘贴密钥；它将保存在系统钥匙串中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete Stored Key</source>
        <translation>删除已保存的密钥</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Test Connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>the stored key will be deleted</source>
        <translation>已保存的密钥将被删除</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the system&apos;s (HTTPS_PROXY or the desktop&apos;s settings)</source>
        <translation>使用系统代理（HTTPS_PROXY 或桌面设置）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&quot;direct&quot; to bypass every proxy, or a proxy URL such as http://user:password@proxy.example:3128</source>
        <translation>填写“direct”绕过所有代理，或填写代理 URL，例如 http://user:password@proxy.example:3128</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Proxy:</source>
        <translation>代理：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PEM files (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.cer *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CA certificate:</source>
        <translation>CA 证书：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only for a private CA; added to the system&apos;s</source>
        <translation>仅用于私有 CA；添加到系统的根证书之外</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client certificate:</source>
        <translation>客户端证书：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>only if the server requires one (mutual TLS)</source>
        <translation>仅在服务器要求时填写（双向 TLS）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Client key:</source>
        <translation>客户端密钥：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not verify the server&apos;s certificate (insecure)</source>
        <translation>不验证服务器证书（不安全）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Anyone on the network path can read and change this provider&apos;s traffic, API key included. Use it only for a lab server; prefer the CA certificate.</source>
        <translation>网络路径上的任何人都能读取并篡改与该提供方之间的流量，包括 API 密钥。仅用于实验服务器；应优先设置 CA 证书。</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Enter a name for the provider.</source>
        <translation>请输入提供商名称。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name may only contain letters, digits, &apos;_&apos;, &apos;.&apos; and &apos;-&apos;, and must start with a letter or digit.</source>
        <translation>名称只能包含字母、数字、“_”、“.”和“-”，且必须以字母或数字开头。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A provider named &apos;%1&apos; exists already.</source>
        <translation>名为“%1”的提供商已存在。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The base URL must be an http:// or https:// address.</source>
        <translation>基础 URL 必须是 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Azure OpenAI needs your resource&apos;s endpoint as the base URL.</source>
        <translation>Azure OpenAI 需要将您资源的终结点作为基础 URL。</translation>
    </message>
</context>
<context>
    <name>gw::ProvidersPage</name>
    <message>
        <location filename="../ui/providerspage.cpp" line="+28"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No providers yet — add one, or set OPENAI_API_KEY (or another provider&apos;s key variable) before starting the app.

The built-in &quot;echo&quot; model works without any provider.</source>
        <translation>还没有提供商——添加一个，或在启动应用前设置 OPENAI_API_KEY（或其他提供商的密钥变量）。

内置的“echo”模型无需任何提供商即可使用。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test Connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>%1: the key was not stored: %2</source>
        <translation>%1：密钥未保存：%2</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>not needed</source>
        <translation>不需要</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>stored in keychain</source>
        <translation>已保存在钥匙串中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>from %1</source>
        <translation>来自 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none (not needed on a local server)</source>
        <translation>无（本地服务器不需要）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(default)</source>
        <translation>（默认）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> — certificate NOT verified</source>
        <translation> — 证书未经验证</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>insecure_skip_verify is on: anyone on the network path can read and change this provider&apos;s traffic</source>
        <translation>已开启 insecure_skip_verify：网络路径上的任何人都能读取并篡改与该提供方之间的流量</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1. Keys can still come from environment variables such as OPENAI_API_KEY, or from a .env file in the working directory.</source>
        <translation>%1。密钥仍可来自环境变量（如 OPENAI_API_KEY）或工作目录中的 .env 文件。</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+12"/>
        <source>Stored only in the OS keychain, never in the config file.</source>
        <translation>仅保存在系统钥匙串中，绝不写入配置文件。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Now from %1 (not stored by llm-gateway). A key entered here goes to the keychain and takes precedence.</source>
        <translation>当前来自 %1（并非由 llm-gateway 保存）。在此输入的密钥将存入钥匙串并优先使用。</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>&apos;%1&apos; is used by the models %2: map them elsewhere or remove them first (Models page).</source>
        <translation>“%1”正被模型 %2 使用：请先将它们映射到别处或删除（“模型”页面）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: testing…</source>
        <translation>%1：正在测试…</translation>
    </message>
</context>
<context>
    <name>gw::RequestChart</name>
    <message>
        <location filename="../ui/requestchart.cpp" line="+114"/>
        <source>requests/min</source>
        <translation>请求/分钟</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>median latency</source>
        <translation>延迟中位数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>last %1 min</source>
        <translation>最近 %1 分钟</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No requests in the last %1 min</source>
        <translation>最近 %1 分钟内没有请求</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+2"/>
        <source>−%1 min</source>
        <translation>−%1 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>now</source>
        <translation>现在</translation>
    </message>
</context>
<context>
    <name>gw::ServerPage</name>
    <message>
        <location filename="../ui/serverpage.cpp" line="+29"/>
        <source>Listen</source>
        <translation>监听</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>required beyond loopback (or set LLM_GATEWAY_TOKEN)</source>
        <translation>非回环地址时必需（或设置 LLM_GATEWAY_TOKEN）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access token:</source>
        <translation>访问令牌：</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Browser access</source>
        <translation>浏览器访问</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Web pages allowed to call the gateway, one origin per line (e.g. https://chat.example.com). Local pages and apps are always allowed.</source>
        <translation>允许调用网关的网页，每行一个来源（例如 https://chat.example.com）。本地页面和应用始终允许。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Application</source>
        <translation>应用程序</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start llm-gateway when I log in</source>
        <translation>登录时启动 llm-gateway</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start the gateway when the app starts</source>
        <translation>应用启动时启动网关</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>⚠ Beyond this computer: anyone on the network who can reach this address could use your API keys. Clients on other machines must send the access token below (Authorization: Bearer …); programs on this computer need none unless you ask for it.</source>
        <translation>⚠ 超出本机：网络中任何能访问此地址的人都可能使用你的 API 密钥。其他机器上的客户端必须发送下方的访问令牌（Authorization: Bearer …）；本机上的程序无需令牌，除非你要求。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Require the token from programs on this computer too</source>
        <translation>本机上的程序也需要令牌</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off: IDE plugins on this computer (which often cannot send a token) connect without it, as when listening on this computer only.</source>
        <translation>关闭时：本机上的 IDE 插件（通常无法发送令牌）无需令牌即可连接，与仅在本机监听时相同。</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The new language applies when llm-gateway restarts.</source>
        <translation>新语言将在 llm-gateway 重启后生效。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Restart Now</source>
        <translation>立即重启</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Could not change “Start at login”: %1</source>
        <translation>无法更改“登录时启动”：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saves and restarts the listener; the app keeps running</source>
        <translation>保存并重启监听；应用继续运行</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+9"/>
        <source>Running at %1</source>
        <translation>运行于 %1</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Not running: %1</source>
        <translation>未运行：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>The gateway is not running.</source>
        <translation>网关未运行。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Listening on %1</source>
        <translation>正在监听 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — set by --listen %2 on the command line, which wins over the address here until the app is started without it.</source>
        <translation>%1 —— 由命令行的 --listen %2 设定，在不带该参数启动应用之前，它优先于此处的地址。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — set by the environment variable OLLAMA_HOST=%2, which wins over the address here.</source>
        <translation>%1 —— 由环境变量 OLLAMA_HOST=%2 设定，它优先于此处的地址。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — the address set here.</source>
        <translation>%1 —— 此处设置的地址。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 — the default address (Ollama&apos;s).</source>
        <translation>%1 —— 默认地址（与 Ollama 相同）。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Address: %1</source>
        <translation>地址：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set an access token to listen beyond this computer.</source>
        <translation>要在本机以外监听，请设置访问令牌。</translation>
    </message>
</context>
<context>
    <name>gw::SettingsWindow</name>
    <message>
        <location filename="../ui/settingswindow.cpp" line="+22"/>
        <source>llm-gateway Settings</source>
        <translation>llm-gateway 设置</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Providers</source>
        <translation>提供商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect Your Tools</source>
        <translation>连接你的工具</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The configuration was not applied: %1</source>
        <translation>配置未应用：%1</translation>
    </message>
</context>
<context>
    <name>gw::TrayController</name>
    <message>
        <location filename="../ui/traycontroller.cpp" line="+37"/>
        <location line="+238"/>
        <source>Gateway stopped</source>
        <translation>网关已停止</translation>
    </message>
    <message>
        <location line="-234"/>
        <source>Gateway on</source>
        <translation>启用网关</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Copy OLLAMA_HOST</source>
        <translation>复制 OLLAMA_HOST</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy Claude Code environment</source>
        <translation>复制 Claude Code 环境变量</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open Settings…</source>
        <translation>打开设置…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connect Your Tools…</source>
        <translation>连接你的工具…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request Log…</source>
        <translation>请求日志…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usage and Spend…</source>
        <translation>用量和花费…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start at Login</source>
        <translation>登录时启动</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not change “Start at Login”</source>
        <translation>无法更改“登录时启动”</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>Provider “%1” rejected its API key</source>
        <translation>提供商“%1”拒绝了其 API 密钥</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the key in Settings → Providers.</source>
        <translation>请在 设置 → 提供商 中检查密钥。</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1: API key rejected — open Settings to fix it</source>
        <translation>%1：API 密钥被拒绝 — 打开设置进行修复</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Budget used up — requests are refused</source>
        <translation>预算已用完 — 请求将被拒绝</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: budget used up — requests are refused</source>
        <translation>%1：预算已用完 — 请求将被拒绝</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Starting on %1…</source>
        <translation>正在 %1 上启动…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not running: %1</source>
        <translation>未运行：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Copy OLLAMA_HOST=%1</source>
        <translation>复制 OLLAMA_HOST=%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+28"/>
        <source>llm-gateway</source>
        <translation>llm-gateway</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>%1: API key rejected</source>
        <translation>%1：API 密钥被拒绝</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Spent today: %1</source>
        <translation>今日花费：%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: API key rejected — %2</source>
        <translation>%1：API 密钥被拒绝 — %2</translation>
    </message>
    <message>
        <location line="-37"/>
        <source>Running on %1</source>
        <translation>运行于 %1</translation>
    </message>
    <message>
        <location line="-140"/>
        <location line="+15"/>
        <source>llm-gateway could not start</source>
        <translation>llm-gateway 无法启动</translation>
    </message>
    <message numerus="yes">
        <location line="+150"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gw::UsageWindow</name>
    <message>
        <location filename="../ui/usagewindow.cpp" line="+31"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+106"/>
        <location line="+6"/>
        <source>Export usage</source>
        <translation>导出用量</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message numerus="yes">
        <location line="+96"/>
        <source>%1 spent · %n request(s)</source>
        <translation>
            <numerusform>已花费 %1 · %n 个请求</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 saved by caching</source>
        <translation>缓存节省 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n without a known price</source>
        <translation>
            <numerusform>%n 个没有已知价格</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+26"/>
        <source>%n request(s) without a known price are not counted</source>
        <translation>
            <numerusform>%n 个没有已知价格的请求未计入</numerusform>
        </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>All providers</source>
        <translation>所有提供商</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>per day</source>
        <translation>每天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per month</source>
        <translation>每月</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>refuse requests</source>
        <translation>拒绝请求</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1 (%2 %)</source>
        <translation>%1（%2%）</translation>
    </message>
    <message>
        <location line="+94"/>
        <source>Usage — llm-gateway</source>
        <translation>用量 — llm-gateway</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom range</source>
        <translation>自定义范围</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;b&gt;Cost per day&lt;/b&gt;, by provider</source>
        <translation>&lt;b&gt;每日费用&lt;/b&gt;，按提供商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By provider</source>
        <translation>按提供商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By model</source>
        <translation>按模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;Budgets&lt;/b&gt; — at 80 % you get a notification; a budget that refuses requests answers them with 429 until its period ends</source>
        <translation>&lt;b&gt;预算&lt;/b&gt; — 达到 80% 时会收到通知；拒绝请求的预算在其周期结束前以 429 回应请求</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add budget</source>
        <translation>添加预算</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save budgets</source>
        <translation>保存预算</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Input tokens</source>
        <translation>输入 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Output tokens</source>
        <translation>输出 token</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cached tokens</source>
        <translation>缓存 token</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved by caching</source>
        <translation>缓存节省</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+4"/>
        <source>Provider</source>
        <translation>提供商</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Period</source>
        <translation>周期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Limit</source>
        <translation>上限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hard</source>
        <translation>强制</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Used this period</source>
        <translation>本周期已用</translation>
    </message>
</context>
<context>
    <name>gw::WelcomePage</name>
    <message>
        <location filename="../ui/welcomepage.cpp" line="+30"/>
        <source>Ollama on this computer</source>
        <translation>本机上的 Ollama</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ollama on another machine</source>
        <translation>另一台机器上的 Ollama</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Another OpenAI-compatible server (its URL)</source>
        <translation>其他兼容 OpenAI 的服务器（填写其 URL）</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Welcome to llm-gateway</source>
        <translation>欢迎使用 llm-gateway</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your IDE and tools talk to llm-gateway as if it were Ollama; it passes their requests on to the service you choose. Which one do you have a key for?</source>
        <translation>你的 IDE 和工具会把 llm-gateway 当作 Ollama 来使用；它会把请求转发给你选择的服务。你有哪个服务的密钥？</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Address:</source>
        <translation>地址：</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>paste your API key; it is kept only in the OS keychain</source>
        <translation>粘贴你的 API 密钥；它只保存在系统钥匙串中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Pick your models</source>
        <translation>选择你的模型</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>filter</source>
        <translation>筛选</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>a model id, e.g. gpt-4.1</source>
        <translation>模型 ID，例如 gpt-4.1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set up providers and models later in the other tabs</source>
        <translation>稍后在其他标签页中设置提供商和模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+19"/>
        <location line="+92"/>
        <location line="+85"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location line="-122"/>
        <source>%1 — a key was found (%2)</source>
        <translation>%1 —— 已找到密钥（%2）</translation>
    </message>
    <message numerus="yes">
        <location line="+13"/>
        <source>Map %n model(s)</source>
        <translation>
            <numerusform>映射 %n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+170"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>Connect to %1</source>
        <translation>连接到 %1</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>A key for %1 was found (%2): it is used unless you paste another one.</source>
        <translation>已找到 %1 的密钥（%2）：除非你粘贴另一个，否则将使用它。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The key is stored only in your system&apos;s keychain, never in a file.</source>
        <translation>密钥只保存在系统钥匙串中，绝不写入文件。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A server on this computer or your network usually needs no key.</source>
        <translation>本机或局域网中的服务器通常不需要密钥。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ollama and llm-gateway both take port 11434 by default: run one of them on another port (for Ollama: OLLAMA_HOST=127.0.0.1:11435 ollama serve) and enter Ollama&apos;s address here.</source>
        <translation>Ollama 和 llm-gateway 默认都使用端口 11434：请让其中一个使用其他端口（Ollama 可用：OLLAMA_HOST=127.0.0.1:11435 ollama serve），并在此输入 Ollama 的地址。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Enter the server&apos;s address first.</source>
        <translation>请先输入服务器地址。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Tick the models you want in your tools. They keep the vendor&apos;s names (Copilot picks its prompts by them).</source>
        <translation>勾选你想在工具中使用的模型。它们保留厂商的名称（Copilot 依据名称选择提示词）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This service does not list its models: enter the id of one you want.</source>
        <translation>此服务不会列出其模型：请输入你想要的模型 ID。</translation>
    </message>
</context>
</TS>
