#include "clientguide.h"

#include <QLocale>

namespace gw {

QList<ClientGuide> ClientGuides::all(const QString &url, const QString &token, const QString &model)
{
    const QString key = token.isEmpty() ? QStringLiteral("unused") : token;
    const QString v1 = url + QStringLiteral("/v1");
    QList<ClientGuide> g;
    g.append({QStringLiteral("copilot"),
              tr("GitHub Copilot (VS Code)"),
              tr("In VS Code's settings.json, then Chat → Manage Models… → Ollama:"),
              QStringLiteral("\"github.copilot.chat.byok.ollamaEndpoint\": \"%1\"").arg(url),
              {ClientApp::Copilot}});
    g.append({QStringLiteral("ollama-libraries"),
              tr("Ollama extensions for VS Code, ollama-js, ollama-python"),
              tr("Set the extension's Ollama URL, or OLLAMA_HOST for the libraries:"),
              url,
              {ClientApp::OllamaJs, ClientApp::OllamaPython}});
    g.append({QStringLiteral("continue"),
              tr("Continue (VS Code, JetBrains)"),
              tr("In ~/.continue/config.yaml:"),
              QStringLiteral("models:\n"
                             "  - name: %2 (llm-gateway)\n"
                             "    provider: ollama\n"
                             "    apiBase: %1\n"
                             "    model: %2\n"
                             "    roles: [chat, edit, apply]")
                      .arg(url, model) +
                  (token.isEmpty() ? QString() : QStringLiteral("\n    apiKey: %1").arg(token)),
              {ClientApp::Continue}});
    g.append({QStringLiteral("zed"),
              tr("Zed"),
              tr("In Zed's settings.json:"),
              QStringLiteral("\"language_models\": {\n  \"ollama\": { \"api_url\": \"%1\" }\n}")
                  .arg(url),
              {ClientApp::Zed}});
    g.append({QStringLiteral("jetbrains"),
              tr("JetBrains AI Assistant"),
              tr("Settings → Tools → AI Assistant → Models → Third-party AI providers → Ollama, "
                 "URL:"),
              url,
              {ClientApp::JetBrains}});
    g.append({QStringLiteral("open-webui"),
              tr("Open WebUI"),
              tr("Admin Panel → Settings → Connections → Ollama API, or when starting it:"),
              QStringLiteral("OLLAMA_BASE_URL=%1").arg(url),
              {ClientApp::OpenWebUi}});
    g.append({QStringLiteral("ollama-cli"),
              tr("Ollama command line"),
              tr("In the shell, then ollama list, ollama run %1:").arg(model),
              QStringLiteral("export OLLAMA_HOST=%1").arg(url),
              {ClientApp::OllamaCli}});
    g.append({QStringLiteral("claude-code"),
              tr("Claude Code"),
              tr("In the shell before running claude --model %1:").arg(model),
              QStringLiteral("export ANTHROPIC_BASE_URL=%1\nexport ANTHROPIC_AUTH_TOKEN=%2")
                  .arg(url, key),
              {ClientApp::ClaudeCode}});
    g.append({QStringLiteral("codex"),
              tr("Codex CLI"),
              tr("In the shell:"),
              QStringLiteral("export OLLAMA_HOST=%1\ncodex --oss --local-provider ollama -m %2")
                  .arg(url, model),
              {ClientApp::Codex}});
    g.append({QStringLiteral("openai-sdk"),
              tr("LangChain and the OpenAI SDKs"),
              tr("In the environment of your program:"),
              QStringLiteral("export OPENAI_BASE_URL=%1\nexport OPENAI_API_KEY=%2").arg(v1, key),
              {ClientApp::OpenAiSdk, ClientApp::LangChain}});
    g.append(
        {QStringLiteral("anthropic-sdk"),
         tr("The Anthropic SDKs"),
         tr("In the environment of your program:"),
         QStringLiteral("export ANTHROPIC_BASE_URL=%1\nexport ANTHROPIC_API_KEY=%2").arg(url, key),
         {ClientApp::AnthropicSdk}});
    return g;
}

QString ClientGuides::appName(ClientApp app)
{
    switch (app) {
    case ClientApp::Unknown:
        return {};
    case ClientApp::OllamaCli:
        return tr("Ollama CLI");
    case ClientApp::OllamaJs:
        return QStringLiteral("ollama-js");
    case ClientApp::OllamaPython:
        return QStringLiteral("ollama-python");
    case ClientApp::Copilot:
        return tr("Copilot");
    case ClientApp::Continue:
        return QStringLiteral("Continue");
    case ClientApp::Zed:
        return QStringLiteral("Zed");
    case ClientApp::JetBrains:
        return tr("JetBrains");
    case ClientApp::OpenWebUi:
        return QStringLiteral("Open WebUI");
    case ClientApp::ClaudeCode:
        return QStringLiteral("Claude Code");
    case ClientApp::Codex:
        return QStringLiteral("Codex");
    case ClientApp::LangChain:
        return QStringLiteral("LangChain");
    case ClientApp::OpenAiSdk:
        return tr("OpenAI SDK");
    case ClientApp::AnthropicSdk:
        return tr("Anthropic SDK");
    case ClientApp::Curl:
        return QStringLiteral("curl");
    }
    return {};
}

QString ClientGuides::seen(const QDateTime &last, const QDateTime &now)
{
    if (!last.isValid())
        return tr("not seen yet");
    const qint64 secs = qMax<qint64>(0, last.secsTo(now));
    if (secs < 60)
        return tr("last request just now");
    if (secs < 3600)
        return tr("last request %n minute(s) ago", nullptr, int(secs / 60));
    if (secs < 86400)
        return tr("last request %n hour(s) ago", nullptr, int(secs / 3600));
    return tr("last request on %1").arg(QLocale().toString(last.date(), QLocale::ShortFormat));
}

} // namespace gw
