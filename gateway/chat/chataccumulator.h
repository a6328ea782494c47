#pragma once

#include "chatevent.h"

#include <QList>

namespace gw {

// Folds an event stream into one answer, for non-streaming responses.
struct ChatAccumulator
{
    QString content;
    QString thinking;
    QList<Logprob> logprobs;
    QList<ToolCall> toolCalls;
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    qint64 cachedTokens = -1;
    qint64 cacheWriteTokens = -1;
    qint64 reasoningTokens = -1;
    FinishReason finish = FinishReason::Stop;
    QString stopSequence;

    void add(const ChatEvent &event)
    {
        switch (event.type) {
        case ChatEvent::Type::Text:
            content += event.text;
            logprobs += event.logprobs;
            break;
        case ChatEvent::Type::Thinking:
            thinking += event.text;
            break;
        case ChatEvent::Type::ToolCall:
            toolCalls.append(event.toolCall);
            break;
        case ChatEvent::Type::Usage:
            if (event.promptTokens >= 0)
                promptTokens = event.promptTokens;
            if (event.completionTokens >= 0)
                completionTokens = event.completionTokens;
            if (event.cachedTokens >= 0)
                cachedTokens = event.cachedTokens;
            if (event.cacheWriteTokens >= 0)
                cacheWriteTokens = event.cacheWriteTokens;
            if (event.reasoningTokens >= 0)
                reasoningTokens = event.reasoningTokens;
            break;
        case ChatEvent::Type::Finish:
            finish = event.finish;
            stopSequence = event.stopSequence;
            break;
        case ChatEvent::Type::Error:
            break;
        }
    }
};

} // namespace gw
