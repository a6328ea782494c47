#pragma once

#include <QByteArrayView>
#include <QLatin1StringView>
#include <QStringView>

namespace gw {

// The client application that sent a request, told from its User-Agent: a fact for the request
// log and the "Connect your tools" page, never words (the desktop names them). The ids are
// stable: they are written to the JSONL log and the `serve` line.
enum class ClientApp {
    Unknown,
    OllamaCli,    // ollama/0.x (amd64 linux) Go/go1.x
    OllamaJs,     // ollama-js/0.x (…)
    OllamaPython, // ollama-python/0.x (…) Python/3.x
    Copilot,      // GitHubCopilotChat/0.x
    Continue,     // Continue/… (the VS Code and JetBrains extension)
    Zed,          // Zed/0.x (…)
    JetBrains,    // JetBrains AI Assistant, IntelliJ…
    OpenWebUi,    // Open WebUI
    ClaudeCode,   // claude-cli/1.x (external, cli)
    Codex,        // codex_cli_rs/0.x, codex_exec/…, codex_vscode/…
    LangChain,    // langchain…
    OpenAiSdk,    // OpenAI/JS 5.x, OpenAI/Python 1.x (also AzureOpenAI/JS)
    AnthropicSdk, // Anthropic/JS 0.x, Anthropic/Python 0.x
    Curl,         // curl/8.x
};

// What the User-Agent header says; Unknown when it names nothing known (or is empty).
ClientApp clientAppFromUserAgent(QByteArrayView userAgent);
// The stable id: "ollama-cli", "continue", "claude-code" …; "" for Unknown.
QLatin1StringView clientAppId(ClientApp app);
// The id read back (the JSONL log); Unknown for anything else.
ClientApp clientAppFromId(QStringView id);

inline constexpr ClientApp kAllClientApps[] = {
    ClientApp::OllamaCli,    ClientApp::OllamaJs, ClientApp::OllamaPython, ClientApp::Copilot,
    ClientApp::Continue,     ClientApp::Zed,      ClientApp::JetBrains,    ClientApp::OpenWebUi,
    ClientApp::ClaudeCode,   ClientApp::Codex,    ClientApp::LangChain,    ClientApp::OpenAiSdk,
    ClientApp::AnthropicSdk, ClientApp::Curl,
};

} // namespace gw
