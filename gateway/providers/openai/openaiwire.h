#pragma once

#include "chat/adjustment.h"
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
    bool maxTokensFieldSet = false;   // the provider's max_tokens_field option chose the field
    bool deepSeekThinking = false;    // api.deepseek.com: thinking {type} + reasoning_effort
    bool sendTopK = false;   // vLLM, llama.cpp and LM Studio accept top_k; OpenAI rejects it
    bool streamUsage = true; // stream_options.include_usage
};

// The Chat Completions wire format, both directions, as pure functions.
class OpenAiWire
{
public:
    // `adjusted` collects what was changed for the model's rules (fields left out, levels the
    // model lacks).
    // The request body as sent (written directly, no QJsonObject on the way).
    static QByteArray chatBytes(const ChatRequest &request, const OpenAiFlavor &flavor,
                                Adjustments *adjusted = nullptr);
    // The same body, parsed (tests and callers that add to it).
    static QJsonObject chatBody(const ChatRequest &request, const OpenAiFlavor &flavor,
                                Adjustments *adjusted = nullptr);
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
    // choices[].logprobs: {"content":[{"token","logprob","top_logprobs":[…]}]}, or the legacy
    // Completions' {"tokens","token_logprobs","top_logprobs":[{token: logprob}]}.
    static QList<Logprob> logprobs(const QJsonObject &choiceLogprobs);
    // The reasoning_effort for a level on this model (empty: send none), with the level the
    // model lacks noted in `adjusted`: o-series take low/medium/high, gpt-5 also minimal,
    // gpt-5.1 and later none instead of minimal and (5.2 on, codex-max) xhigh; others get the
    // level's own name.
    static QString reasoningEffort(const QString &model, Thinking thinking,
                                   Adjustments *adjusted = nullptr);
    // Reasoning models (o-series, gpt-5) reject non-default sampling parameters.
    static bool isReasoningModel(const QString &model);
};

} // namespace gw
