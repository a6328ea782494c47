<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/logwindow.cpp" line="+32"/>
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
    <name>gw::LogTableModel</name>
    <message>
        <location filename="../ui/logtablemodel.cpp" line="+52"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
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
        <location line="+86"/>
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
        <location line="+146"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location line="-144"/>
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
        <location line="+72"/>
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
        <location line="+3"/>
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
        <location line="+3"/>
        <source>── Request body (first 4 KB, keys redacted) ──</source>
        <translation>── 请求正文（前 4 KB，密钥已遮盖）──</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>── Response body (first 4 KB, keys redacted) ──</source>
        <translation>── 响应正文（前 4 KB，密钥已遮盖）──</translation>
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
    <name>gw::TrayController</name>
    <message>
        <location filename="../ui/traycontroller.cpp" line="+35"/>
        <location line="+168"/>
        <source>Gateway stopped</source>
        <translation>网关已停止</translation>
    </message>
    <message>
        <location line="-164"/>
        <source>Gateway on</source>
        <translation>启用网关</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Copy OLLAMA_HOST</source>
        <translation>复制 OLLAMA_HOST</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open Settings…</source>
        <translation>打开设置…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Request Log…</source>
        <translation>请求日志…</translation>
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
        <location line="+73"/>
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
        <location line="+18"/>
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
        <location line="+9"/>
        <location line="+24"/>
        <source>llm-gateway</source>
        <translation>llm-gateway</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>%1: API key rejected</source>
        <translation>%1：API 密钥被拒绝</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: API key rejected — %2</source>
        <translation>%1：API 密钥被拒绝 — %2</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Running on %1</source>
        <translation>运行于 %1</translation>
    </message>
    <message>
        <location line="-82"/>
        <location line="+15"/>
        <source>llm-gateway could not start</source>
        <translation>llm-gateway 无法启动</translation>
    </message>
    <message numerus="yes">
        <location line="+91"/>
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n 个请求</numerusform>
        </translation>
    </message>
</context>
</TS>
