#pragma once

#include "chat/chatrequest.h"
#include "openaiwire.h"

#include <QJsonObject>
#include <QString>
#include <QUrl>

namespace gw {

// Fill-in-the-middle (Continue's autocomplete: /api/generate or /v1/completions with a suffix)
// on OpenAI-compatible services. Two wire forms exist:
// - Mistral's FIM endpoint (POST /v1/fim/completions, Codestral): model, prompt, suffix,
//   temperature, top_p, max_tokens, stop, random_seed, stream; it refuses unknown fields
//   (422) and answers in the Chat Completions shape (choices[].delta.content).
// - the legacy Completions endpoint with "suffix" (DeepSeek's /beta/completions, vLLM,
//   llama.cpp, LM Studio): answers choices[].text.
class FimWire
{
public:
    enum class Form { Mistral, Completions };

    // Where a provider's FIM requests go: the "fim_url" option, else Mistral's endpoint for
    // api.mistral.ai and codestral.mistral.ai, DeepSeek's beta endpoint for api.deepseek.com,
    // else base + "/completions".
    static QUrl url(const QString &baseUrl, const QString &configured);
    // Mistral's form for URLs ending in /fim/completions, Completions otherwise.
    static Form formOf(const QUrl &url);
    static QJsonObject body(const ChatRequest &request, Form form, const OpenAiFlavor &flavor);
    // The text before the cursor: the last user message (raw or not, FIM ignores templates).
    static QString prompt(const ChatRequest &request);
};

} // namespace gw
