#pragma once

#include "chat/chatevent.h"
#include "chat/chatrequest.h"
#include "chat/embedrequest.h"
#include "providers/upstreamerrorbody.h"

#include <QByteArray>
#include <QJsonObject>

namespace gw {

// Where OpenAI-compatible servers differ from api.openai.com.
struct OpenAiFlavor
{
    bool maxCompletionTokens = false; // api.openai.com wants max_completion_tokens
    bool sendTopK = false;   // vLLM, llama.cpp and LM Studio accept top_k; OpenAI rejects it
    bool streamUsage = true; // stream_options.include_usage
};

// The Chat Completions wire format, both directions, as pure functions.
class OpenAiWire
{
public:
    static QJsonObject chatBody(const ChatRequest &request, const OpenAiFlavor &flavor);
    static QJsonObject embedBody(const EmbedRequest &request);
    static EmbedResult parseEmbeddings(const QByteArray &body);
    static QStringList parseModels(const QByteArray &body);

    // An error body: {"error":{"message","type","code"}}, {"error":"...","error_type"}
    // (HF/TGI), {"message":...}, {"detail":...} or plain text.
    static UpstreamErrorBody errorBody(const QByteArray &body);
    // A usage object, with prompt_tokens_details.cached_tokens and
    // completion_tokens_details.reasoning_tokens when given.
    static ChatEvent usage(const QJsonObject &usage);

    static FinishReason finishReason(const QString &reason);
    static QString reasoningEffort(Thinking thinking); // empty: send none
    // Reasoning models (o-series, gpt-5) reject non-default sampling parameters.
    static bool isReasoningModel(const QString &model);
};

} // namespace gw
