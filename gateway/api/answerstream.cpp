#include "answerstream.h"

#include "chat/clock.h"
#include "http/responder.h"

namespace gw {

AnswerStream::AnswerStream(Responder *responder, bool stream, qint64 receivedNs)
    : QObject(responder), m_responder(responder), m_stream(stream), m_receivedNs(receivedNs)
{
    responder->record().streamed = stream;
    responder->record().modelCall = true;
}

void AnswerStream::run(ChatJob *job)
{
    job->setParent(m_responder);
    job->setHandler([this, job](const ChatEvent &e) {
        // Before the last event, which publishes the record.
        if (m_responder && (e.type == ChatEvent::Type::Finish || e.type == ChatEvent::Type::Error))
            m_responder->record().adjustments = job->adjustments();
        onEvent(e);
    });
    m_startNs = monotonicNs();
    job->start();
}

bool AnswerStream::noteEvent(const ChatEvent &event)
{
    if (!m_responder)
        return false;
    using T = ChatEvent::Type;
    if ((event.type == T::Text || event.type == T::Thinking || event.type == T::ToolCall) &&
        m_firstTokenNs == 0) {
        m_firstTokenNs = monotonicNs();
        m_responder->record().firstTokenMs = (m_firstTokenNs - m_receivedNs) / 1000000;
    }
    if (event.type == T::Usage) { // the prompt and answer counts are each dialect's to note
        RequestRecord &r = m_responder->record();
        for (auto [from, into] : {std::pair{event.cachedTokens, &r.cachedTokens},
                                  std::pair{event.cacheWriteTokens, &r.cacheWriteTokens},
                                  std::pair{event.reasoningTokens, &r.reasoningTokens}})
            if (from >= 0)
                *into = from;
    }
    return true;
}

} // namespace gw
