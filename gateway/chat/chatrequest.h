#pragma once

#include "chatmessage.h"
#include "toolchoice.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace gw {

struct ToolSpec
{
    QString name;
    QString description;
    QJsonObject parameters; // JSON schema
    CacheMark cache;        // a cache breakpoint after this tool's definition
};

enum class OutputFormat { Text, Json, JsonSchema };

// Off/On are Ollama's booleans; the levels are what "think": "low" etc. and reasoning_effort ask
// for (Minimal is reasoning_effort's "minimal", below Low). What each becomes per provider: README
// "Thinking levels".
enum class Thinking { Unset, Off, On, Minimal, Low, Medium, High, Max };

struct Sampling
{
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> topK;
    std::optional<qint64> maxTokens;
    std::optional<qint64> seed;
    std::optional<double> presencePenalty;
    std::optional<double> frequencyPenalty;
    QStringList stop;
};

// What one inbound request asks of a model, whatever dialect it came in.
struct ChatRequest
{
    QString model;         // the model name as the client sent it
    QString provider;      // routing result: provider name
    QString upstreamModel; // routing result: the provider's model id
    QList<ChatMessage> messages;
    QList<ToolSpec> tools;
    ToolChoice toolChoice; // decoded once by the dialect; Unset = the provider's default
    Sampling sampling;
    OutputFormat format = OutputFormat::Text;
    QJsonObject schema; // with OutputFormat::JsonSchema
    Thinking thinking = Thinking::Unset;
    // Anthropic's own thinking settings as the client gave them, so an Anthropic upstream gets
    // them unchanged: budget_tokens (0: none given, the level decides) and the adaptive form.
    qint64 thinkingBudget = 0;
    bool thinkingAdaptive = false;
    bool stream = true;
    // Log probabilities of the answer's tokens, with the `topLogprobs` most likely tokens at each
    // position (0..20); providers without them refuse the request.
    bool logprobs = false;
    int topLogprobs = 0;
    bool rawCompletion = false; // /api/generate with raw or /v1/completions: prompt is sent as is
    QString suffix;             // fill-in-the-middle text after the prompt
};

} // namespace gw
