#pragma once

#include "chatfailure.h"
#include "logprob.h"
#include "toolcall.h"

#include <QString>

namespace gw {

enum class FinishReason { Stop, Length, ToolCalls, ContentFilter };

// One step of a model's answer. Every provider produces a stream of these, ending with exactly
// one Finish or Error; every dialect encodes them.
struct ChatEvent
{
    enum class Type { Text, Thinking, ToolCall, Usage, Finish, Error };

    Type type = Type::Text;
    QString text;            // Text/Thinking delta
    QList<Logprob> logprobs; // Text: the delta's tokens, when the request asked for them
    ToolCall toolCall;
    // Usage: -1 means the provider did not say (never report it as 0).
    qint64 promptTokens = -1;     // all input tokens, cached ones included
    qint64 completionTokens = -1; // all output tokens, reasoning included
    qint64 cachedTokens = -1;     // input tokens read from a prompt cache
    qint64 cacheWriteTokens = -1; // input tokens written to a prompt cache
    qint64 reasoningTokens = -1;  // output tokens spent on thinking
    FinishReason finish = FinishReason::Stop;
    QString stopSequence; // Finish: the stop sequence that ended the answer, when the provider says
    // Thinking events with no text that close a block the provider signed (Anthropic): its
    // signature, or the opaque data of a redacted block. Providers that do not sign send none.
    QString signature;
    QString redacted;
    ChatFailure failure; // Error: what went wrong, as facts; the dialects word it

    static ChatEvent make(Type type, QString text = {})
    {
        ChatEvent e;
        e.type = type;
        e.text = std::move(text);
        return e;
    }
    static ChatEvent textDelta(QString t) { return make(Type::Text, std::move(t)); }
    static ChatEvent textDelta(QString t, QList<Logprob> logprobs)
    {
        ChatEvent e = make(Type::Text, std::move(t));
        e.logprobs = std::move(logprobs);
        return e;
    }
    static ChatEvent thinkingDelta(QString t) { return make(Type::Thinking, std::move(t)); }
    static ChatEvent thinkingSigned(QString signature)
    {
        ChatEvent e = make(Type::Thinking);
        e.signature = std::move(signature);
        return e;
    }
    static ChatEvent thinkingRedacted(QString data)
    {
        ChatEvent e = make(Type::Thinking);
        e.redacted = std::move(data);
        return e;
    }
    static ChatEvent call(ToolCall c)
    {
        ChatEvent e = make(Type::ToolCall);
        e.toolCall = std::move(c);
        return e;
    }
    static ChatEvent usage(qint64 prompt, qint64 completion, qint64 cached = -1,
                           qint64 cacheWrite = -1, qint64 reasoning = -1)
    {
        ChatEvent e = make(Type::Usage);
        e.promptTokens = prompt;
        e.completionTokens = completion;
        e.cachedTokens = cached;
        e.cacheWriteTokens = cacheWrite;
        e.reasoningTokens = reasoning;
        return e;
    }
    static ChatEvent finished(FinishReason r)
    {
        ChatEvent e = make(Type::Finish);
        e.finish = r;
        return e;
    }
    static ChatEvent error(ChatFailure failure)
    {
        ChatEvent e = make(Type::Error);
        e.failure = std::move(failure);
        return e;
    }
};

} // namespace gw
