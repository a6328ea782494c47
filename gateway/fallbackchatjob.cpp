#include "fallbackchatjob.h"

namespace gw {

FallbackChatJob::FallbackChatJob(ChatRequest request, QStringList chain, StartOne startOne,
                                 QObject *parent)
    : ChatJob(parent), m_request(std::move(request)), m_chain(std::move(chain)),
      m_startOne(std::move(startOne))
{}

bool FallbackChatJob::worthFallingBack(const ChatFailure &f)
{
    switch (f.cause) {
    case FailureCause::BadRequest:
    case FailureCause::ContextTooLong:
    case FailureCause::ContentFiltered:
    case FailureCause::TooLarge:
    case FailureCause::ClientGone:
        return false;
    case FailureCause::Unsupported: // a model or provider that cannot, unless not in this build
        return f.status != 400;
    default:
        return true;
    }
}

void FallbackChatJob::start()
{
    startAt(0);
}

void FallbackChatJob::startAt(qsizetype index)
{
    m_index = index;
    ChatRequest r = m_request;
    r.model = m_chain.at(index);
    ChatJob *job = m_startOne(r, this);
    m_current = job;
    setAdjustments(job->adjustments()); // the model that answers is the one whose rules count
    job->setHandler([this, job](const ChatEvent &e) {
        if (e.type == ChatEvent::Type::Error && !m_output && m_index + 1 < m_chain.size() &&
            worthFallingBack(e.failure)) {
            m_failures.push_back({m_chain.at(m_index), e.failure});
            job->deleteLater();
            startAt(m_index + 1);
            return;
        }
        if (e.type != ChatEvent::Type::Error)
            m_output = true;
        if (e.type == ChatEvent::Type::Error && !m_failures.empty()) {
            ChatEvent all = e;
            all.failure.earlier = m_failures;
            deliver(all);
            return;
        }
        deliver(e);
    });
    job->start();
}

} // namespace gw
