#include "clientapp.h"

#include <QByteArray>

namespace gw {
namespace {

struct Rule
{
    ClientApp app;
    const char *id;
    // Tried in this table's order against the lower-cased header: applications before the
    // libraries they are built on (Claude Code on the Anthropic SDK, LangChain on OpenAI's).
    const char *prefixes[3]; // the header starts with one of these
    const char *contains[3]; // or contains one of these
};

constexpr Rule kRules[] = {
    {ClientApp::Copilot, "copilot", {"githubcopilotchat/", "githubcopilot/"}, {}},
    {ClientApp::ClaudeCode, "claude-code", {"claude-cli/", "claude-code/"}, {}},
    {ClientApp::Codex, "codex", {"codex_", "codex/", "codex-"}, {}},
    {ClientApp::Zed, "zed", {"zed/"}, {}},
    {ClientApp::Continue, "continue", {"continue/", "continue-"}, {" continue/"}},
    {ClientApp::JetBrains, "jetbrains", {"jetbrains", "intellij"}, {" jetbrains"}},
    {ClientApp::OpenWebUi, "open-webui", {"open-webui", "open webui", "openwebui"}, {}},
    {ClientApp::LangChain, "langchain", {"langchain"}, {" langchain"}},
    {ClientApp::OllamaJs, "ollama-js", {"ollama-js/"}, {}},
    {ClientApp::OllamaPython, "ollama-python", {"ollama-python/"}, {}},
    {ClientApp::OllamaCli, "ollama-cli", {"ollama/"}, {}},
    {ClientApp::OpenAiSdk, "openai-sdk", {"openai/", "azureopenai/", "openai-python/"}, {}},
    {ClientApp::AnthropicSdk,
     "anthropic-sdk",
     {"anthropic/", "anthropicvertex/", "anthropicbedrock/"},
     {}},
    {ClientApp::Curl, "curl", {"curl/"}, {}},
};

bool matches(const Rule &rule, const QByteArray &ua)
{
    for (const char *p : rule.prefixes)
        if (p && ua.startsWith(p))
            return true;
    for (const char *c : rule.contains)
        if (c && ua.contains(c))
            return true;
    return false;
}

} // namespace

ClientApp clientAppFromUserAgent(QByteArrayView userAgent)
{
    // Only the start matters; a header of megabytes is not read whole.
    const QByteArray ua =
        userAgent.first(qMin<qsizetype>(userAgent.size(), 256)).toByteArray().trimmed().toLower();
    if (ua.isEmpty())
        return ClientApp::Unknown;
    for (const Rule &rule : kRules)
        if (matches(rule, ua))
            return rule.app;
    return ClientApp::Unknown;
}

QLatin1StringView clientAppId(ClientApp app)
{
    for (const Rule &rule : kRules)
        if (rule.app == app)
            return QLatin1StringView(rule.id);
    return {};
}

ClientApp clientAppFromId(QStringView id)
{
    if (id.isEmpty())
        return ClientApp::Unknown;
    for (const Rule &rule : kRules)
        if (id == QLatin1StringView(rule.id))
            return rule.app;
    return ClientApp::Unknown;
}

} // namespace gw
